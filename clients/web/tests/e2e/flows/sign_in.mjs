// The certificate is the sign-in: a user's certificate opens the client and
// its API calls act as her; a certificate of another CA with the same
// identity is refused in the TLS handshake and reaches nothing.
import { mkdtempSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Session } from "../session.mjs";
import { CANARIES } from "../canaries.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../..");

export async function signIn({ browser, env, checks }) {
  const s = await Session.open(browser, env, "registrar", env.certificates.registrar);
  const response = await s.goto("/");
  checks.check(response.status() === 200, "the registrar's certificate opens the client");
  await s.page.locator("main").waitFor();
  const api = await s.page.evaluate(async () => {
    const r = await fetch("/resguardo.v1.CaseService/ListCases", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Connect-Protocol-Version": "1" },
      body: JSON.stringify({ parent: "institutions/IEEPCO", pageSize: 1 }),
    });
    return r.status;
  });
  checks.check(api === 200, `the page's API calls carry her certificate (ListCases: ${api})`);
  await checks.noCanaries(s, CANARIES, "sign-in");
  await s.close();

  // A certificate of another CA naming the same user.
  const rogue = mkdtempSync(join(tmpdir(), "resguardo-rogue-"));
  try {
    const env2 = { ...process.env, RESGUARDO_TRUST_DOMAIN: "resguardo.local" };
    for (const a of [["ca"], ["client", "IEEPCO", "registradora"]]) {
      spawnSync("bash", [join(repo, "deploy/pki.sh"), rogue, ...a], { env: env2 });
    }
    const r = await Session.open(browser, env, "rogue", {
      origin: env.origin,
      certPath: join(rogue, "clients/IEEPCO/registradora.crt"),
      keyPath: join(rogue, "clients/IEEPCO/registradora.key"),
    });
    const answer = await r.goto("/").catch((e) => e);
    const body = answer instanceof Error ? String(answer) : await answer.text();
    checks.check(!(answer && answer.status && answer.status() === 200) &&
                 !body.includes('id="app"'),
      "a certificate of another CA is refused (no page, no API)");
    await r.close();
  } finally {
    rmSync(rogue, { recursive: true, force: true });
  }
}
