// An analyst (IEEPCO, role ANALYST) builds state × risk level: her
// navigation offers statistics and no case screen; she sees what she may
// spend before she spends it; the answer's withheld cells say "suprimido"
// (never 0) in the table, and are hatched squares (never bars) in the chart
// drawn in the browser; the CSV she downloads has exactly the numbers of
// the node's answer (the test asks the node itself with her certificate);
// the chart downloads as SVG; English by the switch; by resolution outcome,
// the cases without a resolution are pending. The cases behind the
// table are registered through the API (with canary personal data, which
// must appear nowhere on these screens): Oaxaca with enough cases at two
// risk levels for released cells, and small cells elsewhere.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Session } from "../session.mjs";
import { CANARIES, CANARY } from "../canaries.mjs";
import { callApi } from "../api.mjs";

const CASES = [["20", "RISK_LEVEL_HIGH", 6], ["20", "RISK_LEVEL_MEDIUM", 6], ["20", "RISK_LEVEL_LOW", 2],
               ["21", "RISK_LEVEL_LOW", 1]];

const QUERY = {
  parent: "institutions/IEEPCO",
  dimensions: ["STATS_DIMENSION_STATE", "STATS_DIMENSION_RISK_LEVEL"],
  measure: "STATS_MEASURE_CASES",
};

async function registerCases(env) {
  const n = new Date();
  const day = { year: n.getFullYear(), month: n.getMonth() + 1, day: n.getDate() };
  for (const [stateCode, riskLevel, count] of CASES) {
    for (let i = 0; i < count; i++) {
      await callApi(env, env.certificates.registrar, "/resguardo.v1.CaseService/CreateCase", {
        parent: "institutions/IEEPCO",
        caseRecord: {
          descriptors: { kind: "CASE_KIND_GBV", stateCode, riskLevel, reportedDate: day },
          personalData: { victimName: CANARY.victimName, narrative: CANARY.narrative },
        },
      });
    }
  }
}

// Issue 19: the resolution dimensions, with what the client reads from the
// StatsDimension descriptors: a filter on days to resolution offers its
// buckets (stats_bucket), its "none" in words; the outcome's "not recorded"
// cell says "Pendiente (sin resolución)" (stats_unrecorded_label). None of
// the cases has a resolution: all of them are pending, with no resolution
// yet, so the filter on "none" keeps them all.
const RESOLUTION_BUCKETS = ["Sin resolución", "0-30", "31-90", "91-180", "181-365", "366+"];

async function resolutionOutcome(page, checks, table) {
  // The pending cases, in words; `filtered` says what the query had.
  const pending = async (filtered) => {
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/resguardo.v1.StatsService/Query")),
      page.getByRole("button", { name: "Consultar" }).click()]);
    const label = table.getByText("Pendiente (sin resolución)", { exact: true });
    const shown = answer.ok() && await label.first().waitFor({ timeout: 15000 }).then(() => true, () => false);
    const error = shown ? "" : `${answer.status()} ${(await page.locator(".error-box").allInnerTexts()).join(" ")}`;
    checks.check(shown && (await table.getByText("no registrado").count()) === 0 &&
                 (await table.getByText("Sentido de la resolución").count()) > 0,
      `by resolution outcome${filtered}, the cases without a resolution are "Pendiente (sin resolución)", ` +
      `not "no registrado"${error ? ` (${error})` : ""}`);
  };
  await page.getByLabel("Dimensión 1").selectOption({ label: "Sentido de la resolución" });
  await page.getByLabel("Dimensión 2").selectOption({ label: "Ninguna" });
  await pending("");
  await page.getByRole("button", { name: "Añadir un filtro" }).click();
  await page.getByLabel("Filtrar por (1)").selectOption({ label: "Días hasta la resolución" });
  const buckets = (await page.locator("#filter-0-values label.check").allInnerTexts()).map((b) => b.trim());
  checks.check(JSON.stringify(buckets) === JSON.stringify(RESOLUTION_BUCKETS),
    `a filter on days to resolution offers its six buckets, "none" in words (${buckets})`);
  await page.locator("#filter-0-values input[type=checkbox]").first().check();
  await pending(", filtered on no resolution yet");
}

