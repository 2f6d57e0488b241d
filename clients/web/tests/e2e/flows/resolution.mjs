// Issue 19: a supervisor carries a political-violence case through the
// browser from its registration along the sanctioning procedure to
// SENT_TO_COURT, records its resolution with two sanctioned persons, each
// with its own qualification, sanctions and registry term (a fine without
// its amount on the second person is the client's error beside that
// person's field; a missing authority and the second person's missing
// qualification are the node's field errors beside their fields, not the
// first person's), moves it to RESOLVED, records a
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

  // Two sanctioned persons; the first ORDINARY with a fine and 4 years in
  // the registry, the second SERIOUS with 2 years 6 months.
  const form = page.locator("#add-resolution");
  await form.getByLabel("Número de expediente").fill("TEEO-PES-12/2026");
  await form.getByLabel("Sentido de la resolución").selectOption({ label: "Violencia política acreditada" });
  const person = (n) => form.getByRole("group", { name: `Persona sancionada ${n}`, exact: true });
  checks.check(await person(1).count() === 1 && await person(2).count() === 0 &&
               (await person(1).getByRole("button", { name: /^Quitar/ }).count()) === 0,
    "a proven outcome offers one sanctioned person, which cannot be removed");
  const p1 = person(1);
  await p1.getByLabel("Calificación de la falta").selectOption({ label: "Ordinaria" });
  await p1.getByRole("group", { name: "Sanciones" }).getByLabel("Multa").check();
  await p1.getByRole("group", { name: "Sanciones" }).getByLabel("Inscripción en el registro de personas sancionadas").check();
  await p1.getByLabel("Monto de la multa (MXN)").fill("1500.50");
  await p1.getByLabel("Plazo en el registro: años").fill("4");

  await form.getByRole("button", { name: "Añadir otra persona sancionada" }).click();
  const p2 = person(2);
  await p2.waitFor();
  checks.check(await p2.getByLabel("Calificación de la falta").evaluate((el) => el === document.activeElement),
    "an added sanctioned person's first field has the focus");
  // A third, removed again: its own "Quitar" button.
  await form.getByRole("button", { name: "Añadir otra persona sancionada" }).click();
  await person(3).getByRole("button", { name: "Quitar la persona sancionada 3" }).click();
  await person(3).waitFor({ state: "detached" });
  checks.check(await person(2).count() === 1 && await person(3).count() === 0,
    "a sanctioned person beyond the first can be removed");
  // The second person's qualification is left out (the node's error).
  await p2.getByRole("group", { name: "Sanciones" }).getByLabel("Multa").check();
  await p2.getByRole("group", { name: "Sanciones" }).getByLabel("Inscripción en el registro de personas sancionadas").check();
  await p2.getByLabel("Plazo en el registro: años").fill("2");
  await p2.getByLabel("Meses").fill("6");
  await form.getByLabel("Tipo de medida de reparación").selectOption({ label: "Satisfacción (disculpa pública, publicación de la sentencia)" });
  await form.getByLabel("Autoridad responsable").fill("Ayuntamiento de Oaxaca de Juárez");
  await form.getByLabel("Fecha límite").fill("2027-06-30");

  // A fine without its amount on person 2: beside person 2's field, focused.
  await form.getByRole("button", { name: "Registrar una resolución" }).click();
  const fine2 = form.locator("#f-sanctioned-persons-1-sanctions-fine-amount");
  await fine2.and(form.locator("[aria-invalid='true']")).waitFor();
  checks.check((await p2.locator(".field-error:not([hidden])").allInnerTexts()).join(" ").includes("Escriba el monto en pesos") &&
               (await p1.locator("[aria-invalid='true']").count()) === 0 &&
               await fine2.evaluate((el) => el === document.activeElement),
    "a fine without its amount on person 2 is shown beside person 2's field (focused), none on person 1");
  await p2.getByRole("group", { name: "Sanciones" }).getByLabel("Multa").uncheck();

  // The node's field errors beside their fields: no authority, and no
  // qualification on person 2 ("resolution.sanctioned_persons[1].qualification").
  await form.getByRole("button", { name: "Registrar una resolución" }).click();
  await form.locator("#f-resolving-authority[aria-invalid='true']").waitFor();
  const authorityError = await form.locator("#f-resolving-authority-error").innerText();
  checks.check(authorityError.length > 0, `without an authority the node's error is beside the field ("${authorityError}")`);
  const q2 = p2.locator("#f-sanctioned-persons-1-qualification");
  const q2Error = await p2.locator("#f-sanctioned-persons-1-qualification-error").innerText();
  checks.check(await q2.getAttribute("aria-invalid") === "true" && q2Error.length > 0 &&
               (await p1.locator("[aria-invalid='true']").count()) === 0 &&
               await p1.locator("#f-sanctioned-persons-0-qualification-error").isHidden(),
    `person 2's missing qualification is the node's error beside person 2's field, not person 1's ("${q2Error}")`);
  await checks.screen(s, "resolution-error");
  await form.getByLabel("Autoridad que resuelve").fill("Tribunal Electoral del Estado de Oaxaca");
  await p2.getByLabel("Calificación de la falta").selectOption({ label: "Grave" });
  await form.getByRole("button", { name: "Registrar una resolución" }).click();
  await page.getByRole("heading", { name: /^Resolución 1/ }).waitFor();
  const shown = await page.locator("section.resolution").innerText();
  checks.check(shown.includes("TEEO-PES-12/2026") &&
               shown.includes("Ayuntamiento de Oaxaca de Juárez") && shown.includes("Pendiente") &&
               !shown.includes(RESOLVED_CANARY.aggressor),
    "the resolution is shown: file number, its reparation pending, no name");
  const listed = await page.locator("section.resolution .sanctioned-person").allInnerTexts();
  checks.check(listed.length === 2 &&
               listed[0].includes("Persona sancionada 1") && listed[0].includes("Ordinaria") &&
               listed[0].includes("Multa 1500.50 MXN") && listed[0].includes("4 años, 0 meses, 0 días") &&
               listed[1].includes("Persona sancionada 2") && /\bGrave\b/.test(listed[1]) && !listed[1].includes("Multa") &&
               listed[1].includes("2 años, 6 meses, 0 días"),
    `both sanctioned persons are listed by number with their own qualification, sanctions and term (${listed.map((l) => l.replace(/\s+/g, " ")).join(" | ")})`);
  const recorded = (await caseFromApi(page, folio)).resolutions?.[0]?.sanctionedPersons ?? [];
  checks.check(recorded.length === 2 && recorded[0].registryTerm?.years === 4 &&
               recorded[1].registryTerm?.years === 2 && recorded[1].registryTerm?.months === 6,
    "the node holds two sanctioned persons with their own registry terms");

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
  checks.check((await page.getByText("Sanctioned person 1").count()) === 1 &&
               (await page.getByText("Sanctioned person 2").count()) === 1, "the resolutions in English after the switch");
  await checks.screen(s, "resolution-en");
  await page.getByRole("button", { name: "Español" }).click();
  state.finalFolio = folio;
  await checks.noCanaries(s, CANARIES, "resolution");
  await s.close();
}
