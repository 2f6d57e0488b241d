// The chart of a statistics answer, drawn in the browser as SVG from the
// same answer as the table (the CLI's `--chart`, same layout): one group of
// bars per value of the first dimension, one bar per value of the others
// (with a titled legend); without dimensions, one bar for the total. Counts
// get whole-number ticks. Every released number is written on its bar.
//
// A withheld cell is never a bar: it is a hatched square on the axis line
// (the same size whatever the cell, so no height can be read as a number),
// a dash above it, and a <title> that says "suprimido / suppressed"; its
// group has class="suppressed". The legend explains the hatching.
//
// The element is self-contained (xmlns, presentation attributes, no CSS,
// white background), so that serialising it gives the downloadable file.
import type { StatsCell, StatsQueryResponse } from "../gen/resguardo/v1/stats_service_pb";
import { fill } from "../fill";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import { answerTitle, cellNumber, cellText, joinNames } from "./cells";
import { dimensionLabel, isMedian, valueLabel } from "./dimensions";

const PLOT_HEIGHT = 240;
const BAR = 18;
const BAR_GAP = 3;
const GROUP_GAP = 18;
const LEFT = 110;
const TOP = 64;
const COLOURS = ["#3b6ea5", "#d1495b", "#b07d12", "#00798c", "#7a5195", "#4f7f5c", "#8d6a9f", "#c05746", "#2e4057"];
const INK = "#1a1a1a";
const GREY = "#555555";

// The axis top for counts: a multiple of 4 at or above `max`, so that the
// four ticks are whole numbers.
function niceCountTop(max: number): number {
  return Math.ceil(Math.max(Math.ceil(max), 4) / 4) * 4;
}

export function StatsChart({ answer, lang, id }: { answer: StatsQueryResponse; lang: Lang; id: string }) {
  const m = answer.measure;
  const suppressed = t("statsSuppressed", lang);
  const groups: string[] = [];
  const series: string[] = [];
  const cells = new Map<string, StatsCell>();
  const key = (g: string, s: string) => `${g}\u0000${s}`;
  if (answer.dimensions.length === 0) {
    groups.push(t("statsTotal", lang));
    series.push("");
    if (answer.total) cells.set(key(groups[0], ""), answer.total);
  } else {
    for (const c of answer.cells) {
      const g = valueLabel(answer.dimensions[0], c.values[0] ?? "", lang);
      const s = answer.dimensions.slice(1).map((d, i) => valueLabel(d, c.values[i + 1] ?? "", lang)).join(" · ");
      if (!groups.includes(g)) groups.push(g);
      if (!series.includes(s)) series.push(s);
      cells.set(key(g, s), c);
    }
  }
  let max = 1;
  for (const c of cells.values()) max = Math.max(max, cellNumber(c, m) ?? 0);
  const counts = !isMedian(m);
  const top = counts ? niceCountTop(max) : max;
  const title = answerTitle(answer, lang);
  const legendTitle = joinNames(answer.dimensions.slice(1).map((d) => dimensionLabel(d, lang)), lang);
  const k = String(answer.privacy?.k ?? "");
  const totalText = cellText(answer.total, m) ?? suppressed;
  const note = `${fill(t("statsChartNote", lang), k)} · ${t("statsTotal", lang)}: ${totalText}`;
  const groupWidth = series.length * (BAR + BAR_GAP) + GROUP_GAP;
  const plotWidth = Math.max(200, groups.length * groupWidth);
  const legendRows = (series.length > 1 ? series.length : 0) + 1;
  const legendHeight = 20 * legendRows + 40;
  const textWidth = Math.max(9 * title.length, 7 * note.length);
  const width = Math.max(LEFT + plotWidth + 40, LEFT + textWidth + 20);
  const base = TOP + PLOT_HEIGHT;
  const height = base + 110 + legendHeight;
  const colour = (s: number) => COLOURS[s % COLOURS.length];
  const ticks = [0, 1, 2, 3, 4].map((i) => top * i / 4);

  return (
    <svg xmlns="http://www.w3.org/2000/svg" id={id} width={width} height={height}
         viewBox={`0 0 ${width} ${height}`} font-family="sans-serif" font-size="12"
         role="img" aria-labelledby={`${id}-title ${id}-desc`}>
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{note}</desc>
      <defs>
        <pattern id={`${id}-hatch`} width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <line x1="0" y1="0" x2="0" y2="8" stroke="#999999" stroke-width="3" />
        </pattern>
      </defs>
      <rect width="100%" height="100%" fill="#ffffff" />
      <text x={LEFT} y="24" font-size="16" font-weight="bold" fill={INK}>{title}</text>
      <text x={LEFT} y="46" fill={INK}>{note}</text>
      <line x1={LEFT} y1={base} x2={LEFT + plotWidth} y2={base} stroke="#333333" />
      <line x1={LEFT} y1={TOP} x2={LEFT} y2={base} stroke="#333333" />
      {ticks.map((v, i) => (
        <text key={i} x={LEFT - 6} y={base - PLOT_HEIGHT * i / 4 + 4} text-anchor="end" fill={GREY}>
          {counts ? String(Math.round(v)) : String(Number(v.toFixed(2)))}
        </text>
      ))}
      {groups.map((g, gi) => {
        const gx = LEFT + 10 + gi * groupWidth;
        const labelX = gx + (groupWidth - GROUP_GAP) / 2;
        return (
          <g key={g}>
            {series.map((s, si) => {
              const c = cells.get(key(g, s));
              if (!c) return null;
              const x = gx + si * (BAR + BAR_GAP);
              const value = cellText(c, m);
              const cellTitle = `${g}${s ? ` · ${s}` : ""}: ${value ?? suppressed}`;
              if (value === null) {
                return (
                  <g class="suppressed" key={s}>
                    <title>{cellTitle}</title>
                    <rect x={x} y={base - BAR / 2} width={BAR} height={BAR} fill={`url(#${id}-hatch)`}
                          stroke={GREY} stroke-dasharray="3 2" />
                    <text x={x + BAR / 2} y={base - BAR / 2 - 4} text-anchor="middle" fill={GREY}>—</text>
                  </g>
                );
              }
              const h = Math.round(PLOT_HEIGHT * (cellNumber(c, m) ?? 0) / top);
              return (
                <g class="cell" key={s}>
                  <title>{cellTitle}</title>
                  <rect x={x} y={base - h} width={BAR} height={h} fill={colour(si)} />
                  <text x={x + BAR / 2} y={base - h - 4} text-anchor="middle" fill={INK}>{value}</text>
                </g>
              );
            })}
            <text x={labelX} y={base + 16} text-anchor="end" fill={INK}
                  transform={`rotate(-35 ${labelX} ${base + 16})`}>{g}</text>
          </g>
        );
      })}
      <g class="legend">
        {series.length > 1 && (
          <text x={LEFT} y={base + 98} font-weight="bold" fill={INK}>{legendTitle}</text>
        )}
        {series.length > 1 && series.map((s, si) => (
          <g key={s}>
            <rect x={LEFT} y={base + 110 + 20 * si} width="12" height="12" fill={colour(si)} />
            <text x={LEFT + 18} y={base + 120 + 20 * si} fill={INK}>{s}</text>
          </g>
        ))}
        <rect x={LEFT} y={base + 110 + 20 * (legendRows - 1)} width="12" height="12"
              fill={`url(#${id}-hatch)`} stroke={GREY} stroke-dasharray="3 2" />
        <text x={LEFT + 18} y={base + 120 + 20 * (legendRows - 1)} fill={INK}>{t("statsChartHatched", lang)}</text>
      </g>
    </svg>
  );
}
