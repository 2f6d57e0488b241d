// A supervisor refers the (critical-risk) case without consent, under her
// imminent-risk override with a reason: the form offers it to her alone.
import { Session } from "../session.mjs";
import { CANARIES } from "../canaries.mjs";

export async function override({ browser, env, checks, state }) {
  const s = await Session.open(browser, env, "supervisor", env.certificates.supervisor);
  const page = s.page;
  await s.goto(`/casos/${state.folio}/canalizar`);
  await page.getByLabel("Institución que recibe (obligatorio)", { exact: true })
    .selectOption({ label: "Fiscalía General del Estado de Oaxaca" });
  await page.getByRole("group", { name: "Servicios que se solicitan" }).getByLabel("Refugio").check();
  await page.getByLabel(/riesgo inminente/).check();
  checks.check((await page.getByLabel("Quién dio el consentimiento").count()) === 0,
    "under the override the consent fields give way to a reason");
  await page.getByLabel("Por qué no puede esperar").fill("corto");
  await page.getByRole("radio", { name: "Solo contacto" }).check();
  await page.getByRole("button", { name: "Canalizar", exact: true }).click();
  checks.check((await page.getByText("Escriba al menos 10 caracteres.").count()) === 1,
    "a reason under 10 characters is refused beside its field");
  await page.getByLabel("Por qué no puede esperar").fill("Amenaza de muerte reciente; la víctima no está localizable.");
  await checks.screen(s, "refer-override");
  await page.getByRole("button", { name: "Canalizar", exact: true }).click();
  await page.getByRole("heading", { name: /^Canalización \d+/ }).waitFor();
  checks.check(true, "the supervisor's override referral is made");
  await checks.noCanaries(s, CANARIES, "override");
  await s.close();
}
