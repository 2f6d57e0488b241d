// Two caseworkers edit the same case; the second to save is told that the
// case changed meanwhile, her change is not written, and the page shows the
// current version.
import { Session } from "../session.mjs";
import { CANARIES } from "../canaries.mjs";

async function openEdit(s, folio) {
  await s.goto(`/casos/${folio}`);
  await s.page.getByRole("button", { name: "Editar el caso" }).click();
  await s.page.getByRole("heading", { name: "Editar el caso" }).waitFor();
}

export async function conflict({ browser, env, checks, state }) {
  const a = await Session.open(browser, env, "caseworker", env.certificates.caseworker);
  const b = await Session.open(browser, env, "caseworker2", env.certificates.caseworker2);
  await openEdit(a, state.folio);
  await openEdit(b, state.folio);
  await a.page.getByLabel("Nivel de riesgo").selectOption({ label: "Crítico" });
  // Along the route: only the statuses the node allows now are offered.
  const next = await a.page.getByLabel("Avanzar el estado a").locator("option").allInnerTexts();
  checks.check(next.includes("Primer contacto / análisis de riesgo") && !next.includes("Concluida") &&
               !next.includes("Resuelta"),
    `the status moves only where the node allows (${next.join(", ")})`);
  await a.page.getByLabel("Avanzar el estado a").selectOption({ label: "Primer contacto / análisis de riesgo" });
  await a.page.getByRole("button", { name: "Guardar los cambios" }).click();
  await a.page.getByText("Cambios guardados.").waitFor();
  checks.check(true, "the first edit is saved");

  await b.page.getByLabel("Municipio").fill("068");
  await b.page.getByRole("button", { name: "Guardar los cambios" }).click();
  const alert = b.page.getByRole("alert").filter({ hasText: "Otra persona modificó este caso" });
  await alert.waitFor();
  checks.check(true, "the second is told of the conflict");
  const facts = await b.page.locator("dl.facts").first().innerText();
  checks.check(facts.includes("Crítico") && facts.includes("Primer contacto") &&
               facts.includes("067") && !facts.includes("068"),
    `the page shows the current version (Crítico, municipality 067), not her unsaved change (${facts.replace(/\n/g, " | ")})`);
  await checks.screen(b, "case-conflict");
  await checks.noCanaries(a, CANARIES, "conflict");
  await checks.noCanaries(b, CANARIES, "conflict");
  await a.close();
  await b.close();
}
