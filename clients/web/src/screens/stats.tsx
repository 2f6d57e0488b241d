// The analyst's table builder over StatsService.Query: up to three
// dimensions of the allow-list, filters, the months of the reported date,
// the measure and an optional ε; what she may still spend (GetAllowance,
// which costs nothing) and what this query will cost, before she spends
// it. The query is sent only when she asks. Nothing here is a record: the
// answer is counts (StatsAnswer). Everything stays in memory, never in the
// URL.
import { useEffect, useState } from "preact/hooks";
import { client, toApiError } from "../api";
import type { ApiError } from "../api";
import { ErrorBox } from "../components/error_box";
import { Field } from "../forms/field";
import { asSentence } from "../field_messages";
import { InstitutionKind } from "../gen/resguardo/v1/catalogues_pb";
import { StatsMeasure, StatsService } from "../gen/resguardo/v1/stats_service_pb";
import type { StatsAllowance, StatsQueryResponse } from "../gen/resguardo/v1/stats_service_pb";
import { fill } from "../fill";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import type { Me } from "../me";
import { parentOf } from "../me";
import { dimensionChoices, isMedian, MEASURES } from "../stats/dimensions";
import { StatsFilters } from "./stats_filters";
import type { Filter } from "./stats_filters";
import { StatsAnswer } from "./stats_answer";
import "./stats.css";

const stats = client(StatsService);

interface Draft {
  dims: number[];  // three selects; 0 = none
  from: string;
  to: string;
  measure: StatsMeasure;
  epsilon: string;
  filters: Filter[];
  all: boolean;  // every institution of the node (oversight only)
}

// A field violation's path ("dimensions[1]", "filters[0].values[2]") as the
// builder's field it belongs to.
function builderField(path: string): string {
  const m = /^(dimensions|filters)\[(\d+)\]/.exec(path);
  if (m) return `${m[1]}-${m[2]}`;
  return path.split(".")[0];
}

