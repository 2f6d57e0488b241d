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
export const CANARIES = Object.values(CANARY);