// The rows of the answer in the order the table and the CSV list them.
const rowsOf = (a) => [...(a.cells ?? []), ...(a.margins ?? []), a.total ?? {}];
const valueOf = (c) => (c.suppressed ? "" : String(c.count ?? "0"));

export async function stats({ browser, env, checks, state }) {
  await registerCases(env);
  const s = await Session.open(browser, env, "analyst", env.certificates.analyst);
  const page = s.page;
  await s.goto("/");
  const nav = page.getByRole("navigation", { name: "Navegación principal" });
  await nav.getByRole("link", { name: "Estadísticas" }).waitFor();
  const links = await nav.getByRole("link").evaluateAll((as) => as.map((a) => a.pathname));
  checks.check(JSON.stringify(links) === JSON.stringify(["/estadisticas", "/catalogos"]),
    `the analyst's navigation offers statistics and no case screen (${links})`);

  await nav.getByRole("link", { name: "Estadísticas" }).click();
  await page.getByRole("heading", { name: "Estadísticas anonimizadas" }).waitFor();
  const allowance = page.locator(".allowance");
  await allowance.waitFor();
  const allowanceText = await allowance.innerText();
  checks.check(/consultas disponibles sin ε: \d+; presupuesto de privacidad disponible: ε = [\d.]+/.test(allowanceText),
    `what she may spend is shown before she queries ("${allowanceText}")`);
  checks.check((await page.getByText("Esta consulta gastará una de sus consultas").count()) === 1,
    "the cost of the query is said before she spends it");
  const eps = page.getByLabel("Privacidad diferencial: ε");
  await eps.fill("0.5");
  checks.check((await page.getByText("Esta consulta gastará ε = 0.5 de su presupuesto").count()) === 1,
    "with ε the cost said is that ε, before she spends it");
  await eps.fill("");
  await page.getByLabel("Dimensión 1").selectOption({ label: "Estado" });
  await page.getByLabel("Dimensión 2").selectOption({ label: "Nivel de riesgo" });
  await checks.screen(s, "stats-builder");

  await page.getByRole("button", { name: "Consultar" }).click();
  const table = page.locator("table.stats-table");
  await table.waitFor();
  const api = await callApi(env, env.certificates.analyst, "/resguardo.v1.StatsService/Query", QUERY);
  const rows = rowsOf(api);
  const cells = api.cells ?? [];
  const withheld = cells.filter((c) => c.suppressed).length;
  checks.check(withheld > 0 && withheld < cells.length,
    `state × risk level has released and withheld cells (${cells.length - withheld} released, ${withheld} withheld)`);
  checks.check(cells.some((c) => c.values[0] === "21" && c.suppressed),
    "the small cell (Puebla) is withheld");

  // The table (a cross table of state by risk level, with the one-way
  // totals and the grand total): each of the node's numbers in its place,
  // withheld ones say so.
  const shown = await table.locator("td[data-key]").evaluateAll((tds) =>
    Object.fromEntries(tds.map((td) => [td.dataset.key, td.textContent.trim()])));
  const keyOf = (c) => [0, 1].map((i) => c.values?.[i] ?? "").join("|");
  const wrong = rows.filter((c) => shown[keyOf(c)] !== (c.suppressed ? "suprimido" : valueOf(c)));
  checks.check(rows.length === Object.keys(shown).length && wrong.length === 0,
    `the table shows the node's numbers and "suprimido" for withheld cells, never 0 (${rows.length} numbers${wrong.length ? `; wrong: ${JSON.stringify(wrong.slice(0, 3))}` : ""})`);
  const oaxacaHigh = await table.locator('td[data-key="20|RISK_LEVEL_HIGH"]').evaluate((td) => {
    const header = td.closest("table").tHead.rows[1].cells[td.cellIndex];
    return [td.parentElement.cells[0].textContent, header.textContent, td.textContent];
  });
  checks.check(JSON.stringify(oaxacaHigh) === JSON.stringify(["Oaxaca", "Alto", shown["20|RISK_LEVEL_HIGH"]]),
    `State names from the catalogue, risk levels by their labels (${oaxacaHigh})`);
  checks.check((await page.getByText(/^Pérdida de información: [\d.]+ %/).count()) === 1,
    "the information loss is shown");
  checks.check((await page.getByText(/^Consultas restantes: \d+\.$/).count()) === 1 &&
               (await page.getByText(/^Privacidad diferencial: ε =/).count()) === 0,
    "without ε: the queries left, and no differential-privacy note");
  const mostlyWithheld = (api.informationLoss ?? 0) >= 0.5 || !!api.suppressionBudgetExhausted;
  checks.check((await page.getByText("La mayor parte de la tabla está suprimida").count()) === (mostlyWithheld ? 1 : 0),
    `the hint to ask for a coarser table is shown when most is withheld (${mostlyWithheld})`);

  // The chart: released cells are bars, withheld ones hatched squares.
  const chart = page.locator("svg#stats-chart");
  const bars = await chart.locator("g.cell").count();
  const squares = await chart.locator("g.suppressed rect").evaluateAll((rs) => rs.map((r) => ({
    fill: r.getAttribute("fill"), w: r.getAttribute("width"), h: r.getAttribute("height"),
    title: r.parentElement.querySelector("title").textContent,
  })));
  checks.check(bars === cells.length - withheld && squares.length === withheld,
    `the chart has a bar per released cell (${bars}) and a mark per withheld one (${squares.length})`);
  checks.check(squares.every((q) => q.fill === "url(#stats-chart-hatch)" && q.w === q.h && q.title.endsWith(": suprimido")),
    "withheld cells are hatched squares of one size, titled suprimido");
  checks.check((await chart.locator("title").first().textContent()) === "Casos por Estado y Nivel de riesgo",
    "the chart is titled by the measure and the dimensions");
  checks.check((await page.locator("a[href^='/casos']").count()) === 0, "nothing on the screen leads to a case");
  await checks.screen(s, "stats-answer");

  // Downloads: the CSV has the node's numbers; the chart as SVG.
  const [csvDownload] = await Promise.all([page.waitForEvent("download"),
    page.getByRole("button", { name: "Descargar la tabla (CSV)" }).click()]);
  await csvDownload.saveAs(join(env.artifacts, "stats-state-risk.csv"));
  const csv = readFileSync(join(env.artifacts, "stats-state-risk.csv"), "utf8").split("\r\n").filter(Boolean)
    .map((l) => l.split(","));
  const header = csv[0];
  const body = csv.slice(1, 1 + rows.length);
  const codeOk = (code, value) => (value === "" ? code === "TOTAL" : code === value || value.endsWith(`_${code}`));
  const same = header.join(",") === "state,risk_level,value,suppressed" && body.length === rows.length &&
    rows.every((c, i) => body[i][2] === valueOf(c) && body[i][3] === String(!!c.suppressed) &&
                         codeOk(body[i][0], c.values?.[0] ?? "") && codeOk(body[i][1], c.values?.[1] ?? ""));
  checks.check(same, `the CSV's numbers equal the node's answer (${rows.length} rows)`);
  const loss = csv[1 + rows.length];
  checks.check(loss && loss[0] === "INFORMATION_LOSS" && loss[2] === Number(api.informationLoss ?? 0).toFixed(4),
    `the CSV ends with the information loss (${loss})`);
  const [svgDownload] = await Promise.all([page.waitForEvent("download"),
    page.getByRole("button", { name: "Descargar la gráfica (SVG)" }).click()]);
  await svgDownload.saveAs(join(env.artifacts, "stats-state-risk.svg"));
  const svg = readFileSync(join(env.artifacts, "stats-state-risk.svg"), "utf8");
  checks.check(svg.startsWith("<?xml") && svg.includes('xmlns="http://www.w3.org/2000/svg"') &&
               (svg.match(/class="suppressed"/g) ?? []).length === withheld,
    "the chart downloads as a standalone SVG with its withheld cells");

  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("heading", { name: "Anonymised statistics" }).waitFor();
  checks.check((await table.locator("td.suppressed").first().innerText()).trim() === "suppressed" &&
               (await chart.locator("title").first().textContent()) === "Cases by State and Risk level",
    "in English: withheld cells say suppressed, the chart's title too");
  await checks.screen(s, "stats-answer-en");
  await page.getByRole("button", { name: "Español" }).click();
  await page.getByRole("heading", { name: "Estadísticas anonimizadas" }).waitFor();
  await resolutionOutcome(page, checks, table);
  await checks.screen(s, "stats-resolution-outcome");
  await checks.noCanaries(s, CANARIES, "stats");
  state.statsAnswer = api;
  await s.close();
}