export function Stats({ me, lang }: { me: Me; lang: Lang }) {
  const oversight = me.institution?.kind === InstitutionKind.OVERSIGHT;
  const [draft, setDraft] = useState<Draft>({
    dims: [0, 0, 0], from: "", to: "", measure: StatsMeasure.CASES, epsilon: "", filters: [], all: oversight,
  });
  const [allowance, setAllowance] = useState<StatsAllowance | null>(null);
  const [allowanceError, setAllowanceError] = useState<ApiError | null>(null);
  const [answer, setAnswer] = useState<StatsQueryResponse | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [fields, setFields] = useState<Map<string, string>>(new Map());
  const [busy, setBusy] = useState(false);
  const [spent, setSpent] = useState(0);  // asks the allowance again after a query

  useEffect(() => {
    let live = true;
    stats.getAllowance({ fromMonth: draft.from, toMonth: draft.to }).then(
      (a) => live && (setAllowance(a), setAllowanceError(null)),
      (e) => live && (setAllowance(null), setAllowanceError(toApiError(e, lang))));
    return () => { live = false; };
  }, [draft.from, draft.to, spent]);

  const median = isMedian(draft.measure);
  const epsilonText = median ? "" : draft.epsilon.trim();
  const epsilon = epsilonText === "" ? 0 : Number(epsilonText);
  const epsilonBad = Number.isNaN(epsilon);
  const fieldError = (name: string) =>
    name === "epsilon" && epsilonBad ? t("statsEpsilonNumber", lang) : fields.get(name);

  const run = async () => {
    if (epsilonBad || busy) return;
    setBusy(true);
    try {
      const a = await stats.query({
        parent: draft.all ? "institutions/-" : parentOf(me),
        dimensions: draft.dims.filter((d) => d !== 0),
        fromMonth: draft.from,
        toMonth: draft.to,
        filters: draft.filters.filter((f) => f.values.length > 0),
        measure: draft.measure,
        epsilon,
      });
      setAnswer(a);
      setError(null);
      setFields(new Map());
    } catch (e) {
      const err = toApiError(e, lang);
      setAnswer(null);
      setError(err);
      setFields(new Map([...err.fields].map(([p, d]) => [builderField(p), asSentence(d)])));
    } finally {
      setBusy(false);
      setSpent(spent + 1);
    }
  };

  const choices = dimensionChoices(lang);
  return (
    <section aria-labelledby="stats-title">
      <h2 id="stats-title">{t("statsTitle", lang)}</h2>
      <p>{t("statsIntro", lang)}</p>
      <form class="stats-builder" aria-labelledby="stats-builder-title"
            onSubmit={(ev) => { ev.preventDefault(); void run(); }}>
        <h3 id="stats-builder-title">{t("statsBuilder", lang)}</h3>
        <p class="hint">{t("statsDimensionsHint", lang)}</p>
        <div class="stats-row">
          {draft.dims.map((d, i) => (
            <Field key={i} id={`dimensions-${i}`} label={`${t("statsDimension", lang)} ${i + 1}`} lang={lang}
                   error={fields.get(`dimensions-${i}`)}>
              {(aria) => (
                <select {...aria} value={String(d)} onChange={(ev) => {
                  const dims = [...draft.dims];
                  dims[i] = Number(ev.currentTarget.value);
                  setDraft({ ...draft, dims });
                }}>
                  <option value="0">{t("statsNoDimension", lang)}</option>
                  {choices.map((c) => <option key={c.number} value={String(c.number)}>{c.label}</option>)}
                </select>
              )}
            </Field>
          ))}
        </div>
        {oversight && (
          <Field id="parent" label={t("statsScope", lang)} lang={lang} required error={fields.get("parent")}>
            {(aria) => (
              <select {...aria} value={draft.all ? "all" : "own"}
                      onChange={(ev) => setDraft({ ...draft, all: ev.currentTarget.value === "all" })}>
                <option value="all">{t("statsScopeAll", lang)}</option>
                <option value="own">{t("statsScopeOwn", lang)}</option>
              </select>
            )}
          </Field>
        )}
        <div class="stats-row">
          <Field id="from_month" label={t("statsFromMonth", lang)} lang={lang} hint={t("statsMonthHint", lang)}
                 error={fields.get("from_month") ?? allowanceError?.fields.get("from_month")}>
            {(aria) => <input {...aria} type="month" value={draft.from}
                              onChange={(ev) => setDraft({ ...draft, from: ev.currentTarget.value })} />}
          </Field>
          <Field id="to_month" label={t("statsToMonth", lang)} lang={lang} hint={t("statsMonthHint", lang)}
                 error={fields.get("to_month") ?? allowanceError?.fields.get("to_month")}>
            {(aria) => <input {...aria} type="month" value={draft.to}
                              onChange={(ev) => setDraft({ ...draft, to: ev.currentTarget.value })} />}
          </Field>
        </div>
        <div class="stats-row">
          <Field id="measure" label={t("statsMeasure", lang)} lang={lang} required error={fields.get("measure")}>
            {(aria) => (
              <select {...aria} value={String(draft.measure)}
                      onChange={(ev) => setDraft({ ...draft, measure: Number(ev.currentTarget.value) })}>
                {MEASURES.map(([m, key]) => <option key={m} value={String(m)}>{t(key, lang)}</option>)}
              </select>
            )}
          </Field>
          <Field id="epsilon" label={t("statsEpsilon", lang)} lang={lang} hint={t("statsEpsilonHint", lang)}
                 error={fieldError("epsilon")}>
            {(aria) => <input {...aria} inputMode="decimal" autocomplete="off" disabled={median}
                              value={median ? "" : draft.epsilon}
                              onInput={(ev) => setDraft({ ...draft, epsilon: ev.currentTarget.value })} />}
          </Field>
        </div>
        <StatsFilters lang={lang} filters={draft.filters} errors={fields}
                      onChange={(filters) => setDraft({ ...draft, filters })} />
        <div class="stats-cost" aria-live="polite">
          <h4>{t("statsAllowance", lang)}</h4>
          {allowance && (
            <p class="allowance">
              {fill(t("statsAllowanceText", lang), allowance.release, allowance.queriesRemaining.toString(),
                    String(allowance.epsilonRemaining))}
            </p>
          )}
          <ErrorBox error={allowanceError} lang={lang} />
          <p>{epsilon > 0 ? fill(t("statsCostEpsilon", lang), String(epsilon)) : t("statsCostQuery", lang)}</p>
        </div>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t("statsRunning", lang) : t("statsRun", lang)}
        </button>
      </form>
      <ErrorBox error={error} lang={lang} />
      {answer && <StatsAnswer answer={answer} lang={lang} />}
    </section>
  );
}
