// A statistics answer as CSV, in the CLI's format (`stats query --format
// csv`): one column per dimension (codes, not labels: "state", "HIGH",
// "TOTAL" for a total), then value and suppressed; a withheld cell has an
// empty value and suppressed=true, never 0. Rows: the cells, the one-way
// totals, the grand total, then the information loss (a share, 0-1) as a
// last INFORMATION_LOSS row. CRLF line ends (RFC 4180).
import type { StatsCell, StatsQueryResponse } from "../gen/resguardo/v1/stats_service_pb";
import { cellText } from "./cells";
import { dimensionCode, valueCode } from "./dimensions";

function field(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function statsCsv(a: StatsQueryResponse): string {
  const lines: string[] = [];
  lines.push([...a.dimensions.map(dimensionCode), "value", "suppressed"].join(","));
  const row = (c: StatsCell | undefined) => {
    const fields = a.dimensions.map((d, i) => field(valueCode(d, c?.values[i] ?? "")));
    const text = cellText(c, a.measure);
    fields.push(text ?? "", text === null ? "true" : "false");
    lines.push(fields.join(","));
  };
  a.cells.forEach(row);
  a.margins.forEach(row);
  row(a.total);
  if (a.informationLoss !== undefined && a.dimensions.length > 0) {
    const fields = a.dimensions.map(() => "");
    fields[0] = "INFORMATION_LOSS";
    fields.push(a.informationLoss.toFixed(4), "false");
    lines.push(fields.join(","));
  }
  return lines.map((l) => `${l}\r\n`).join("");
}
