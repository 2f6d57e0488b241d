// Synthetic personal data that must never leave the page's memory: each
// value is searched for in storage, URLs, titles, the console and the
// node's log after every flow.
export const CANARY = {
  victimName: "CANARIO-NOMBRE-7f3a",
  phone: "9517307731",
  email: "canario-7f3a@example.org",
  narrative: "CANARIO-RELATO-7f3a",
  aggressor: "CANARIO-AGRESOR-7f3a",
  notes: "CANARIO-NOTA-7f3a",
  note: "CANARIO-NOTA-CANALIZACION-7f3a",
};
// The case a supervisor erases (flows/supervisor_*.mjs): after the
// erasure none of these may be on its page either.
export const ERASED_CANARY = {
  victimName: "CANARIO-BORRADA-NOMBRE-5c2e",
  phone: "9517305522",
  email: "canario-borrada-5c2e@example.org",
  narrative: "CANARIO-BORRADA-RELATO-5c2e",
  aggressor: "CANARIO-BORRADA-AGRESOR-5c2e",
  notes: "CANARIO-BORRADA-NOTA-5c2e",
};
// The case flows/resolution.mjs carries to a final resolution.
export const RESOLVED_CANARY = {
  victimName: "CANARIO-RESUELTA-NOMBRE-9d1b",
  phone: "9517309911",
  email: "canario-resuelta-9d1b@example.org",
  narrative: "CANARIO-RESUELTA-RELATO-9d1b",
  aggressor: "CANARIO-RESUELTA-AGRESOR-9d1b",
};
export const CANARIES = [...Object.values(CANARY), ...Object.values(ERASED_CANARY),
  ...Object.values(RESOLVED_CANARY)];
