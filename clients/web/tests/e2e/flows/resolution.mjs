// Issue 19: a supervisor carries a political-violence case through the
// browser from its registration along the sanctioning procedure to
// SENT_TO_COURT, records its resolution (a missing authority is the node's
// field error beside its field), moves it to RESOLVED, records a
// reparation measure's compliance, declares the resolution final (offered
// to her only then) and moves the case to FINAL. A caseworker of the same
// institution sees the resolution but is not offered declaring it final.
// The case is left for the registry flow (state.finalFolio).
import { Session } from "../session.mjs";
import { CANARIES, RESOLVED_CANARY } from "../canaries.mjs";
import { fillPoliticalViolenceCase } from "./case_form.mjs";
import { caseFromApi, shownStatus } from "./supervision_page.mjs";

async function moveTo(page, label) {
  await page.getByRole("button", { name: "Editar el caso" }).click();
  await page.getByLabel("Avanzar el estado a").selectOption({ label });
  await page.getByRole("button", { name: "Guardar los cambios" }).click();
  await page.getByText("Cambios guardados.").waitFor();
}

export async function resolution({ browser, env, checks, state }) {
  const s = await Session.open(browser, env, "supervisor", env.certificates.supervisor);
  const page = s.page;
  await s.goto("/casos/nuevo");
  await page.getByRole("heading", { name: "Registrar un caso" }).waitFor();
  await fillPoliticalViolenceCase(page, RESOLVED_CANARY);
  await page.getByRole("button", { name: "Registrar el caso" }).click();
  await page.getByRole("heading", { name: "Caso registrado" }).waitFor();
  const folio = await page.locator(".folio").innerText();
  await page.getByRole("link", { name: "Abrir el caso" }).click();
  await page.getByRole("heading", { name: "Resoluciones" }).waitFor();
  checks.check((await page.getByText("Aún no hay resoluciones.").count()) === 1,
    "a new political-violence case shows its (empty) resolutions");

  // Too early: no resolution is offered before the case is sent to court.
  checks.check((await page.getByRole("button", { name: "Registrar una resolución" }).count()) === 0,
    "recording a resolution is not offered before the case is sent to court");

  for (const label of ["Primer contacto / análisis de riesgo", "Admisión", "Admitida", "Instrucción", "Remitida al tribunal"]) {
    await moveTo(page, label);
  }
  checks.check(await shownStatus(page) === "Remitida al tribunal", "the case walks its route to SENT_TO_COURT");

  // The node's field error beside its field: no authority.
  const form = page.locator("#add-resolution");
  await form.getByLabel("Número de expediente").fill("TEEO-PES-12/2026");
  await form.getByLabel("Sentido de la resolución").selectOption({ label: "Violencia política acreditada" });
  await form.getByLabel("Calificación de la falta").selectOption({ label: "Leve" });
  const sanctions = form.getByRole("group", { name: "Sanciones" });
  await sanctions.getByLabel("Amonestación pública").check();
  await sanctions.getByLabel("Inscripción en el registro de personas sancionadas").check();
  await form.getByLabel("Plazo en el registro: años").fill("2");
  await form.getByLabel("Meses").fill("9");
  await form.getByLabel("Tipo de medida de reparación").selectOption({ label: "Satisfacción (disculpa pública, publicación de la sentencia)" });
  await form.getByLabel("Autoridad responsable").fill("Ayuntamiento de Oaxaca de Juárez");
  await form.getByLabel("Fecha límite").fill("2027-06-30");
  await form.getByRole("button", { name: "Registrar una resolución" }).click();
  await form.locator("#f-resolving-authority[aria-invalid='true']").waitFor();
  const authorityError = await form.locator("#f-resolving-authority-error").innerText();
  checks.check(authorityError.length > 0, `without an authority the node's error is beside the field ("${authorityError}")`);
  await checks.screen(s, "resolution-error");
  await form.getByLabel("Autoridad que resuelve").fill("Tribunal Electoral del Estado de Oaxaca");
  await form.getByRole("button", { name: "Registrar una resolución" }).click();
  await page.getByRole("heading", { name: /^Resolución 1/ }).waitFor();
  const shown = await page.locator("section.resolution").innerText();
  checks.check(shown.includes("TEEO-PES-12/2026") && shown.includes("Persona sancionada 1") &&
               shown.includes("Leve") && shown.includes("2 años, 9 meses, 0 días") &&
               shown.includes("Ayuntamiento de Oaxaca de Juárez") && shown.includes("Pendiente") &&
               !shown.includes(RESOLVED_CANARY.aggressor),
    "the resolution is shown: file number, sanctioned person by number with qualification and term, its reparation pending");

  checks.check((await page.getByRole("button", { name: "Registrar una resolución" }).count()) === 0,
    "with its resolution recorded, another is not offered");
  await moveTo(page, "Resuelta");
  checks.check(await shownStatus(page) === "Resuelta", "with its resolution the case moves to RESOLVED");

  // Reparation compliance: only the node's next statuses.
  const compliance = page.locator("section.resolution").getByLabel("Nuevo cumplimiento");
  const offered = await compliance.locator("option").allInnerTexts();
  checks.check(!offered.includes("Pendiente") && offered.includes("Cumplida"),
    `the compliance offered is the node's next statuses (${offered.join(", ")})`);
  await compliance.selectOption({ label: "Cumplida parcialmente" });
  await page.getByRole("button", { name: "Registrar el cumplimiento" }).click();
  await page.locator("section.resolution td", { hasText: /^Cumplida parcialmente/ }).waitFor();

  // A caseworker of the institution: the resolution, no finality.
  const c = await Session.open(browser, env, "caseworker", env.certificates.caseworker);
  await c.goto(`/casos/${folio}`);
  await c.page.getByRole("heading", { name: /^Resolución 1/ }).waitFor();
  checks.check((await c.page.getByRole("button", { name: "Declarar firme la resolución" }).count()) === 0 &&
               (await c.page.getByRole("button", { name: "Registrar una impugnación" }).count()) === 1,
    "a caseworker may record an appeal but is not offered declaring the resolution final");
  await checks.noCanaries(c, CANARIES, "resolution");
  await c.close();

  // Offered now: no appeal pending; the date defaults to today.
  await page.getByRole("button", { name: "Declarar firme la resolución" }).click();
  await page.getByText("Aún no es firme.").waitFor({ state: "detached" });
  checks.check((await page.getByRole("button", { name: "Declarar firme la resolución" }).count()) === 0 &&
               (await page.getByText("Aún no es firme.").count()) === 0,
    "the resolution is final, and finality is no longer offered");
  await moveTo(page, "Firme");
  checks.check(await shownStatus(page) === "Firme", "the case moves to FINAL");
  const api = await caseFromApi(page, folio);
  checks.check(api.resolutions?.[0]?.finalDate !== undefined && api.descriptors?.status === "CASE_STATUS_FINAL",
    "the node holds the final resolution and the FINAL status");
  await checks.screen(s, "resolution-final");

  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("heading", { name: "Resolutions" }).waitFor();
  checks.check((await page.getByText("Sanctioned person 1").count()) === 1, "the resolutions in English after the switch");
  await checks.screen(s, "resolution-en");
  await page.getByRole("button", { name: "Español" }).click();
  state.finalFolio = folio;
  await checks.noCanaries(s, CANARIES, "resolution");
  await s.close();
}
