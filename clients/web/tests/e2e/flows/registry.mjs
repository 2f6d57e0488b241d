// Issue 19: the registry of sanctioned persons in the browser. The
// supervisor reaches /registro from her navigation, inscribes the person
// the final resolution of flows/resolution.mjs sanctions with inscription
// (she says which aggressor by number; the node reads the name), sees the
// entry listed and found by the search, and downloads the signed export
// (CSV, JSON, note), then delists it early by a court order. An analyst typing /registro gets the node's refusal.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Session } from "../session.mjs";
import { CANARIES, RESOLVED_CANARY } from "../canaries.mjs";
import { caseFromApi } from "./supervision_page.mjs";

async function download(page, click, dir) {
  const [d] = await Promise.all([page.waitForEvent("download"), click()]);
  const path = join(dir, d.suggestedFilename());
  await d.saveAs(path);
  return path;
}

export async function registry({ browser, env, checks, state }) {
  const folio = state.finalFolio;
  if (!checks.check(!!folio, "the registry flow has the final case of flows/resolution.mjs")) return;
  const s = await Session.open(browser, env, "supervisor", env.certificates.supervisor);
  const page = s.page;
  await s.goto("/");
  await page.getByRole("navigation", { name: "Navegación principal" })
    .getByRole("link", { name: "Registro de personas sancionadas" }).click();
  await page.getByRole("heading", { name: "Registro de personas sancionadas", level: 2 }).waitFor();

  await page.getByLabel("Folio del caso").fill(folio);
  await page.getByRole("button", { name: "Buscar el caso" }).click();
  await page.getByLabel("Persona sancionada de la resolución").waitFor();
  await page.getByLabel("Cuál de las personas agresoras").fill("1");
  await page.getByLabel("Sexo").selectOption({ label: "Hombre" });
  await page.getByLabel("Cargo que ocupaba o buscaba").fill("Presidente municipal");
  await page.getByLabel("Candidatura", { exact: false }).selectOption({ label: "Ninguna" });
  await checks.screen(s, "registry-inscribe");
  await page.getByRole("button", { name: "Inscribir", exact: true }).click();
  await page.getByText("Persona inscrita.").waitFor();
  const own = page.getByRole("region", { name: "Inscripciones de su institución" });
  await own.getByRole("cell", { name: RESOLVED_CANARY.aggressor }).waitFor();
  const row = await own.getByRole("row").filter({ hasText: RESOLVED_CANARY.aggressor }).innerText();
  checks.check(row.includes("Presidente municipal") && row.includes("TEEO-PES-12/2026") && row.includes("Vigente"),
    `the inscribed person is listed in force with position and file number (${row.replace(/\s+/g, " ")})`);
  const api = await caseFromApi(page, folio);
  checks.check(api.descriptors?.status === "CASE_STATUS_REGISTERED", "the case became REGISTERED");

  const search = page.getByRole("search");
  await search.getByLabel("Cargo").fill("presidente");
  await search.getByRole("button", { name: "Buscar" }).click();
  const found = page.getByRole("region", { name: "Buscar en el registro vigente" });
  await found.getByRole("cell", { name: RESOLVED_CANARY.aggressor }).waitFor();
  checks.check(true, "the search by position finds the entry in force");

  await page.getByRole("button", { name: "Preparar la exportación" }).click();
  await page.getByText(/^Exportación de \d+ inscripciones, firmada\.$/).waitFor();
  const csv = readFileSync(await download(page, () => page.getByRole("button", { name: "Descargar CSV" }).click(), env.artifacts), "utf8");
  const json = JSON.parse(readFileSync(await download(page, () => page.getByRole("button", { name: "Descargar JSON" }).click(), env.artifacts), "utf8"));
  const note = readFileSync(await download(page, () => page.getByRole("button", { name: "Descargar la nota firmada" }).click(), env.artifacts), "utf8");
  checks.check(csv.includes("Presidente municipal") && Array.isArray(json) && json.length >= 1 && /\n\n\u2014 /.test(note),
    "the export downloads as CSV, JSON and a signed note");
  await checks.screen(s, "registry");

  // Early delisting by a court order: the entry is no longer in force, and
  // the case, its last entry gone, becomes DELISTED.
  await own.getByRole("button", { name: "Dar de baja…" }).click();
  await own.getByLabel("Expediente de la orden judicial").fill("SX-JDC-45/2026");
  await own.getByRole("button", { name: "Dar de baja", exact: true }).click();
  await own.getByRole("cell", { name: /^Dada de baja/ }).waitFor();
  checks.check((await caseFromApi(page, folio)).descriptors?.status === "CASE_STATUS_DELISTED",
    "an early delisting by court order: the entry is delisted and the case DELISTED");
  await checks.noCanaries(s, CANARIES, "registry");
  await s.close();

  // Another role typing the address: the node's refusal.
  const a = await Session.open(browser, env, "analyst", env.certificates.analyst);
  await a.goto("/registro");
  await a.page.getByRole("heading", { name: "Sin acceso" }).waitFor();
  await a.page.getByText("El nodo respondió").waitFor();
  checks.check((await a.page.getByRole("link", { name: "Registro de personas sancionadas" }).count()) === 0,
    "an analyst is not offered the registry, and a typed /registro shows the node's refusal");
  await checks.screen(a, "registry-refused");
  await a.close();
}
