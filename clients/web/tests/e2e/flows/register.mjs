// A registrar registers a political-violence case through the form: the
// conducts appear for that kind; one field error from the node (the phone)
// is shown beside its field, in Spanish, announced and focused, and fixed
// in place; a double click on submit creates one case; the folio is shown.
import { Session } from "../session.mjs";
import { CANARIES, CANARY } from "../canaries.mjs";
import { fillPoliticalViolenceCase } from "./case_form.mjs";

export async function register({ browser, env, checks, state }) {
  const s = await Session.open(browser, env, "registrar", env.certificates.registrar);
  const page = s.page;
  await s.goto("/");
  await page.getByRole("link", { name: "Registrar un caso" }).click();
  await page.getByRole("heading", { name: "Registrar un caso" }).waitFor();
  checks.check((await page.getByText("registradora", { exact: true }).count()) === 1 &&
               (await page.getByText("Registradora", { exact: true }).count()) === 1,
    "the header says who the browser is (user and role)");

  checks.check((await page.getByRole("group", { name: /Conductas/ }).count()) === 0,
    "no conducts before the kind is chosen");
  await fillPoliticalViolenceCase(page, { ...CANARY, phone: "12" });
  checks.check((await page.getByRole("group", { name: /Conductas/ }).count()) === 1 &&
               (await page.getByRole("group", { name: /GBVIMS/ }).count()) === 0,
    "conducts shown for a political-violence case, GBVIMS types not");
  await checks.screen(s, "register-form");

  await page.getByRole("button", { name: "Registrar el caso" }).click();
  const phone = page.getByLabel("Teléfono de contacto");
  await page.locator("#f-personal-data-contact-phone[aria-invalid='true']").waitFor();
  const described = await phone.getAttribute("aria-describedby");
  const errorText = described ? await page.locator(`#${described.split(" ").pop()}`).innerText() : "";
  checks.check(errorText === "Debe tener de 7 a 15 dígitos.",
    `the node's field error is beside the phone, in Spanish, described by it ("${errorText}")`);
  checks.check(await phone.evaluate((el) => el === document.activeElement),
    "the field in error has the focus");
  checks.check((await page.getByRole("alert").filter({ hasText: "Revise los campos marcados." }).count()) === 1,
    "the form announces that fields need checking");
  checks.check(await page.getByLabel("Nombre de la víctima").inputValue() === CANARY.victimName,
    "the rest of the form is kept");
  await checks.screen(s, "register-field-error");

  await phone.fill(CANARY.phone);
  await page.getByRole("button", { name: "Registrar el caso" }).dblclick();
  await page.getByRole("heading", { name: "Caso registrado" }).waitFor();
  const folio = await page.locator(".folio").innerText();
  checks.check(/^IEEPCO-\d{4}-\d{6}$/.test(folio), `the folio is shown (${folio})`);
  state.folio = folio;
  await checks.screen(s, "register-done");

  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("button", { name: "Register another case" }).waitFor();
  await page.getByRole("button", { name: "Register another case" }).click();
  checks.check(await page.getByLabel("Victim's name").inputValue() === "",
    "a new form starts empty (and in English after the switch)");
  await checks.screen(s, "register-form-en");
  await page.getByRole("button", { name: "Español" }).click();
  await checks.noCanaries(s, CANARIES, "register");
  await s.close();
}
