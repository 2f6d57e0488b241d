// A supervisor erases the personal data of the case she registered
// (supervisor_close): with its data shown and a follow-up's notes on the
// page, the confirmation names the consequence and asks for the folio
// typed again; a wrong folio erases nothing; the right one does. After it
// the case page shows the erasure and none of the case's personal data —
// not on the page, not after a reload — and a caseworker's page of it, or
// of an open case, offers no supervisor's action.
import { Session } from "../session.mjs";
import { CANARIES, ERASED_CANARY } from "../canaries.mjs";
import { offeredActions } from "./supervision_page.mjs";

const ERASED = Object.values(ERASED_CANARY);

// The canaries of the erased case found anywhere on the page: its HTML,
// its text, and the values of its form fields.
async function onPage(page) {
  const text = await page.content() + await page.locator("body").innerText() +
    JSON.stringify(await page.evaluate(() =>
      [...document.querySelectorAll("input, textarea, select")].map((e) => e.value)));
  return ERASED.filter((c) => text.includes(c));
}

export async function supervisorErase({ browser, env, checks, state }) {
  const folio = state.supervisedFolio;
  const s = await Session.open(browser, env, "supervisor", env.certificates.supervisor);
  const page = s.page;
  await s.goto(`/casos/${folio}`);
  await page.getByLabel("Propósito de la consulta").selectOption({ label: "Seguimiento del caso" });
  await page.getByRole("button", { name: "Mostrar los datos personales" }).click();
  await page.getByText(ERASED_CANARY.victimName).waitFor();
  await page.getByLabel("Tipo de actuación").selectOption({ label: "Contacto con la víctima" });
  await page.getByLabel("Notas (datos personales").fill(ERASED_CANARY.notes);
  await page.getByRole("button", { name: "Agregar una actuación" }).click();
  await page.locator(".timeline").getByText(ERASED_CANARY.notes).waitFor();
  checks.check((await onPage(page)).length >= 3, "before the erasure the case's personal data and notes are on the page");

  await page.getByRole("button", { name: "Borrar los datos personales…" }).click();
  const form = page.locator("#erase-form");
  await form.waitFor();
  const words = await form.innerText();
  checks.check(words.includes("Esto no se puede deshacer") && words.includes("nombre de la víctima") &&
               words.includes("notas de las actuaciones") && words.includes("respaldos"),
    "the confirmation names the consequence in plain words");
  await checks.screen(s, "case-erase-confirm");
  await page.getByLabel("Motivo del borrado").selectOption({ label: "Solicitud de cancelación de la víctima (ARCO)" });
  await page.getByLabel("Escriba el folio del caso para confirmar").fill("IEEPCO-2000-000001");
  await page.getByRole("button", { name: "Borrar para siempre los datos personales" }).click();
  await page.getByText("No coincide con el folio de este caso; no se borró nada.").waitFor();
  const confirm = page.getByLabel("Escriba el folio del caso para confirmar");
  checks.check(await confirm.evaluate((el) => el === document.activeElement && el.getAttribute("aria-invalid") === "true"),
    "a wrong folio is refused beside the field, which has the focus");
  checks.check((await page.getByText(ERASED_CANARY.victimName).count()) === 1 &&
               (await page.locator(".erased-notice").count()) === 0,
    "a wrong folio erases nothing");
  await checks.screen(s, "case-erase-wrong-folio");

  await confirm.fill(folio);
  await page.getByRole("button", { name: "Borrar para siempre los datos personales" }).click();
  await page.getByRole("status").filter({ hasText: "Los datos personales de este caso fueron borrados para siempre." }).waitFor();
  const left = await onPage(page);
  checks.check(left.length === 0, `after the erasure none of the case's personal data is on the page${left.length ? ` — found ${left}` : ""}`);
  checks.check((await page.locator(".erased-notice").count()) === 1 &&
               (await page.getByText("Los datos personales de este caso fueron eliminados.").count()) === 1 &&
               (await page.getByText("Notas borradas con los datos personales del caso.").count()) === 1 &&
               (await page.getByRole("button", { name: "Mostrar los datos personales" }).count()) === 0,
    "the page shows the erasure: the notice, the personal data and the notes erased, no purpose to declare");
  checks.check(JSON.stringify(await offeredActions(page)) === JSON.stringify(["Cerrar el caso…"]),
    `an erased case offers no second erasure (${await offeredActions(page)})`);
  await checks.screen(s, "case-erased");

  await s.goto(`/casos/${folio}`);
  await page.locator(".erased-notice").waitFor();
  const reloaded = await onPage(page);
  checks.check(reloaded.length === 0, `read again, the erased case shows none of its personal data${reloaded.length ? ` — found ${reloaded}` : ""}`);
  await checks.noCanaries(s, CANARIES, "supervisor-erase");
  await s.close();

  // A caseworker: the erasure shown to her too; no supervisor's action on
  // the erased case nor on an open one.
  const c = await Session.open(browser, env, "caseworker", env.certificates.caseworker);
  await c.goto(`/casos/${folio}`);
  await c.page.locator(".erased-notice").waitFor();
  checks.check((await onPage(c.page)).length === 0 && (await offeredActions(c.page)).length === 0,
    "the caseworker sees the erasure, no personal data and no supervisor's action");
  await c.goto(`/casos/${state.folio}`);
  await c.page.getByRole("button", { name: "Editar el caso" }).waitFor();
  checks.check((await offeredActions(c.page)).length === 0 &&
               (await c.page.getByRole("heading", { name: "Acciones de supervisión" }).count()) === 0,
    `the caseworker's page of an open case offers no supervisor's action (${await offeredActions(c.page)})`);
  await checks.screen(c, "case-caseworker");
  await checks.noCanaries(c, CANARIES, "supervisor-erase");
  await c.close();
}
