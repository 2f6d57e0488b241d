// Auditors (issue 17): the electoral institute's auditor loads the node's
// verifier key from the file the operator gave her (`resguardod audit-key`),
// sees the latest checkpoint verify in her browser, saves it, filters the
// entries and verifies an entry's inclusion proof in the browser, sees an
// altered proof and an altered checkpoint (the test changes the bytes the
// page receives) fail, and checks that the log still extends the checkpoint
// she saved. The oversight body's auditor pastes the key and exports the
// whole log, which `resguardo audit verify` accepts offline. A caseworker's
// browser is not offered the auditors' screens.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Session } from "../session.mjs";
import { CANARIES } from "../canaries.mjs";

const CHECKPOINT = "**/resguardo.v1.AuditService/GetCheckpoint";
const PROOF = "**/resguardo.v1.AuditService/GetInclusionProof";

async function download(page, click, path) {
  const [d] = await Promise.all([page.waitForEvent("download"), click()]);
  await d.saveAs(path);
  return path;
}

export async function audit({ browser, env, checks }) {
  const s = await Session.open(browser, env, "auditor", env.certificates.auditor);
  const p = s.page;
  await s.goto("/");
  await p.getByRole("link", { name: "Bitácora: punto de control" }).click();
  await p.getByText("Sin verificar (falta la clave)").waitFor();
  checks.check(true, "audit: the checkpoint is not called verified before a key is loaded");

  // A key that is not one: refused beside the field.
  await p.getByLabel("Pegue la clave").fill("resguardo.local/audit+00000000+AAAA");
  await p.getByRole("button", { name: "Usar esta clave" }).click();
  await p.locator("#vkey-error").getByText("La clave no es Ed25519").waitFor();
  checks.check(true, "audit: a malformed verifier key is refused beside the field");

  // The operator's file.
  await p.setInputFiles("#vkey-file", env.vkeys);
  await p.locator("[data-verdict=verified]").getByText("El punto de control VERIFICA").waitFor();
  const size = BigInt(await p.getByTestId("cp-size").textContent());
  checks.check(size > 0n, `audit: the latest checkpoint verifies in the browser under the operator's key (size ${size})`);
  await checks.screen(s, "audit-checkpoint");
  const saved = await download(p, () => p.getByRole("button", { name: "Guardar este punto de control" }).click(),
    join(env.artifacts, "audit-saved-checkpoint.txt"));
  checks.check(readFileSync(saved, "utf8").startsWith(`resguardo.local/audit\n${size}\n`),
    "audit: the checkpoint is saved as a file with its signed note");

  // Entries: the key stays in the page's memory across the auditor's screens.
  await p.getByRole("link", { name: "Bitácora: entradas" }).click();
  await p.locator("[data-verdict=verified]").waitFor();
  await p.getByLabel("Método").fill("/resguardo.v1.AdminService/CreateUser");
  await p.getByRole("button", { name: "Aplicar filtros" }).click();
  await p.locator("table.entries tbody tr").first().waitFor();
  const methods = await p.locator("table.entries td.method").allTextContents();
  checks.check(methods.length > 0 && methods.every((m) => m === "/resguardo.v1.AdminService/CreateUser"),
    `audit: the method filter lists only CreateUser entries (${methods.length})`);
  await p.getByLabel("Resultado").selectOption({ label: "PERMISSION_DENIED (7)" });
  await p.getByRole("button", { name: "Aplicar filtros" }).click();
  await p.getByText("No hay entradas con estos filtros").waitFor();
  checks.check(true, "audit: no CreateUser entry was refused (outcome filter PERMISSION_DENIED)");
  await p.getByLabel("Resultado").selectOption({ label: "OK (0)" });
  await p.getByRole("button", { name: "Aplicar filtros" }).click();
  await p.locator("table.entries tbody tr").first().waitFor();
  const outcomes = await p.locator("table.entries tbody td:nth-child(6)").allTextContents();
  checks.check(outcomes.length > 0 && outcomes.every((o) => o === "OK"), `audit: method and outcome filters together (${outcomes.length} OK)`);
  await p.getByLabel("Desde (hora local)").fill("2099-01-01T00:00");
  await p.getByRole("button", { name: "Aplicar filtros" }).click();
  await p.getByText("No hay entradas con estos filtros").waitFor();
  checks.check(true, "audit: a time range with no entries lists none");
  await p.getByLabel("Desde (hora local)").fill("");
  await p.getByRole("button", { name: "Aplicar filtros" }).click();
  await p.locator("table.entries tbody tr").first().waitFor();
  const row = p.locator("table.entries tbody tr").first();
  const index = await row.getAttribute("data-index");
  await row.getByRole("button", { name: `Verificar inclusión de la entrada ${index}` }).click();
  await p.locator("[data-verdict=included]").getByText(`INCLUIDA: la entrada ${index} está en el árbol`).waitFor();
  checks.check(true, `audit: entry ${index}'s inclusion proof verifies in the browser`);
  await checks.screen(s, "audit-entries");

  // An altered proof: one bit of the first hash flipped on its way in.
  await p.route(PROOF, async (route) => {
    const r = await route.fetch();
    const body = await r.json();
    const h = Buffer.from(body.hashes[0], "base64");
    h[0] ^= 1;
    body.hashes[0] = h.toString("base64");
    await route.fulfill({ response: r, json: body });
  });
  await row.getByRole("button", { name: `Verificar inclusión de la entrada ${index}` }).click();
  await p.locator("[data-verdict=not-included]").getByText("La prueba no lleva a la raíz firmada").waitFor();
  checks.check(true, "audit: an altered inclusion proof does not verify");
  await p.unroute(PROOF);

  // The saved checkpoint against a newer one.
  await p.getByRole("link", { name: "Bitácora: punto de control" }).click();
  await p.locator("[data-verdict=verified]").waitFor();
  await p.waitForTimeout(1100);  // the node's refresh limit (1 s)
  await p.getByRole("button", { name: "Pedir un punto de control nuevo" }).click();
  await p.waitForFunction((old) => BigInt(document.querySelector("[data-testid=cp-size]")?.textContent || "0") > BigInt(old), String(size));
  await p.setInputFiles("#cons-file", saved);
  await p.locator("[data-verdict=consistent]").getByText("CONSISTENTE").waitFor();
  checks.check(true, "audit: the log extends the checkpoint saved earlier (consistency proof verified in the browser)");

  // An altered checkpoint: its size line changed in the bytes the page gets.
  await p.route(CHECKPOINT, async (route) => {
    const r = await route.fetch();
    const body = await r.json();
    const lines = body.checkpoint.note.split("\n");
    lines[1] = String(BigInt(lines[1]) + 1n);
    body.checkpoint.note = lines.join("\n");
    await route.fulfill({ response: r, json: body });
  });
  await p.getByRole("button", { name: "Pedir un punto de control nuevo" }).click();
  await p.locator("[data-verdict=failed]").getByText("El punto de control NO VERIFICA").waitFor();
  checks.check(await p.locator("[data-verdict=failed]").getByText("La firma de la clave que usted cargó no corresponde al texto").isVisible(),
    "audit: a tampered checkpoint does not verify, and the page says why");
  await checks.screen(s, "audit-checkpoint-tampered");
  await p.getByRole("link", { name: "Bitácora: entradas" }).click();
  await p.locator("[data-verdict=failed]").waitFor();
  await p.locator("table.entries tbody tr").first().waitFor();
  checks.check(await p.locator("table.entries tbody tr").first().getByRole("button").isDisabled(),
    "audit: no inclusion proof is offered against a checkpoint that does not verify");
  await p.unroute(CHECKPOINT);
  checks.check(await p.getByText("Exportar la bitácora").count() === 0 &&
    await p.getByRole("link", { name: "Casos" }).count() === 0,
    "audit: the institute's auditor is offered no export and no case screen");
  await p.getByRole("button", { name: "English" }).click();
  await p.getByRole("heading", { name: "Audit log entries" }).waitFor();
  checks.check(true, "audit: the entries screen switches to English");
  await checks.noCanaries(s, CANARIES, "audit");
  await s.close();

  // The oversight body's auditor: the key pasted, the whole log exported.
  const o = await Session.open(browser, env, "oversightAuditor", env.certificates.oversightAuditor);
  await o.goto("/auditoria");
  await o.page.getByLabel("Pegue la clave").fill(readFileSync(env.vkeys, "utf8"));
  await o.page.getByRole("button", { name: "Usar esta clave" }).click();
  await o.page.locator("[data-verdict=verified]").waitFor();
  const bundle = await download(o.page, () => o.page.getByRole("button", { name: "Exportar la bitácora" }).click(),
    join(env.artifacts, "audit-export.bundle"));
  await o.page.locator("[data-export=done]").waitFor();
  const bar = o.page.locator("progress#export-progress");
  checks.check(await bar.count() === 1 && await bar.getAttribute("value") === await bar.getAttribute("max"),
    "audit: the export shows its progress, complete at the end");
  await checks.screen(o, "audit-export");
  const verify = spawnSync(join(env.bin, "resguardo"), ["--lang", "en", "audit", "verify", bundle, "--key", env.vkeys],
    { encoding: "utf8" });
  checks.check(verify.status === 0,
    `audit: the exported bundle verifies offline with resguardo audit verify (exit ${verify.status}: ${(verify.stdout + verify.stderr).trim().split("\n").slice(-2).join(" ")})`);
  await checks.noCanaries(o, CANARIES, "audit-export");
  await o.close();

  // A caseworker is not offered the auditors' screens.
  const c = await Session.open(browser, env, "caseworker", env.certificates.caseworker);
  await c.goto("/");
  await c.page.getByRole("link", { name: "Casos" }).waitFor();
  checks.check(await c.page.getByRole("link", { name: /^Bitácora/ }).count() === 0,
    "audit: a caseworker's navigation offers no audit screen");
  await c.goto("/auditoria");
  await c.page.getByRole("alert").first().waitFor();
  checks.check(await c.page.locator("[data-verdict], table.entries, #vkey-text").count() === 0,
    "audit: a caseworker who types the auditors' address is refused and shown no audit data");
  await c.close();
}
