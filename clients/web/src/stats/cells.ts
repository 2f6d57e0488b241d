// A statistics answer's numbers as they are shown: a withheld (suppressed)
// cell has no number (its count is 0 and means nothing: it is never shown
// as 0), a count is an integer, a median a number of days; and the title
// that names the measure and the dimensions ("Casos por Estado y Nivel de
// riesgo"), as the CLI's chart does.
import type { StatsCell, StatsQueryResponse } from "../gen/resguardo/v1/stats_service_pb";
import type { StatsMeasure } from "../gen/resguardo/v1/stats_service_pb";
import { fill } from "../fill";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import { dimensionLabel, isMedian, measureLabel } from "./dimensions";

// The released number, or null when the cell is withheld.
export function cellNumber(c: StatsCell | undefined, m: StatsMeasure): number | null {
  if (!c || c.suppressed) return null;
  return isMedian(m) ? c.medianDays : Number(c.count);
}

// The released number as text ("12", "3.5"), or null when withheld.
export function cellText(c: StatsCell | undefined, m: StatsMeasure): string | null {
  const n = cellNumber(c, m);
  if (n === null) return null;
  return isMedian(m) ? String(n) : (c as StatsCell).count.toString();
}

// "A", "A y B", "A, B y C" (English: "and").
export function joinNames(names: string[], lang: Lang): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")}${t("statsAnd", lang)}${names[names.length - 1]}`;
}

export function answerTitle(a: StatsQueryResponse, lang: Lang): string {
  const dims = a.dimensions.map((d) => dimensionLabel(d, lang));
  const measure = measureLabel(a.measure, lang);
  return dims.length ? fill(t("statsChartTitle", lang), measure, joinNames(dims, lang)) : measure;
}
