// The application shell: the language switch, a skip link, and the
// screens. Issue 16 adds the screens of registrars and caseworkers; today
// the one screen that needs no API call is the catalogue browser.
import { useEffect, useState } from "preact/hooks";
import type { Lang } from "./i18n";
import { t } from "./i18n";
import { initialLanguage, rememberLanguage } from "./language";
import { Catalogues } from "./catalogues";

export function App() {
  const [lang, setLang] = useState<Lang>(initialLanguage());
  const other: Lang = lang === "es" ? "en" : "es";
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return (
    <>
      <a class="skip" href="#main">
        {t("skipToContent", lang)}
      </a>
      <header>
        <h1>{t("appName", lang)}</h1>
        <button
          type="button"
          lang={other}
          aria-label={t("switchToLabel", lang)}
          onClick={() => {
            rememberLanguage(other);
            setLang(other);
          }}
        >
          {t("switchTo", lang)}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Catalogues lang={lang} />
      </main>
    </>
  );
}
