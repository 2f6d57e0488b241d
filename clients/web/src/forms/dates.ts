// google.type.Date to and from the values of <input type="date"> (YYYY-MM-DD)
// and <input type="month"> (YYYY-MM, day 0), and the node's date rules
// (services/cases/case_validator.cc): a real calendar date from 1900 on,
// not in the future; an incident month not after the reported month.
import { create } from "@bufbuild/protobuf";
import type { Date as PDate } from "./../gen/google/type/date_pb";
import { DateSchema } from "./../gen/google/type/date_pb";

const MIN_YEAR = 1900;

export function parseDay(s: string): PDate | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  return create(DateSchema, { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) });
}

export function parseMonth(s: string): PDate | undefined {
  const m = /^(\d{4})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  return create(DateSchema, { year: Number(m[1]), month: Number(m[2]), day: 0 });
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

export function formatDate(d: PDate | undefined): string {
  if (!d || !d.year) return "";
  return d.day ? `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}` : `${pad(d.year, 4)}-${pad(d.month)}`;
}

// Today in the user's calendar as YYYY-MM-DD. The node checks "not in the
// future" against its own day: near midnight the two may differ, and then
// the node's field error is shown like any other.
export function today(): string {
  const n = new Date();
  return `${pad(n.getFullYear(), 4)}-${pad(n.getMonth() + 1)}-${pad(n.getDate())}`;
}

function isRealDay(d: PDate): boolean {
  const js = new Date(Date.UTC(d.year, d.month - 1, d.day));
  return d.year >= MIN_YEAR && js.getUTCFullYear() === d.year &&
    js.getUTCMonth() === d.month - 1 && js.getUTCDate() === d.day;
}

export type DateProblem = "required" | "notReal" | "future" | "afterReported" | undefined;

export function checkDay(s: string, required: boolean): DateProblem {
  if (!s) return required ? "required" : undefined;
  const d = parseDay(s);
  if (!d || !isRealDay(d)) return "notReal";
  if (s > today()) return "future";
  return undefined;
}

export function checkIncidentMonth(s: string, reported: string): DateProblem {
  if (!s) return undefined;
  const d = parseMonth(s);
  if (!d || d.year < MIN_YEAR || d.month < 1 || d.month > 12) return "notReal";
  if (s > today().slice(0, 7)) return "future";
  if (reported && s > reported.slice(0, 7)) return "afterReported";
  return undefined;
}

// Now in the user's time zone as <input type="datetime-local"> wants it
// (YYYY-MM-DDTHH:MM).
export function nowLocal(): string {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

// A required moment that already happened (the node's rule for a
// follow-up's occur_time and a consent's give_time).
export function checkPastMoment(s: string): "required" | "future" | undefined {
  if (!s) return "required";
  return new Date(s) > new Date() ? "future" : undefined;
}
