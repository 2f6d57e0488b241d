// Synthetic personal data that must never leave the page's memory: each
// value is searched for in storage, URLs, titles, the console and the
// node's log after every flow.
export const CANARY = {
  victimName: "CANARIO-NOMBRE-7f3a",
  curp: "CANA900101MOCRRN09",
  phone: "9510007f3a",
  email: "canario-7f3a@example.org",
  narrative: "CANARIO-RELATO-7f3a: amenazas para forzar la renuncia.",
  aggressor: "CANARIO-AGRESOR-7f3a",
  notes: "CANARIO-NOTA-7f3a",
};
export const CANARIES = Object.values(CANARY).map((v) => v.split(":")[0]);
