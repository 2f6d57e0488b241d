// The checks every flow makes: a named pass/fail list, each screen's
// axe-core run and screenshots, and the canary search over what the browser
// kept or showed.
export class Checks {
  constructor() {
    this.failures = [];
  }

  check(ok, what) {
    console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
    if (!ok) this.failures.push(what);
    return ok;
  }

  // A screen: no serious or critical axe-core violation; screenshots.
  async screen(session, name) {
    const violations = await session.axe();
    this.check(violations.length === 0,
      `${name}: axe-core finds no serious or critical violation ${violations.length ? JSON.stringify(violations) : ""}`);
    await session.screenshots(name);
  }

  // After a flow: none of the canaries in the URLs asked for, the titles,
  // the console, the storage, the cookies, the IndexedDB names.
  async noCanaries(session, canaries, flow) {
    const left = JSON.stringify(await session.leftovers());
    const found = canaries.filter((c) => left.includes(c));
    this.check(found.length === 0,
      `${flow} (${session.who}): no canary in storage, cookies, URLs, titles or console${found.length ? ` — found ${found}` : ""}`);
    const stored = await session.leftovers();
    const keys = stored.storage.flatMap((s) => [...s.local.map(([k]) => k), ...s.session.map(([k]) => k), ...s.indexedDB]);
    this.check(keys.every((k) => k === "resguardo.lang") && stored.cookies.length === 0,
      `${flow} (${session.who}): nothing stored but the language (${JSON.stringify(keys)}, ${stored.cookies.length} cookies)`);
  }
}
