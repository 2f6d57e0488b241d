// Alerts across a node restart and a page reload: the prosecutor's
// caseworker keeps the alert list open while the node restarts; a referral
// made after the restart appears in the same page, and after a reload
// every alert is there once.
import { Session } from "../session.mjs";
import { CANARIES, CANARY } from "../canaries.mjs";
import { fillReferral } from "./referral.mjs";

function restartNode() {
  return new Promise((resolve, reject) => {
    process.once("message", (m) => (m && m.restarted ? resolve() : reject(new Error(`restart: ${m && m.error}`))));
    process.send({ restart: true });
  });
}

export async function alertsRestart({ browser, env, checks, state }) {
  const f = await Session.open(browser, env, "prosecutor", env.certificates.prosecutor);
  const fp = f.page;
  await f.goto("/alertas");
  const rows = fp.locator("tbody tr");
  await rows.first().waitFor();
  const before = await rows.count();
  await fp.evaluate(() => { window.__sameDocument = true; });

  await restartNode();
  checks.check(true, "the node restarted (same files and ports)");

  const s = await Session.open(browser, env, "caseworker", env.certificates.caseworker);
  await s.goto(`/casos/${state.folio}/canalizar`);
  await fillReferral(s.page, CANARY.note);
  await s.page.getByRole("button", { name: "Canalizar", exact: true }).click();
  await s.page.getByRole("heading", { name: /^Canalización \d+/ }).waitFor();
  await s.close();

  await fp.waitForFunction((n) => document.querySelectorAll("tbody tr").length === n + 1, before,
                           { timeout: 30000 });
  checks.check(await fp.evaluate(() => window.__sameDocument === true),
    `after the restart the new alert came to the open page without a reload (${before} → ${before + 1})`);
  await fp.reload();
  await rows.first().waitFor();
  const seqs = await fp.locator("tbody tr td:nth-child(2)").allInnerTexts();
  checks.check(seqs.length === before + 1 && new Set(seqs).size === seqs.length,
    `after a reload every alert is listed once (${seqs.join(", ")})`);
  await checks.noCanaries(f, CANARIES, "alerts across a restart");
  await f.close();
}
