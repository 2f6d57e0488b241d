// The screen of a path. Paths carry folios and referral ids only.
import type { Lang } from "../i18n";
import { t } from "../i18n";
import type { Me } from "../me";
import { can } from "../me";
import { Catalogues } from "../catalogues";
import { CaseList } from "./case_list";
import { CasePage } from "./case_page";
import { RegisterCase } from "./register_case";
import { ReferCase } from "./refer_case";
import { Referrals } from "./referrals";
import { ReferralPage } from "./referral_page";
import { referralName } from "../router";
import { Alerts } from "./alerts";
import { Refused } from "./refused";
import { Stats } from "./stats";
import { AdminUsers } from "./admin_users";
import { AdminInstitutions } from "./admin_institutions";
import type { Alert } from "../gen/resguardo/v1/referral_service_pb";
import { AuditCheckpoint } from "./audit_checkpoint";
import { AuditEntries } from "./audit_entries";
import { Registry } from "./registry";

export function Screen({ path, me, lang, alerts, live }: {
  path: string;
  me: Me | null;
  lang: Lang;
  alerts: Alert[];
  live: boolean;
}) {
  if (path === "/catalogos") return <Catalogues lang={lang} />;
  if (!me) return path === "/" ? <Catalogues lang={lang} /> : <p role="status">{t("loading", lang)}</p>;
  // A screen her roles do not offer: the node is asked, and its refusal shown.
  const deny = <Refused path={path} me={me} lang={lang} />;
  if (path === "/casos/nuevo") return can.register(me) ? <RegisterCase me={me} lang={lang} /> : deny;
  if (path === "/casos") return can.cases(me) ? <CaseList me={me} lang={lang} /> : deny;
  const m = /^\/casos\/([A-Za-z0-9-]+)$/.exec(path);
  if (m) return can.cases(me) ? <CasePage me={me} lang={lang} folio={m[1]} /> : deny;
  const refer = /^\/casos\/([A-Za-z0-9-]+)\/canalizar$/.exec(path);
  if (refer) return can.refer(me) ? <ReferCase me={me} lang={lang} folio={refer[1]} /> : deny;
  if (path === "/auditoria") return can.audit(me) ? <AuditCheckpoint me={me} lang={lang} /> : deny;
  if (path === "/auditoria/entradas") return can.audit(me) ? <AuditEntries lang={lang} /> : deny;
  if (path === "/alertas") return can.alerts(me) ? <Alerts alerts={alerts} lang={lang} live={live} /> : deny;
  if (path === "/registro") return can.registry(me) ? <Registry me={me} lang={lang} /> : deny;
  if (path === "/estadisticas") return can.stats(me) ? <Stats me={me} lang={lang} /> : deny;
  // Admins' screens: whoever types the path gets the node's answer (a
  // refusal for another role), never a list the node did not give.
  if (path === "/usuarias") return <AdminUsers me={me} lang={lang} />;
  if (path === "/instituciones") return <AdminInstitutions me={me} lang={lang} />;
  if (path === "/canalizaciones") return can.referrals(me) ? <Referrals me={me} lang={lang} /> : deny;
  const rp = /^\/canalizaciones\/([A-Za-z0-9._-]+)\/([0-9]+)$/.exec(path);
  if (rp) return can.referrals(me) ? <ReferralPage me={me} lang={lang} name={referralName(rp[1], rp[2])} /> : deny;
  return (
    <section aria-labelledby="home-title">
      <h2 id="home-title">{t("home", lang)}</h2>
      <p>{t("homeIntro", lang)}</p>
    </section>
  );
}
