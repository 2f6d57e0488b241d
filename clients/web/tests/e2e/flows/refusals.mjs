// Each role's navigation offers only its screens, and a hand-typed address
// of a screen her roles do not offer is asked of the node, whose refusal
// (in her language) is what the page shows — never data: a registrar types
// the alerts (and her referral form has no consent override); an analyst
// (no case screen at all) types a case's page and the case list.
import { Session } from "../session.mjs";
import { CANARIES } from "../canaries.mjs";

const navOf = (page) =>
  page.getByRole("navigation", { name: /Navegación principal|Main navigation/ }).getByRole("link").allInnerTexts();

// The page's refusal: the node's PERMISSION_DENIED text in the error box,
// after the node was asked (`method` among the requests).
async function refused(s, checks, path, method, what) {
  const before = s.urls.length;
  await s.goto(path);
  await s.page.getByRole("heading", { name: "Sin acceso" }).waitFor();
  const box = s.page.locator(".error-box");
  await box.waitFor();
  const text = await box.innerText();
  const asked = s.urls.slice(before).some((u) => u.endsWith(method));
  checks.check(asked && text.includes("Ninguno de sus roles permite esta acción") &&
               (await s.page.locator("dl.facts, table").count()) === 0,
    `${what}: the node is asked (${method}: ${asked}) and its refusal shown, no data ("${text.replace(/\n/g, " | ")}")`);
}

export async function refusals({ browser, env, checks, state }) {
  const r = await Session.open(browser, env, "registrar", env.certificates.registrar);
  await r.goto("/");
  await r.page.getByRole("link", { name: "Casos" }).waitFor();
  const rNav = await navOf(r.page);
  checks.check(JSON.stringify(rNav) === JSON.stringify(["Registrar un caso", "Casos", "Canalizaciones", "Catálogos"]),
    `the registrar's navigation offers her screens only (${rNav.join(", ")})`);
  // The imminent-risk override is a supervisor's (override.mjs; a
  // caseworker's form lacks it, referral.mjs): a registrar's lacks it too.
  await r.goto(`/casos/${state.folio}/canalizar`);
  await r.page.getByRole("heading", { name: /Canalizar el caso/ }).waitFor();
  checks.check((await r.page.getByText(/riesgo inminente/).count()) === 0,
    "a registrar is not offered the consent override");
  await refused(r, checks, "/alertas", "/resguardo.v1.ReferralService/ListAlerts", "a registrar types the alerts' address");
  await checks.screen(r, "refused-alerts");
  await r.page.getByRole("button", { name: "English" }).click();
  await r.page.getByRole("heading", { name: "No access" }).waitFor();
  await r.page.locator(".error-box", { hasText: "None of your roles allows this action" }).waitFor();
  checks.check(true, "after the switch the node's refusal comes in English");
  await checks.screen(r, "refused-alerts-en");
  await r.page.getByRole("button", { name: "Español" }).click();
  await refused(r, checks, "/estadisticas", "/resguardo.v1.StatsService/GetAllowance",
    "a registrar types the statistics' address");
  await checks.noCanaries(r, CANARIES, "refusals");
  await r.close();

  const a = await Session.open(browser, env, "outsider", env.certificates.outsider);
  await a.goto("/");
  await a.page.getByText("Analista", { exact: true }).waitFor();
  const aNav = await navOf(a.page);
  checks.check(!aNav.some((n) => /^(Registrar un caso|Casos|Canalizaciones|Alertas)/.test(n)),
    `the analyst's navigation offers no case, referral or alert screen (${aNav.join(", ")})`);
  const folio = state.supervisedFolio ?? state.folio;
  await refused(a, checks, `/casos/${folio}`, "/resguardo.v1.CaseService/GetCase", "an analyst types a case's address");
  await checks.screen(a, "refused-case");
  await refused(a, checks, "/casos", "/resguardo.v1.CaseService/ListCases", "an analyst types the case list's address");
  await checks.noCanaries(a, CANARIES, "refusals");
  await a.close();
}
