// One user's browser context against the test node, and what the privacy
// and accessibility checks need from it: every URL the page asked for, every
// page title, every console message; the storage of the context; axe-core on
// the page as it is; a screenshot at 1280×800 and at 390 px wide.
//
// The certificate is the sign-in: Playwright's `clientCertificates` gives
// the user's certificate and key for the node's origin. Playwright does the
// TLS to the node itself (the browser talks to Playwright through a local
// proxy, with a certificate of Playwright's own that it tells the browser to
// accept); that TLS verifies the node's certificate against Node.js's trust
// store, to which run.mjs adds the test CA (NODE_EXTRA_CA_CERTS) — the
// context does not set ignoreHTTPSErrors.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export class Session {
  static async open(browser, env, who, certificate) {
    const context = await browser.newContext({
      viewport: DESKTOP,
      clientCertificates: certificate ? [certificate] : [],
      locale: "es-MX",
    });
    const s = new Session(context, env, who);
    s.page = await context.newPage();
    s.watch(s.page);
    return s;
  }

  constructor(context, env, who) {
    this.context = context;
    this.env = env;
    this.who = who;
    this.urls = [];
    this.titles = [];
    this.console = [];
  }

  watch(page) {
    page.on("request", (r) => this.urls.push(r.url()));
    page.on("framenavigated", (f) => {
      if (f === page.mainFrame()) this.urls.push(f.url());
    });
    page.on("console", (m) => this.console.push(`${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => this.console.push(`pageerror: ${e}`));
    page.on("load", () => {
      page.title().then((t) => this.titles.push(t), () => {});
    });
  }

  async goto(path) {
    return this.page.goto(this.env.origin + path);
  }

  // Everything the browser kept or showed outside the page's memory: the
  // storage of every page of the context, the cookies, the IndexedDB
  // databases, and what was watched. Titles are read now too.
  async leftovers() {
    const out = { urls: this.urls, titles: [...this.titles], console: this.console };
    const pages = this.context.pages();
    out.storage = [];
    for (const p of pages) {
      if (!p.url().startsWith(this.env.origin)) continue;
      out.titles.push(await p.title());
      out.storage.push(await p.evaluate(async () => {
        const dump = (s) => Object.keys(s).map((k) => [k, s.getItem(k)]);
        const dbs = indexedDB.databases ? await indexedDB.databases() : [];
        return { local: dump(localStorage), session: dump(sessionStorage),
                 indexedDB: dbs.map((d) => d.name), cookie: document.cookie };
      }));
    }
    out.cookies = await this.context.cookies();
    return out;
  }

  // axe-core on the page as it is (injected through the DevTools protocol,
  // which the page's CSP does not govern): the serious and critical
  // violations, as "id: help (targets)".
  async axe() {
    const p = this.page;
    if ((await p.evaluate(() => typeof window.axe)) !== "object") {
      await p.evaluate(axeSource);
    }
    return p.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ["violations"] });
      return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
    });
  }

  // Screenshots of the screen at both sizes, named NAME-1280.png and
  // NAME-390.png in the artifacts folder.
  async screenshots(name) {
    const p = this.page;
    await p.screenshot({ path: join(this.env.artifacts, `${name}-1280.png`), fullPage: true });
    await p.setViewportSize(PHONE);
    await p.screenshot({ path: join(this.env.artifacts, `${name}-390.png`), fullPage: true });
    await p.setViewportSize(DESKTOP);
  }

  async close() {
    await this.context.close();
  }
}
