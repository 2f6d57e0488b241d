// A real resguardod for the browser tests: the development PKI
// (deploy/pki.sh), a real SQLCipher file in a temporary folder, the HTTPS
// listener serving clients/web/dist, and the institutions and users of the
// issue's flows, set up with the real CLI as deploy/demo.sh does.
//   const node = await startNode({ bin, repo });  ...  await node.stop();
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const TRUST_DOMAIN = "resguardo.local";

// The users of the flows: IEEPCO (the node's operator, an electoral
// institute) with a registrar, two caseworkers (two browsers edit one
// case) and a supervisor, FGEO (the prosecutor) with a caseworker. Admins only set up.
export const USERS = {
  registrar: { inst: "IEEPCO", user: "registradora", role: "REGISTRAR" },
  caseworker: { inst: "IEEPCO", user: "seguimiento", role: "CASEWORKER" },
  caseworker2: { inst: "IEEPCO", user: "seguimiento2", role: "CASEWORKER" },
  supervisor: { inst: "IEEPCO", user: "supervisora", role: "SUPERVISOR" },
  analyst: { inst: "IEEPCO", user: "analista", role: "ANALYST" },
  prosecutor: { inst: "FGEO", user: "fiscal", role: "CASEWORKER" },
  // Auditors: the electoral institute's, and an oversight body's (OBS),
  // who alone may export the whole log.
  auditor: { inst: "IEEPCO", user: "auditora", role: "AUDITOR" },
  oversightAuditor: { inst: "OBS", user: "auditora", role: "AUDITOR" },
  outsider: { inst: "IEEPCO", user: "analista-ajena", role: "ANALYST" },  // no case screen (flows/refusals.mjs)
};

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function must(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", ...opts });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  }
  return r.stdout;
}

export async function startNode({ bin, repo }) {
  const dir = mkdtempSync(join(tmpdir(), "resguardo-web-e2e-"));
  const pki = join(dir, "pki");
  const env = { ...process.env, RESGUARDO_TRUST_DOMAIN: TRUST_DOMAIN };
  const pkiSh = (...a) => must("bash", [join(repo, "deploy/pki.sh"), pki, ...a], { env });
  pkiSh("ca");
  pkiSh("server");
  const all = [["IEEPCO", "admin"], ["FGEO", "admin"], ["OBS", "admin"],
               ...Object.values(USERS).map((u) => [u.inst, u.user])];
  for (const [inst, user] of all) pkiSh("client", inst, user);

  const [port, webPort] = [await freePort(), await freePort()];
  const config = join(dir, "node.textproto");
  writeFileSync(config, `listen_address: "127.0.0.1:${port}"
tls {
  server_cert_file: "pki/server.crt"
  server_key_file: "pki/server.key"
  client_ca_file: "pki/ca.crt"
}
data_dir: "data"
master_key { key_file: "keys/master.key" create_for_development: true }
trust_domain: "${TRUST_DOMAIN}"
operator_institution {
  institution_id: "IEEPCO"
  display_name: "Instituto Estatal Electoral y de Participación Ciudadana de Oaxaca"
  kind: INSTITUTION_KIND_ELECTORAL_INSTITUTE
  state_code: "20"
  first_admin_user_id: "admin"
}
log { format: LOG_FORMAT_JSON }
web { listen_address: "127.0.0.1:${webPort}" static_dir: "${join(repo, "clients/web/dist")}" }
`);
  mkdirSync(join(dir, "keys"), { mode: 0o700 });
  mkdirSync(join(dir, "cli"));
  const cliConf = (inst, user) => {
    const f = join(dir, "cli", `${inst}-${user}.conf`);
    writeFileSync(f, `server = localhost:${port}\nca = ${pki}/ca.crt\n` +
      `cert = ${pki}/clients/${inst}/${user}.crt\nkey = ${pki}/clients/${inst}/${user}.key\n` +
      `institution = ${inst}\n`);
    return f;
  };
  const cli = (inst, user, ...args) => must(join(bin, "resguardo"), ["--lang", "en", ...args],
    { env: { ...env, RESGUARDO_CONFIG: cliConf(inst, user) }, stdio: ["ignore", "pipe", "pipe"] });

  const log = join(dir, "resguardod.log");
  const vkeysFile = join(dir, "node.vkeys");
  must(join(bin, "resguardod"), ["init", "--config", config]);
  const logChunks = [];
  let child = null;
  let exited = null;
  const serve = () => {
    exited = null;
    child = spawn(join(bin, "resguardod"), ["serve", "--config", config],
                  { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (d) => logChunks.push(d));
    child.stderr.on("data", (d) => logChunks.push(d));
    child.on("exit", (code, signal) => { exited = { code, signal }; });
  };
  const halt = async () => {
    if (!exited) {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
  };
  const stop = async () => {
    await halt();
    writeFileSync(log, Buffer.concat(logChunks));
    rmSync(dir, { recursive: true, force: true });
  };
  const ready = async () => {
    for (let i = 0; ; i++) {
      if (exited) throw new Error(`resguardod exited ${JSON.stringify(exited)}: ${Buffer.concat(logChunks)}`);
      const r = spawnSync(join(bin, "resguardo"), ["admin", "institution", "list"],
        { env: { ...env, RESGUARDO_CONFIG: cliConf("IEEPCO", "admin") }, encoding: "utf8" });
      if (r.status === 0) return;
      if (i > 300) throw new Error(`resguardod did not answer (the CLI exited ${r.status}: ${r.stderr})`);
      await new Promise((r2) => setTimeout(r2, 100));
    }
  };
  serve();
  try {
    await ready();
    cli("IEEPCO", "admin", "admin", "institution", "create", "--id", "FGEO",
        "--display-name", "Fiscalía General del Estado de Oaxaca", "--kind", "PROSECUTOR",
        "--state", "20");
    cli("IEEPCO", "admin", "admin", "user", "create", "institutions/FGEO/users/admin",
        "--role", "ADMIN");
    cli("IEEPCO", "admin", "admin", "institution", "create", "--id", "OBS",
        "--display-name", "Órgano de vigilancia", "--kind", "OVERSIGHT", "--state", "20");
    cli("IEEPCO", "admin", "admin", "user", "create", "institutions/OBS/users/admin",
        "--role", "ADMIN");
    for (const u of Object.values(USERS)) {
      cli(u.inst, "admin", "admin", "user", "create", u.user, "--role", u.role);
    }
    // The node's verifier keys as the operator gives them to auditors.
    writeFileSync(vkeysFile, must(join(bin, "resguardod"), ["audit-key", "--config", config]));
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    origin: `https://127.0.0.1:${webPort}`,
    caFile: join(pki, "ca.crt"),
    // Playwright's clientCertificates entry of a user, for the node's origin.
    certificateOf(u) {
      return {
        origin: `https://127.0.0.1:${webPort}`,
        certPath: join(pki, "clients", u.inst, `${u.user}.crt`),
        keyPath: join(pki, "clients", u.inst, `${u.user}.key`),
      };
    },
    pki,
    vkeysFile,
    cli,
    stop,
    // Stops the node (SIGTERM) and starts it again on the same files and
    // ports: what a browser sees across a node restart.
    async restart() {
      await halt();
      serve();
      await ready();
    },
    // The node's log so far (the privacy checks read it too).
    log: () => Buffer.concat(logChunks).toString("utf8"),
  };
}
