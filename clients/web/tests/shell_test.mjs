// The built web client (dist/) in a real Chromium, served here with the
// headers the node's listener sends (strict CSP: default-src 'self', no
// inline script; no-store; nosniff): the page runs under that CSP with no
// console error, catalogue labels come from the .proto files in both
// languages, the language choice survives a reload and is the only thing
// stored, and axe-core finds no serious or critical violation.
// Usage: node tests/shell_test.mjs [ARTIFACT_DIR]  (exit 0 = pass)
import { createServer } from "node:http";
import { mkdirSync, readFileSync, existsSync } from "node:fs";
import { extname, join, normalize, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { launch } from "./browser.mjs";

const web = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(web, "dist");
const artifacts = resolve(process.argv[2] || join(web, "test-artifacts"));
mkdirSync(artifacts, { recursive: true });
if (!existsSync(join(dist, "index.html"))) {
  console.error("shell_test: no clients/web/dist: run bash deploy/build-web.sh");
  process.exit(1);
}

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
  let file = join(dist, path);
  if (!file.startsWith(dist) || !existsSync(file) || path === "/") {
    file = join(dist, "index.html");
  }
  res.writeHead(200, {
    "Content-Type": types[extname(file)] || "application/octet-stream",
    "Content-Security-Policy":
      "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
  });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const origin = `http://127.0.0.1:${server.address().port}`;

const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
};

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));

  await page.goto(origin + "/");
  await page.getByRole("heading", { name: "Catálogos" }).waitFor();
  check((await page.locator("html").getAttribute("lang")) === "es", "Spanish first");
  await page.getByLabel("Catálogo", { exact: true }).selectOption({ label: "Tipo de institución" });
  check((await page.getByRole("cell", { name: "Fiscalía", exact: true }).count()) === 1,
        "Spanish label from the proto's label option (Fiscalía)");
  await page.screenshot({ path: join(artifacts, "catalogues-es.png") });

  await page.getByRole("button", { name: "Cambiar el idioma a inglés" }).click();
  await page.getByRole("heading", { name: "Catalogues" }).waitFor();
  check((await page.getByRole("option", { name: "Institution kind" }).count()) === 1,
        "the catalogue's own label from the proto's catalogue_label option, in English");
  check((await page.getByRole("cell", { name: "Prosecutor", exact: true }).count()) === 1,
        "English label after the switch (Prosecutor)");
  await page.reload();
  await page.getByRole("heading", { name: "Catalogues" }).waitFor();
  check((await page.locator("html").getAttribute("lang")) === "en",
        "the choice survives a reload");
  await page.screenshot({ path: join(artifacts, "catalogues-en.png") });

  const stored = await page.evaluate(() => ({
    local: Object.keys(localStorage),
    session: Object.keys(sessionStorage),
    cookies: document.cookie,
  }));
  check(JSON.stringify(stored.local) === '["resguardo.lang"]' &&
        stored.session.length === 0 && stored.cookies === "",
        `only the language is stored (${JSON.stringify(stored)})`);

  // Keyboard: the skip link is the first stop and moves focus to main.
  await page.keyboard.press("Tab");
  check((await page.evaluate(() => document.activeElement?.className)) === "skip",
        "the first Tab reaches the skip link");

  const require = createRequire(import.meta.url);
  await page.addScriptTag({ content: readFileSync(require.resolve("axe-core/axe.min.js"), "utf8") })
    .catch(() => {});
  // The page's CSP forbids injected inline scripts, as it should: run axe in
  // a page of its own origin without one (the same DOM, copied).
  let axe = await page.evaluate(() => typeof window.axe);
  if (axe !== "object") {
    const html = await page.content();
    const plain = await context.newPage();
    await plain.setContent(html.replace(/<script[^>]*>[^<]*<\/script>/g, ""));
    await plain.addScriptTag({ content: readFileSync(require.resolve("axe-core/axe.min.js"), "utf8") });
    axe = await plain.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ["violations"] });
      return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id}: ${v.help}`);
    });
    await plain.close();
  }
  check(Array.isArray(axe) && axe.length === 0,
        `axe-core: no serious or critical violation ${JSON.stringify(axe)}`);
  // The axe injection above is refused by the CSP and reported; anything
  // else on the console is a failure.
  const unexpected = consoleErrors.filter((m) => !/Content Security Policy.*script/i.test(m));
  check(unexpected.length === 0, `no console error or warning ${JSON.stringify(unexpected)}`);
  check(consoleErrors.length >= 1, "the CSP refuses an injected inline script");
} finally {
  await browser.close();
  server.close();
}
if (failures.length) {
  console.error(`shell_test: ${failures.length} failed`);
  process.exit(1);
}
console.log("shell_test: all passed");
