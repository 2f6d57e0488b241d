// The web client's end-to-end test: a real resguardod (test_node.mjs) and
// Debian's Chromium through playwright-core (flows.mjs), one browser for the
// whole run. Starts the node, runs flows.mjs in a child Node.js process that
// trusts the test CA (NODE_EXTRA_CA_CERTS: the TLS Playwright makes to the
// node with each user's client certificate verifies the node's certificate
// against it), stops the node, and checks that no canary reached its log.
//   node tests/e2e/run.mjs BIN_DIR ARTIFACT_DIR   (exit 0 = pass)
import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startNode, USERS } from "./test_node.mjs";
import { CANARIES } from "./canaries.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../../../..");
const bin = resolve(process.argv[2] || join(repo, "build/bin"));
const artifacts = resolve(process.argv[3] || join(repo, "build/web-artifacts"));
mkdirSync(artifacts, { recursive: true });
if (!existsSync(join(repo, "clients/web/dist/index.html"))) {
  console.error("e2e: no clients/web/dist: run bash deploy/build-web.sh");
  process.exit(1);
}

const node = await startNode({ bin, repo });
let code = 1;
try {
  const env = {
    origin: node.origin,
    artifacts,
    certificates: Object.fromEntries(Object.entries(USERS).map(([k, u]) => [k, node.certificateOf(u)])),
    pki: node.pki,
    bin,
    vkeys: node.vkeysFile,
  };
  const child = spawn(process.execPath, [join(here, "flows.mjs"), ...process.argv.slice(4)], {
    // The IPC channel: a flow asks for a node restart ({ restart: true }).
    stdio: ["inherit", "inherit", "inherit", "ipc"],
    env: { ...process.env, NODE_EXTRA_CA_CERTS: node.caFile, RESGUARDO_E2E: JSON.stringify(env) },
  });
  child.on("message", async (m) => {
    if (!m || !m.restart) return;
    try {
      await node.restart();
      child.send({ restarted: true });
    } catch (e) {
      child.send({ restarted: false, error: String(e).split("\n").slice(-3).join(" ") });
    }
  });
  code = await new Promise((r) => child.on("exit", (c) => r(c ?? 1)));
  const log = node.log();
  const found = CANARIES.filter((c) => log.includes(c));
  console.log(`${found.length ? "FAIL" : "ok  "} no canary in the node's log${found.length ? `: ${found}` : ""}`);
  if (found.length) code = 1;
} finally {
  await node.stop();
}
console.log(code === 0 ? "e2e: all passed" : "e2e: FAILED");
process.exit(code);
