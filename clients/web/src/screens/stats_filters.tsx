// The filters of a statistics query (StatsFilter): up to eight, each on a
// different dimension that is not a period, keeping the cases with one of
// its values. Catalogue dimensions and states are checkboxes (labels from
// the proto's options, values the names the node expects), a bucketed
// dimension (days to the first action, to resolution) its buckets (its
// `stats_bucket` options), municipalities INEGI codes typed in.
import { CheckGroup, Field } from "../forms/field";
import { StateSchema } from "../gen/resguardo/v1/catalogues_pb";
import { StatsDimension } from "../gen/resguardo/v1/stats_service_pb";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import { choicesOf } from "../labels";
import { bucketsOf, catalogueOf, dimensionChoices, PERIODS, valueLabel } from "../stats/dimensions";

export interface Filter {
  dimension: number;
  values: string[];
}

const MAX_FILTERS = 8;

// The values a filter on `d` offers: [value as the node names it, label].
function valueChoices(d: number, lang: Lang): [string, string][] {
  const e = catalogueOf(d);
  if (e) return choicesOf(e, lang).map((c) => [e.value[c.number].name, c.label]);
  if (d === StatsDimension.STATE) {
    return choicesOf(StateSchema, lang).map((c) => [String(c.number).padStart(2, "0"), c.label]);
  }
  return bucketsOf(d).map((b) => [b, valueLabel(d, b, lang)]);
}

export function StatsFilters({ lang, filters, errors, onChange }: {
  lang: Lang;
  filters: Filter[];
  errors: Map<string, string>;
  onChange: (f: Filter[]) => void;
}) {
  const dims = dimensionChoices(lang).filter((c) => !PERIODS.includes(c.number));
  const set = (i: number, f: Filter) => onChange(filters.map((x, j) => (j === i ? f : x)));
  const free = (i: number) => dims.filter((c) => !filters.some((f, j) => j !== i && f.dimension === c.number));
  return (
    <fieldset class="stats-filters">
      <legend>{t("statsFilters", lang)} <span class="req">{t("optional", lang)}</span></legend>
      {filters.map((f, i) => {
        const choices = valueChoices(f.dimension, lang);
        const numbers = choices.map(([v]) => v);
        return (
          <div class="stats-filter" key={i}>
            <Field id={`filter-${i}-dimension`} label={`${t("statsFilterDimension", lang)} (${i + 1})`} lang={lang}
                   required error={errors.get(`filters-${i}`)}>
              {(aria) => (
                <select {...aria} value={String(f.dimension)}
                        onChange={(ev) => set(i, { dimension: Number(ev.currentTarget.value), values: [] })}>
                  {free(i).map((c) => <option key={c.number} value={String(c.number)}>{c.label}</option>)}
                </select>
              )}
            </Field>
            {f.dimension === StatsDimension.MUNICIPALITY ? (
              <Field id={`filter-${i}-values`} label={t("statsMunicipalityCodes", lang)} lang={lang} required>
                {(aria) => <input {...aria} inputMode="numeric" autocomplete="off" value={f.values.join(",")}
                                  onInput={(ev) => set(i, {
                                    ...f,
                                    values: ev.currentTarget.value.split(",").map((v) => v.trim()).filter(Boolean),
                                  })} />}
              </Field>
            ) : (
              <CheckGroup id={`filter-${i}-values`} legend={t("statsFilterValues", lang)} lang={lang}
                          choices={choices.map(([code, label], n) => ({ number: n, code, label }))}
                          value={f.values.map((v) => numbers.indexOf(v)).filter((n) => n >= 0)}
                          onChange={(ns) => set(i, { ...f, values: ns.map((n) => numbers[n]) })} />
            )}
            <button type="button" onClick={() => onChange(filters.filter((_, j) => j !== i))}>
              {t("statsRemoveFilter", lang)} ({i + 1})
            </button>
          </div>
        );
      })}
      <button type="button" disabled={filters.length >= MAX_FILTERS || free(-1).length === 0}
              onClick={() => onChange([...filters, { dimension: free(-1)[0].number, values: [] }])}>
        {t("statsAddFilter", lang)}
      </button>
    </fieldset>
  );
}
