// The statistics dimensions as the node names them (StatsDimension) and
// what a person or a machine reads for a cell value: catalogue labels from
// the .proto files' label options (a dimension's catalogue from its
// `stats_catalogue` option), State names from the State catalogue by INEGI
// code — the same sources and the same rules as the CLI's `stats query`.
import { getOption, hasOption } from "@bufbuild/protobuf";
import type { DescEnum } from "@bufbuild/protobuf";
import { file_resguardo_v1_catalogues, StateSchema } from "../gen/resguardo/v1/catalogues_pb";
import { stats_bucket, stats_catalogue, stats_unrecorded_label } from "../gen/resguardo/v1/stats_options_pb";
import { StatsDimension, StatsDimensionSchema, StatsMeasure } from "../gen/resguardo/v1/stats_service_pb";
import { fill } from "../fill";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import { labelOf } from "../labels";

// The period dimensions: axes only, never filters (from/to month instead).
export const PERIODS = [StatsDimension.MONTH, StatsDimension.QUARTER, StatsDimension.YEAR];

// The buckets of a bucketed dimension (days to the first action, days to
// resolution), in order, exactly as the node spells cells and filter values:
// its `stats_bucket` options; none for any other dimension.
export function bucketsOf(d: number): string[] {
  const v = (StatsDimensionSchema as DescEnum).value[d];
  return v ? getOption(v, stats_bucket) : [];
}

// The bucket that means "not recorded" (no action, no resolution yet).
const NONE_BUCKET = "none";

// The allow-list, in proto order, with labels.
export function dimensionChoices(lang: Lang): { number: number; label: string }[] {
  return StatsDimensionSchema.values
    .filter((v) => v.number !== 0)
    .map((v) => ({ number: v.number, label: labelOf(StatsDimensionSchema, v.number, lang) }));
}

export function dimensionLabel(d: number, lang: Lang): string {
  return labelOf(StatsDimensionSchema, d, lang);
}

// "risk_level": the CSV's column name, as the CLI writes it.
export function dimensionCode(d: number): string {
  return ((StatsDimensionSchema as DescEnum).value[d]?.name ?? String(d)).replace(/^STATS_DIMENSION_/, "").toLowerCase();
}

// The catalogue whose value names are a dimension's cell values, if any.
export function catalogueOf(d: number): DescEnum | undefined {
  const v = (StatsDimensionSchema as DescEnum).value[d];
  if (!v || !hasOption(v, stats_catalogue)) return undefined;
  const name = getOption(v, stats_catalogue);
  return file_resguardo_v1_catalogues.enums.find((e) => e.typeName === name);
}

// What the dimension's "not recorded" cell says: its own words when its
// `stats_unrecorded_label` option gives them ("Pendiente (sin resolución)"),
// else "no registrado".
function unrecordedLabel(d: number, lang: Lang): string {
  const v = (StatsDimensionSchema as DescEnum).value[d];
  if (v && hasOption(v, stats_unrecorded_label)) {
    const l = getOption(v, stats_unrecorded_label);
    return lang === "es" ? l.es : l.en;
  }
  return t("statsNotRecorded", lang);
}

function stateName(code: string, lang: Lang): string {
  if (!/^\d{2}$/.test(code)) return code;
  const n = Number(code);
  return (StateSchema as DescEnum).value[n] && n !== 0 ? labelOf(StateSchema, n, lang) : code;
}

// What a person reads for `value` of dimension `d` ("" is the total).
export function valueLabel(d: number, value: string, lang: Lang): string {
  if (value === "") return t("statsTotal", lang);
  if (d === StatsDimension.STATE) return stateName(value, lang);
  if (d === StatsDimension.MUNICIPALITY) {
    if (value.length !== 5) return stateName(value, lang);
    return fill(t("statsMunicipality", lang), stateName(value.slice(0, 2), lang), value.slice(2));
  }
  const e = catalogueOf(d);
  if (e) {
    const v = e.values.find((x) => x.name === value);
    if (!v) return value;
    return v.number === 0 ? unrecordedLabel(d, lang) : labelOf(e, v.number, lang);
  }
  if (value === NONE_BUCKET && bucketsOf(d).length > 0) return unrecordedLabel(d, lang);
  return value;
}

// A stable code for machines (the CSV): the catalogue code without its
// prefix ("HIGH"), NOT_RECORDED for "not recorded", TOTAL for a total, else
// the value itself (INEGI codes, months, buckets) — as the CLI's CSV.
export function valueCode(d: number, value: string): string {
  if (value === "") return "TOTAL";
  const e = catalogueOf(d);
  if (e) {
    const v = e.values.find((x) => x.name === value);
    if (v && v.number === 0) return "NOT_RECORDED";
    const prefix = e.values[0]?.name.replace(/UNSPECIFIED$/, "") ?? "";
    if (v) return v.name.startsWith(prefix) ? v.name.slice(prefix.length) : v.name;
  }
  return value;
}

export function isMedian(m: StatsMeasure): boolean {
  return m === StatsMeasure.MEDIAN_DAYS_TO_FIRST_ACTION || m === StatsMeasure.MEDIAN_DAYS_TO_REFERRAL_ACCEPTANCE;
}

export const MEASURES: [StatsMeasure, "statsCases" | "statsVictims" | "statsMedianFirstAction" | "statsMedianReferral"][] = [
  [StatsMeasure.CASES, "statsCases"],
  [StatsMeasure.DISTINCT_VICTIMS, "statsVictims"],
  [StatsMeasure.MEDIAN_DAYS_TO_FIRST_ACTION, "statsMedianFirstAction"],
  [StatsMeasure.MEDIAN_DAYS_TO_REFERRAL_ACCEPTANCE, "statsMedianReferral"],
];

export function measureLabel(m: StatsMeasure, lang: Lang): string {
  return t((MEASURES.find(([x]) => x === m) ?? MEASURES[0])[1], lang);
}
