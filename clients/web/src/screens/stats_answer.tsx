// A statistics answer: the table (every cell, the one-way totals, the
// grand total; a withheld cell says "suprimido / suppressed", never 0),
// the privacy applied (k and the perturbation, or ε with its release,
// budget left and error bound), the information loss and the node's hint
// when most is withheld, the chart drawn from the same answer, and the
// downloads (CSV and the chart's SVG) made in the browser. Counts only:
// nothing here is a record.
import type { StatsCell, StatsQueryResponse } from "../gen/resguardo/v1/stats_service_pb";
import { download } from "../download";
import { fill } from "../fill";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import { answerTitle, cellText } from "../stats/cells";
import { StatsChart } from "../stats/chart";
import { statsCsv } from "../stats/csv";
import { dimensionLabel, measureLabel, valueLabel } from "../stats/dimensions";

const CHART_ID = "stats-chart";

function notes(a: StatsQueryResponse, lang: Lang): string[] {
  const p = a.privacy;
  const out: string[] = [];
  if (p) {
    out.push(fill(t("statsKNote", lang), String(p.k), String(p.perturbationMax)));
    // The node names the release of every answer (the query allowance is
    // per release too); differential privacy is what has an error bound.
    const dp = p.errorBound > 0 || p.epsilon > 0;
    if (dp) {
      out.push(fill(t("statsDpNote", lang), String(p.epsilon), p.release, String(p.budgetRemaining),
                    String(Number(p.errorBound.toFixed(2))), String(Number((p.errorConfidence * 100).toFixed(1)))));
    }
    if (p.repeatedRelease) out.push(t("statsRepeated", lang));
    if (!dp) out.push(fill(t("statsQueriesLeft", lang), p.queriesRemaining.toString()));
  }
  if (a.informationLoss !== undefined) {
    out.push(fill(t("statsLossNote", lang), (a.informationLoss * 100).toFixed(1)));
  }
  return out;
}

// The node's hint: when it withheld everything (its work budget ran out)
// or most of what was counted sits in withheld cells.
function hint(a: StatsQueryResponse): boolean {
  return a.suppressionBudgetExhausted || (a.informationLoss ?? 0) >= 0.5;
}

export function StatsAnswer({ answer, lang }: { answer: StatsQueryResponse; lang: Lang }) {
  const a = answer;
  const title = answerTitle(a, lang);
  const row = (c: StatsCell | undefined, kind: string, i: number) => (
    <tr key={`${kind}-${i}`} class={kind}>
      {a.dimensions.map((d, j) => {
        const label = valueLabel(d, c?.values[j] ?? "", lang);
        return j === 0 ? <th scope="row" key={j}>{label}</th> : <td key={j}>{label}</td>;
      })}
      <NumberCell cell={c} answer={a} lang={lang} />
    </tr>
  );
  return (
    <section class="stats-answer" aria-labelledby="stats-answer-title">
      <h3 id="stats-answer-title">{t("statsAnswer", lang)}: {title}</h3>
      <ul class="stats-notes">
        {notes(a, lang).map((n) => <li key={n}>{n}</li>)}
      </ul>
      {hint(a) && <p class="stats-hint" role="status">{t("statsMostlyWithheld", lang)}</p>}
      <div class="actions">
        <button type="button" onClick={() => download("estadisticas.csv", "text/csv;charset=utf-8", statsCsv(a))}>
          {t("statsDownloadCsv", lang)}
        </button>{" "}
        <button type="button" onClick={() => {
          const svg = document.getElementById(CHART_ID);
          if (!svg) return;
          download("grafica.svg", "image/svg+xml;charset=utf-8",
                   `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(svg)}\n`);
        }}>
          {t("statsDownloadSvg", lang)}
        </button>
      </div>
      <h4 id="stats-chart-heading">{t("statsChart", lang)}</h4>
      <div class="chart-wrap" tabIndex={0} role="region" aria-label={t("statsChartScroll", lang)}>
        <StatsChart answer={a} lang={lang} id={CHART_ID} />
      </div>
      <div class="table-wrap">
        {a.dimensions.length === 2 ? <CrossTable answer={a} lang={lang} title={title} /> : (
          <table class="stats-table">
            <caption>{title}</caption>
            <thead>
              <tr>
                {a.dimensions.map((d) => <th scope="col" key={d}>{dimensionLabel(d, lang)}</th>)}
                <th scope="col" class="num">{measureLabel(a.measure, lang)}</th>
              </tr>
            </thead>
            <tbody>
              {a.cells.map((c, i) => row(c, "cell", i))}
              {a.margins.map((c, i) => row(c, "margin", i))}
              {row(a.total, "total", 0)}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

// A cell's values as one key ("20|RISK_LEVEL_HIGH"; "" for a dimension
// summed over): the table cell's data-key, by which a test finds it.
function keyOf(c: StatsCell | undefined, n: number): string {
  return Array.from({ length: n }, (_, i) => c?.values[i] ?? "").join("|");
}

// A number of the answer, or "suprimido" with a hatched swatch — never 0.
function NumberCell({ cell, answer, lang }: { cell: StatsCell | undefined; answer: StatsQueryResponse; lang: Lang }) {
  const text = cellText(cell, answer.measure);
  const key = keyOf(cell, answer.dimensions.length);
  return text === null
    ? <td class="num suppressed" data-key={key}><span class="hatch" aria-hidden="true" /> {t("statsSuppressed", lang)}</td>
    : <td class="num" data-key={key}>{text}</td>;
}

// Two dimensions as a cross table: a row per value of the first, a column
// per value of the second, the one-way totals in the last column and row,
// the grand total in the corner.
function CrossTable({ answer, lang, title }: { answer: StatsQueryResponse; lang: Lang; title: string }) {
  const [d0, d1] = answer.dimensions;
  const rows: string[] = [];
  const cols: string[] = [];
  for (const c of answer.cells) {
    if (!rows.includes(c.values[0])) rows.push(c.values[0]);
    if (!cols.includes(c.values[1])) cols.push(c.values[1]);
  }
  const cells = new Map([...answer.cells, ...answer.margins].map((c) => [keyOf(c, 2), c]));
  const at = (r: string, c: string) => cells.get(`${r}|${c}`) ?? (r === "" && c === "" ? answer.total : undefined);
  return (
    <table class="stats-table cross">
      <caption>{title} ({measureLabel(answer.measure, lang)})</caption>
      <thead>
        <tr>
          <td />
          <th scope="colgroup" colSpan={cols.length}>{dimensionLabel(d1, lang)}</th>
          <td />
        </tr>
        <tr>
          <th scope="col">{dimensionLabel(d0, lang)}</th>
          {cols.map((c) => <th scope="col" class="num" key={c}>{valueLabel(d1, c, lang)}</th>)}
          <th scope="col" class="num">{t("statsTotal", lang)}</th>
        </tr>
      </thead>
      <tbody>
        {[...rows, ""].map((r) => (
          <tr key={r} class={r === "" ? "total" : undefined}>
            <th scope="row">{valueLabel(d0, r, lang)}</th>
            {[...cols, ""].map((c) => <NumberCell key={c} cell={at(r, c)} answer={answer} lang={lang} />)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
