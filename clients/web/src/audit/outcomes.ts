// The outcomes an audit entry records: google.rpc.Code values, by their
// canonical names (as `resguardo audit entries` prints them).
export const OUTCOMES = [
  "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
  "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
  "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
] as const;

export function outcomeName(code: number): string {
  return OUTCOMES[code] ?? String(code);
}
