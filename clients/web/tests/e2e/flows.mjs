// The flows of issue 16, in order, in one Chromium (tests/browser.mjs), each
// user in her own context with her own client certificate. Run by run.mjs,
// which starts the node and passes RESGUARDO_E2E. Arguments: the names of
// the flows to run (default: all, in order; later flows use what earlier
// ones made).
import { launch } from "../browser.mjs";
import { Checks } from "./checks.mjs";
import { signIn } from "./flows/sign_in.mjs";
import { register } from "./flows/register.mjs";
import { followUp } from "./flows/follow_up.mjs";
import { conflict } from "./flows/conflict.mjs";
import { notFound } from "./flows/not_found.mjs";
import { referral } from "./flows/referral.mjs";
import { alertsRestart } from "./flows/alerts_restart.mjs";
import { bench } from "./flows/bench.mjs";
import { stats } from "./flows/stats.mjs";
import { override } from "./flows/override.mjs";
import { audit } from "./flows/audit.mjs";
import { supervisorClose } from "./flows/supervisor_close.mjs";
import { supervisorErase } from "./flows/supervisor_erase.mjs";
import { refusals } from "./flows/refusals.mjs";
import { admin } from "./flows/admin.mjs";
import { resolution } from "./flows/resolution.mjs";
import { registry } from "./flows/registry.mjs";
import { relatedHint } from "./flows/related_hint.mjs";

const env = JSON.parse(process.env.RESGUARDO_E2E);
const flows = {
  // issue 16: registrars and caseworkers
  signIn, register, followUp, conflict, notFound, referral, alertsRestart, override,
  // issue 17: auditors, analysts, supervisors, each role's screens, admins
  audit, stats, supervisorClose, supervisorErase, refusals, admin,
  // issue 19: resolutions, the registry of sanctioned persons, the
  // related-case hint
  resolution, registry, relatedHint,
};
// Run only when named: the benchmark (flows/bench.mjs).
const named = { ...flows, bench };
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(flows);

const checks = new Checks();
const browser = await launch();
const state = {};  // what a flow leaves for the next: folio, referral, ...
try {
  for (const name of wanted) {
    console.log(`-- ${name}`);
    try {
      await named[name]({ browser, env, checks, state });
    } catch (e) {
      checks.check(false, `${name}: ${e && e.stack ? e.stack.split("\n").slice(0, 4).join(" | ") : e}`);
    }
  }
} finally {
  await browser.close();
}
if (checks.failures.length) {
  console.error(`e2e flows: ${checks.failures.length} failed`);
  process.exit(1);
}
