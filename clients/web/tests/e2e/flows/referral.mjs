// The caseworker refers the case to the prosecutor with the victim's
// consent (contact and narrative: the form lists those fields in plain
// words); the prosecutor's caseworker finds it in her inbox, reads exactly
// the consented fields after declaring a purpose, and accepts it.
import { Session } from "../session.mjs";
import { CANARIES, CANARY } from "../canaries.mjs";

export async function referral({ browser, env, checks, state }) {
  // The prosecutor's caseworker has the client open before the referral.
  const f = await Session.open(browser, env, "prosecutor", env.certificates.prosecutor);
  const fp = f.page;
  await f.goto("/");
  await fp.getByRole("link", { name: "Alertas" }).waitFor();
  checks.check((await fp.locator(".badge").count()) === 0, "the prosecutor has no alert yet");
  await fp.evaluate(() => { window.__sameDocument = true; });

  const s = await Session.open(browser, env, "caseworker", env.certificates.caseworker);
  const page = s.page;
  await s.goto(`/casos/${state.folio}`);
  await page.getByRole("link", { name: "Canalizar este caso" }).click();
  await page.getByRole("heading", { name: /Canalizar el caso/ }).waitFor();
  checks.check((await page.getByText(/riesgo inminente/).count()) === 0,
    "a caseworker is not offered the consent override");
  const sends = await fillReferral(page, CANARY.note);
  checks.check(sends.includes("Nombre de la víctima") && sends.includes("Narración de los hechos") &&
               !sends.includes("CURP"),
    `the scope lists in plain words what it sends ("${sends}")`);
  await checks.screen(s, "refer-case");
  await page.getByRole("button", { name: "Canalizar", exact: true }).click();
  await page.getByRole("heading", { name: /^Canalización \d+/ }).waitFor();
  state.referralPath = new URL(page.url()).pathname;
  checks.check(/^\/canalizaciones\/IEEPCO\/\d+$/.test(state.referralPath),
    `the referral page's path is its id (${state.referralPath})`);
  checks.check((await page.getByText(CANARY.victimName).count()) === 0,
    "the sender's referral page shows no shared data");
  await checks.screen(s, "referral-sent");
  await checks.noCanaries(s, CANARIES, "referral (sender)");
  await s.close();

  await fp.locator(".badge").waitFor();
  checks.check(await fp.evaluate(() => window.__sameDocument === true),
    "the alert appears in the prosecutor's open page without a reload");
  await fp.getByRole("link", { name: /Alertas/ }).click();
  await fp.getByRole("cell", { name: "Nueva canalización" }).waitFor();
  checks.check((await fp.getByText("Se actualizan solas").count()) === 1,
    "the alert list is live (WatchAlerts over the Connect stream opened)");
  checks.check((await fp.locator(".badge").count()) === 0, "seen, the badge goes");
  await checks.screen(f, "alerts");
  await fp.getByRole("link", { name: "Canalizaciones" }).click();
  const row = fp.getByRole("table").locator("tbody tr");
  await row.first().waitFor();
  checks.check((await row.count()) === 1 && (await row.first().getByText(state.folio).count()) === 1,
    "the prosecutor's inbox has the referral of the case");
  await checks.screen(f, "referral-inbox");
  await row.first().getByRole("link").click();
  await fp.getByLabel("Propósito de la consulta").selectOption({ label: "Canalización" });
  await fp.getByRole("button", { name: "Mostrar los datos personales" }).click();
  await fp.getByText(CANARY.victimName).waitFor();
  const shared = await fp.locator("dl.personal-data").innerText();
  checks.check(shared.includes(CANARY.narrative) && shared.includes(CANARY.phone) &&
               shared.includes(CANARY.email) && !shared.includes(CANARY.aggressor) &&
               !shared.includes("CURP"),
    "she reads exactly the consented fields (contact and narrative, not the aggressor's name)");
  checks.check((await fp.getByText(CANARY.note).count()) === 1, "and the note");
  await checks.screen(f, "referral-received");
  await fp.getByRole("button", { name: "Aceptar" }).click();
  await fp.getByText("Canalización actualizada.").waitFor();
  checks.check((await fp.locator("dl.facts").first().getByText("Aceptada").count()) === 1,
    "she accepts the referral");
  await fp.getByLabel("Tipo de actuación").selectOption({ label: "Asesoría jurídica" });
  await fp.getByLabel("Notas (datos personales").fill(CANARY.notes);
  await fp.getByRole("button", { name: "Agregar una actuación" }).click();
  await fp.locator(".timeline").getByText("Asesoría jurídica").waitFor();
  checks.check(true, "she records a follow-up of her institution on the referral");
  await checks.screen(f, "referral-accepted");
  await checks.noCanaries(f, CANARIES, "referral (receiver)");
  await f.close();
}

// Fills the referral form open on `page` (to FGEO, criminal investigation,
// the victim's written consent, contact and narrative, a note); returns
// the words listing what that scope sends.
export async function fillReferral(page, note) {
  await page.getByLabel("Institución que recibe (obligatorio)", { exact: true }).selectOption({ label: "Fiscalía General del Estado de Oaxaca" });
  await page.getByRole("group", { name: "Servicios que se solicitan" }).getByLabel("Investigación penal").check();
  await page.getByLabel("Quién dio el consentimiento").selectOption({ label: "La víctima" });
  await page.getByLabel("Cómo lo dio").selectOption({ label: "Por escrito" });
  const scope = page.getByRole("radio", { name: "Contacto y narración" });
  const described = await scope.getAttribute("aria-describedby");
  const sends = await page.locator(`#${described}`).innerText();
  await scope.check();
  await page.getByLabel("Nota para la institución que recibe").fill(note);
  return sends;
}
