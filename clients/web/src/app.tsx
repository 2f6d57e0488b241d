// The application shell: the language switch, a skip link, who the browser
// is (the certificate is the sign-in), the navigation her roles allow, and
// the screen of the path.
import { useEffect, useRef, useState } from "preact/hooks";
import { client, setApiLanguage, toApiError } from "./api";
import type { ApiError } from "./api";
import { ErrorBox } from "./components/error_box";
import { WhoAmI } from "./components/who_am_i";
import { AdminService } from "./gen/resguardo/v1/admin_service_pb";
import type { Lang } from "./i18n";
import { t } from "./i18n";
import { initialLanguage, rememberLanguage } from "./language";
import type { Me } from "./me";
import { can, parentOf } from "./me";
import { useAlerts } from "./alerts";
import { Screen } from "./screens";
import { labelOf } from "./labels";
import { AlertKindSchema } from "./gen/resguardo/v1/referral_service_pb";
import { onLink, usePath } from "./router";

const admin = client(AdminService);

export function App() {
  const [lang, setLang] = useState<Lang>(initialLanguage());
  setApiLanguage(lang);
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const path = usePath();
  const { alerts, live } = useAlerts(me && can.alerts(me) ? parentOf(me) : null, lang);
  // Alerts up to this sequence were on screen; the badge counts the rest.
  const [seen, setSeen] = useState(0n);
  const newest = alerts.length ? alerts[0].sequence : 0n;
  const unseen = alerts.filter((a) => a.sequence > seen).length;
  useEffect(() => {
    if (path === "/alertas" && newest > seen) setSeen(newest);
  }, [path, newest]);
  const other: Lang = lang === "es" ? "en" : "es";
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  useEffect(() => {
    admin.getCurrentUser({}).then(setMe, (e) => setError(toApiError(e, lang)));
  }, []);
  // After a route change (not on load: the skip link stays the first stop)
  // focus moves to the new screen, for keyboard and screen-reader users.
  const firstPath = useRef(path);
  useEffect(() => {
    if (path !== firstPath.current) {
      firstPath.current = "";
      document.getElementById("main")?.focus();
    }
  }, [path]);

  const links: [string, Parameters<typeof t>[0], boolean][] = me ? [
    ["/casos/nuevo", "navRegister", can.register(me)],
    ["/casos", "navCases", can.cases(me)],
    ["/canalizaciones", "navReferrals", can.referrals(me)],
    ["/estadisticas", "navStats", can.stats(me)],
    ["/alertas", "navAlerts", can.alerts(me)],
    ["/registro", "navRegistry", can.registry(me)],
    ["/auditoria", "navAudit", can.audit(me)],
    ["/auditoria/entradas", "navAuditEntries", can.audit(me)],
    ["/usuarias", "navUsers", can.users(me)],
    ["/instituciones", "navInstitutions", can.institutions(me)],
    ["/catalogos", "navCatalogues", true],
  ] : [["/catalogos", "navCatalogues", true]];
  return (
    <>
      <a class="skip" href="#main">
        {t("skipToContent", lang)}
      </a>
      <header>
        <p class="app-name">{t("appName", lang)}</p>
        {me && <WhoAmI me={me} lang={lang} />}
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
      <nav aria-label={t("mainNav", lang)}>
        <ul>
          {links.filter(([, , ok]) => ok).map(([href, key]) => (
            <li key={href}>
              <a href={href} onClick={onLink}
                 aria-current={path === href ? "page" : undefined}>
                {t(key, lang)}
                {href === "/alertas" && unseen > 0 && (
                  <span class="badge"> {unseen} <span class="visually-hidden">{t("alertsNew", lang)}</span></span>
                )}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <p class="visually-hidden" aria-live="polite">
        {unseen > 0 && alerts[0] ? `${t("newAlert", lang)}: ${labelOf(AlertKindSchema, alerts[0].kind, lang)}` : ""}
      </p>
      <main id="main" tabIndex={-1}>
        {error && !me && (
          <>
            <p role="alert">{t("whoAmIFailed", lang)}</p>
            <ErrorBox error={error} lang={lang} />
          </>
        )}
        <Screen path={path} me={me} lang={lang} alerts={alerts} live={live} />
      </main>
    </>
  );
}
