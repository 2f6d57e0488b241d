// A caseworker finds the registered case in the list, opens it (by folio),
// sees no personal data until she declares a purpose, reads it, adds a
// follow-up and a protection measure; the personal data is hidden again
// after the idle time and when she leaves the page.
import { Session } from "../session.mjs";
import { CANARIES, CANARY } from "../canaries.mjs";

const day = (offset) => {
  const n = new Date(Date.now() + offset * 86400000);
  const p = (x) => String(x).padStart(2, "0");
  return `${n.getFullYear()}-${p(n.getMonth() + 1)}-${p(n.getDate())}`;
};

export async function followUp({ browser, env, checks, state }) {
  const s = await Session.open(browser, env, "caseworker", env.certificates.caseworker);
  const page = s.page;
  await s.goto("/");
  await page.getByRole("link", { name: "Casos" }).click();
  const table = page.getByRole("table");
  await table.waitFor();
  const rows = table.locator("tbody tr");
  checks.check((await rows.count()) === 1,
    `the list has one case: the double submit created one (${await rows.count()})`);
  checks.check((await rows.first().getByText("Riesgo alto").count()) === 1, "a high-risk case is marked");
  await page.getByRole("group", { name: "Nivel de riesgo" }).getByLabel("Bajo").check();
  await page.getByRole("button", { name: "Aplicar filtros" }).click();
  await page.getByText("No hay casos con estos filtros.").waitFor();
  checks.check(true, "the risk filter leaves out the high-risk case");
  await page.getByRole("button", { name: "Quitar filtros" }).click();
  await page.getByRole("link", { name: state.folio }).waitFor();
  await checks.screen(s, "case-list");

  await page.getByRole("link", { name: state.folio }).click();
  await page.getByRole("heading", { name: /^Caso / }).waitFor();
  checks.check(new URL(page.url()).pathname === `/casos/${state.folio}`, "the case page's path is its folio");
  checks.check((await page.getByText(CANARY.victimName).count()) === 0, "no personal data before a purpose");
  await page.getByRole("button", { name: "Mostrar los datos personales" }).click();
  checks.check((await page.getByText("Es obligatorio.").count()) === 1, "a purpose is required");
  await checks.screen(s, "case-page");
  await page.getByLabel("Propósito de la consulta").selectOption({ label: "Seguimiento del caso" });
  await page.getByRole("button", { name: "Mostrar los datos personales" }).click();
  await page.getByText(CANARY.victimName).waitFor();
  checks.check((await page.getByText(CANARY.narrative).count()) === 1, "with a purpose: the name and the narrative");

  await page.getByLabel("Tipo de actuación").selectOption({ label: "Contacto con la víctima" });
  await page.getByLabel("Fecha de la próxima acción").fill(day(7));
  await page.getByLabel("Notas (datos personales").fill(CANARY.notes);
  await page.getByRole("button", { name: "Agregar una actuación" }).click();
  await page.locator(".timeline").getByText(CANARY.notes).waitFor();
  checks.check(true, "the follow-up is in the timeline with its notes");

  await page.getByLabel("Tipo de medida").selectOption({ index: 1 });
  await page.getByLabel("Estado", { exact: false }).last().selectOption({ index: 2 });
  await page.getByLabel("Autoridad que la emite").fill("Fiscalía General del Estado de Oaxaca");
  await page.getByLabel("Fecha de vencimiento").fill(day(3));
  await page.getByRole("button", { name: "Agregar una medida de protección" }).click();
  await page.getByRole("cell", { name: "Fiscalía General del Estado de Oaxaca" }).waitFor();
  checks.check((await page.locator("#measures-title ~ * .marker").count()) === 1,
    "the measure expiring in 3 days is marked");
  await checks.screen(s, "case-page-personal");

  // The measure is extended to a later expiry (its allowed next statuses
  // are the node's; the case's etag goes with the change).
  const options = await page.getByLabel("Nuevo estado").locator("option").allInnerTexts();
  checks.check(options.includes("Ampliada") && !options.includes("Solicitada"),
    `only the measure's allowed next statuses are offered (${options.join(", ")})`);
  await page.getByLabel("Nuevo estado").selectOption({ label: "Ampliada" });
  await page.locator("form.inline").getByLabel("Fecha de vencimiento").fill(day(40));
  await page.getByRole("button", { name: "Cambiar el estado" }).click();
  await page.getByRole("cell", { name: "Ampliada", exact: true }).waitFor();
  checks.check((await page.locator("#measures-title ~ * .marker").count()) === 0,
    "extended to 40 days, the measure is no longer marked as expiring");

  // Playwright's clock from here on: a click re-arms the idle timer on it,
  // and five minutes pass at once.
  await page.clock.install();
  await page.getByRole("heading", { name: "Datos personales" }).click();
  await page.clock.fastForward("05:01");
  await page.getByText("Los datos personales se ocultaron por inactividad.").waitFor();
  checks.check((await page.getByText(CANARY.victimName).count()) === 0 &&
               (await page.getByText(CANARY.notes).count()) === 0,
    "after the idle time the personal data and the notes are hidden");

  await page.getByLabel("Propósito de la consulta").selectOption({ label: "Seguimiento del caso" });
  await page.getByRole("button", { name: "Mostrar los datos personales" }).click();
  await page.getByText(CANARY.victimName).waitFor();
  await page.getByRole("link", { name: "Volver a la lista de casos" }).click();
  await page.getByRole("table").waitFor();
  await page.getByRole("link", { name: state.folio }).click();
  await page.getByRole("button", { name: "Mostrar los datos personales" }).waitFor();
  checks.check((await page.getByText(CANARY.victimName).count()) === 0,
    "leaving the page hides the personal data");
  await checks.noCanaries(s, CANARIES, "follow-up");
  await s.close();
}
