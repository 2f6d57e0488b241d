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
    if (p.release) {
      out.push(fill(t("statsDpNote", lang), String(p.epsilon), p.release, String(p.budgetRemaining),
                    String(Number(p.errorBound.toFixed(2))), String(Number((p.errorConfidence * 100).toFixed(1)))));
    }
    if (p.repeatedRelease) out.push(t("statsRepeated", lang));
    if (!p.release) out.push(fill(t("statsQueriesLeft", lang), p.queriesRemaining.toString()));
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
  const row = (c: StatsCell | undefined, kind: string, i: number) => {
    const text = cellText(c, a.measure);
    return (
      <tr key={`${kind}-${i}`} class={kind}>
        {a.dimensions.map((d, j) => {
          const label = valueLabel(d, c?.values[j] ?? "", lang);
          return j === 0 ? <th scope="row" key={j}>{label}</th> : <td key={j}>{label}</td>;
        })}
        {text === null
          ? <td class="num suppressed"><span class="hatch" aria-hidden="true" /> {t("statsSuppressed", lang)}</td>
          : <td class="num">{text}</td>}
      </tr>
    );
  };
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
      </div>
    </section>
  );
}
