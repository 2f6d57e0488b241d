// The web client's benchmark (not a timed test; run on its own:
// `node tests/e2e/run.mjs BIN_DIR OUT_DIR bench`), printed on loopback:
// the gzip size of the built JavaScript and CSS (target <= 300 KB), the
// time from opening /casos to a usable list of 50 cases (target < 1 s),
// and the time to render that page of 50 cases once the node has answered
// (target < 200 ms). Medians of RUNS, measured from the test process (so
// they include the DevTools protocol's round trips).
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Session } from "../session.mjs";

const dist = resolve(dirname(fileURLToPath(import.meta.url)), "../../../dist");
const RUNS = 7;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function bench({ browser, env }) {
  let total = 0;
  for (const f of readdirSync(join(dist, "assets"))) {
    if (!/\.(js|css)$/.test(f)) continue;
    const gz = gzipSync(readFileSync(join(dist, "assets", f))).length;
    total += gz;
    console.log(`size: ${f} ${(gz / 1024).toFixed(1)} KB gzip`);
  }
  console.log(`size: JavaScript and CSS ${(total / 1024).toFixed(1)} KB gzip (target <= 300 KB)`);

  // 50 cases, registered through the API as the registrar.
  const r = await Session.open(browser, env, "registrar", env.certificates.registrar);
  await r.goto("/");
  await r.page.evaluate(async () => {
    const day = new Date().toISOString().slice(0, 10).split("-").map(Number);
    for (let i = 0; i < 50; i++) {
      const res = await fetch("/resguardo.v1.CaseService/CreateCase", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Connect-Protocol-Version": "1" },
        body: JSON.stringify({
          parent: "institutions/IEEPCO",
          caseRecord: {
            descriptors: { kind: "CASE_KIND_GBV", stateCode: "20", riskLevel: "RISK_LEVEL_MEDIUM",
                           reportedDate: { year: day[0], month: day[1], day: day[2] } },
            personalData: { victimName: `Persona sintética ${i}` },
          },
        }),
      });
      if (!res.ok) throw new Error(`CreateCase ${res.status}`);
    }
  });
  await r.close();

  const s = await Session.open(browser, env, "caseworker", env.certificates.caseworker);
  const usable = [];
  const render = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = Date.now();
    const answered = s.page.waitForResponse((res) => res.url().endsWith("/ListCases"));
    await s.goto("/casos");
    await answered;
    const tAnswer = Date.now();
    await s.page.waitForFunction(() => document.querySelectorAll("table.cases tbody tr").length >= 50);
    const tRows = Date.now();
    usable.push(tRows - t0);
    render.push(tRows - tAnswer);
  }
  console.log(`time to a usable case list (open /casos to rows shown): median ${median(usable)} ms (target < 1000 ms)`);
  console.log(`time to render a page of 50 cases (the node's answer to the rows shown): median ${median(render)} ms (target < 200 ms)`);
  await s.close();
}
