// A supervisor does what a caseworker does — she registers a
// political-violence case herself — and what only she may: she moves it
// along its route (only the statuses the node allows are offered), closes
// it with a closure reason (a missing one is the node's field error beside
// the field; a second browser closing the version before is told of the
// conflict), and reopens it (back to the status before the closure). A
// caseworker looking at the closed case is offered neither reopening nor
// any other supervisor's action. The case is left for supervisor_erase.
import { Session } from "../session.mjs";
import { CANARIES, ERASED_CANARY } from "../canaries.mjs";
import { fillPoliticalViolenceCase } from "./case_form.mjs";
import { caseFromApi, offeredActions, shownStatus } from "./supervision_page.mjs";

export async function supervisorClose({ browser, env, checks, state }) {
  const s = await Session.open(browser, env, "supervisor", env.certificates.supervisor);
  const page = s.page;
  await s.goto("/");
  // The navigation is drawn once the node said who she is (GetCurrentUser);
  // until then it holds the catalogue only.
  const navigation = page.getByRole("navigation", { name: "Navegación principal" });
  await navigation.getByRole("link", { name: "Casos", exact: true }).waitFor();
  const nav = await navigation.getByRole("link").allInnerTexts();
  checks.check(["Registrar un caso", "Casos", "Canalizaciones", "Alertas"].every((x) => nav.some((n) => n.startsWith(x))),
    `the supervisor's navigation offers the caseworker's screens (${nav.join(", ")})`);

  await page.getByRole("link", { name: "Registrar un caso" }).click();
  await page.getByRole("heading", { name: "Registrar un caso" }).waitFor();
  await fillPoliticalViolenceCase(page, ERASED_CANARY);
  await page.getByRole("button", { name: "Registrar el caso" }).click();
  await page.getByRole("heading", { name: "Caso registrado" }).waitFor();
  const folio = await page.locator(".folio").innerText();
  state.supervisedFolio = folio;
  checks.check(/^IEEPCO-\d{4}-\d{6}$/.test(folio), `the supervisor registers a case (${folio})`);
  await page.getByRole("link", { name: "Abrir el caso" }).click();
  await page.getByRole("heading", { name: /^Caso / }).waitFor();

  // Along the route: the options are the node's allowed_next_statuses,
  // but CLOSED (closing is its own action, with a reason).
  const api = await caseFromApi(page, folio);
  checks.check(JSON.stringify(api.allowedNextStatuses) ===
               JSON.stringify(["CASE_STATUS_PENDING_RATIFICATION", "CASE_STATUS_FIRST_CONTACT", "CASE_STATUS_CLOSED"]),
    `the node allows the supervisor the route's next statuses and closing (${api.allowedNextStatuses})`);
  checks.check(JSON.stringify(await offeredActions(page)) ===
               JSON.stringify(["Cerrar el caso…", "Borrar los datos personales…"]),
    `an open case offers the supervisor closing and erasing, not reopening (${await offeredActions(page)})`);
  await page.getByRole("button", { name: "Editar el caso" }).click();
  const next = await page.getByLabel("Avanzar el estado a").locator("option").allInnerTexts();
  checks.check(JSON.stringify(next) ===
               JSON.stringify(["Sin cambio", "Pendiente de ratificación", "Primer contacto / análisis de riesgo"]),
    `the route offers exactly the node's next statuses, not closing (${next.join(", ")})`);
  await page.getByLabel("Avanzar el estado a").selectOption({ label: "Primer contacto / análisis de riesgo" });
  await page.getByRole("button", { name: "Guardar los cambios" }).click();
  await page.getByText("Cambios guardados.").waitFor();
  checks.check(await shownStatus(page) === "Primer contacto / análisis de riesgo", "the case moved one step along its route");
  await page.getByRole("button", { name: "Editar el caso" }).click();
  const after = await page.getByLabel("Avanzar el estado a").locator("option").allInnerTexts();
  checks.check(JSON.stringify(after) === JSON.stringify(["Sin cambio", "Admisión"]),
    `from first contact the route goes on to admissibility only (${after.join(", ")})`);
  await page.getByRole("button", { name: "Cancelar" }).click();

  // A second browser of hers has the closing form open on this version.
  const s2 = await Session.open(browser, env, "supervisor", env.certificates.supervisor);
  await s2.goto(`/casos/${folio}`);
  await s2.page.getByRole("button", { name: "Cerrar el caso…" }).click();
  await s2.page.getByLabel("Motivo de cierre").selectOption({ label: "Duplicada" });

  // Closing: the reason is the node's rule, its error beside the field.
  await page.getByRole("button", { name: "Cerrar el caso…" }).click();
  const reason = page.getByLabel("Motivo de cierre");
  checks.check(await reason.evaluate((el) => el === document.activeElement), "the closing form's reason has the focus");
  await page.getByRole("button", { name: "Cerrar el caso", exact: true }).click();
  await page.locator("#f-reason[aria-invalid='true']").waitFor();
  const reasonError = await page.locator("#f-reason-error").innerText();
  checks.check(reasonError === "Es obligatorio.",
    `without a reason the node's field error is beside it, in Spanish ("${reasonError}")`);
  await checks.screen(s, "case-close-error");
  await reason.selectOption({ label: "Atención concluida" });
  await page.getByRole("button", { name: "Cerrar el caso", exact: true }).click();
  await page.getByRole("status").filter({ hasText: "Caso cerrado." }).waitFor();
  checks.check(await shownStatus(page) === "Concluida" &&
               (await page.getByText("Motivo de cierre: Atención concluida").count()) === 1,
    "the closed case shows its status and closure reason");
  checks.check(JSON.stringify(await offeredActions(page)) ===
               JSON.stringify(["Reabrir el caso", "Borrar los datos personales…"]),
    `a closed case offers the supervisor reopening (and erasing), not closing (${await offeredActions(page)})`);
  checks.check((await page.getByText("El caso vuelve al estado que tenía antes del cierre: Primer contacto / análisis de riesgo.").count()) === 1,
    "reopening says which status the case goes back to");
  await checks.screen(s, "case-closed");

  // The second browser's closing, on the version before: not done, said,
  // and the current version shown (closed, reason concluded).
  await s2.page.getByRole("button", { name: "Cerrar el caso", exact: true }).click();
  await s2.page.getByRole("alert").filter({ hasText: "El caso cambió mientras usted lo veía" }).waitFor();
  checks.check(await shownStatus(s2.page) === "Concluida" &&
               (await s2.page.getByText("Motivo de cierre: Atención concluida").count()) === 1 &&
               JSON.stringify(await offeredActions(s2.page)) === JSON.stringify(["Reabrir el caso", "Borrar los datos personales…"]),
    "a close on a stale version is not done: the page says so and shows the current version");
  await checks.screen(s2, "case-close-conflict");
  await checks.noCanaries(s2, CANARIES, "supervisor-close");
  await s2.close();

  // A caseworker on the closed case: no supervisor's action; the node
  // allows her no move at all.
  const c = await Session.open(browser, env, "caseworker", env.certificates.caseworker);
  await c.goto(`/casos/${folio}`);
  await c.page.getByRole("heading", { name: /^Caso / }).waitFor();
  const cApi = await caseFromApi(c.page, folio);
  checks.check((cApi.allowedNextStatuses ?? []).length === 0,
    `the node allows the caseworker no move on a closed case (${cApi.allowedNextStatuses ?? "none"})`);
  checks.check((await offeredActions(c.page)).length === 0 &&
               (await c.page.getByRole("heading", { name: "Acciones de supervisión" }).count()) === 0,
    `the caseworker's page of a closed case offers no supervisor's action (${await offeredActions(c.page)})`);
  await checks.screen(c, "case-closed-caseworker");
  await checks.noCanaries(c, CANARIES, "supervisor-close");
  await c.close();

  await page.getByRole("button", { name: "Reabrir el caso" }).click();
  await page.getByRole("status").filter({ hasText: "Caso reabierto." }).waitFor();
  checks.check(await shownStatus(page) === "Primer contacto / análisis de riesgo" &&
               (await page.getByText("Motivo de cierre").count()) === 0,
    "reopened, the case is back where it was before the closure");
  await checks.screen(s, "case-reopened");

  // The same screen in English, by the switch.
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("heading", { name: "Supervisor's actions" }).waitFor();
  checks.check((await page.getByRole("button", { name: "Close the case…" }).count()) === 1 &&
               (await page.getByRole("button", { name: "Erase the personal data…" }).count()) === 1,
    "the supervisor's actions in English after the switch");
  await page.getByRole("button", { name: "Close the case…" }).click();
  await page.getByLabel("Closure reason").waitFor();
  await checks.screen(s, "case-close-en");
  await page.getByRole("button", { name: "Cancel", exact: true }).click();
  checks.check(await page.getByRole("button", { name: "Close the case…" })
    .evaluate((el) => el === document.activeElement),
    "a cancelled form gives the focus back to the button that opened it");
  await page.getByRole("button", { name: "Español" }).click();
  await checks.noCanaries(s, CANARIES, "supervisor-close");
  await s.close();
}
