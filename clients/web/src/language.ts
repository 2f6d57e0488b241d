// The chosen language: "es" (default) or "en", kept in localStorage under
// "resguardo.lang" — the only thing the web client ever stores.
import type { Lang } from "./i18n";

const KEY = "resguardo.lang";

export function initialLanguage(): Lang {
  try {
    return localStorage.getItem(KEY) === "en" ? "en" : "es";
  } catch {
    return "es";
  }
}

export function rememberLanguage(lang: Lang): void {
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    // A browser that refuses storage keeps the choice for this page only.
  }
  document.documentElement.lang = lang;
}
