// Issue 19: the related-case hint on a case page. The supervisor opens the
// case of flows/resolution.mjs and declares a purpose: the page asks
// GetRelatedCases under it and shows the count (she has no other case, and
// no consent names an institution: no institution is shown).
import { Session } from "../session.mjs";
import { CANARIES } from "../canaries.mjs";

export async function relatedHint({ browser, env, checks, state }) {
  const folio = state.finalFolio;
  if (!checks.check(!!folio, "the related-hint flow has the case of flows/resolution.mjs")) return;
  const s = await Session.open(browser, env, "supervisor", env.certificates.supervisor);
  const page = s.page;
  await s.goto(`/casos/${folio}`);
  await page.getByLabel("Propósito de la consulta").selectOption({ label: "Seguimiento del caso" });
  await page.getByRole("button", { name: "Mostrar los datos personales" }).click();
  await page.getByRole("heading", { name: "Otros casos de la misma mujer" }).waitFor();
  checks.check((await page.getByText("Casos de ella en otras autoridades públicas: 0.").count()) === 1 &&
               (await page.locator("section.related li").count()) === 0,
    "with a purpose the case page shows the related-case count, and no institution");
  await checks.screen(s, "related-hint");
  await page.getByRole("button", { name: "Ocultar los datos personales" }).click();
  await checks.noCanaries(s, CANARIES, "related-hint");
  await s.close();
}
