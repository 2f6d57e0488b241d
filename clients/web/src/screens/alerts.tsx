// The institution's alerts, newest first: kind, what it is about (a link
// to the referral or the case: ids and folios only), when raised, when due.
import type { Alert } from "../gen/resguardo/v1/referral_service_pb";
import { AlertKindSchema } from "../gen/resguardo/v1/referral_service_pb";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import { labelOf } from "../labels";
import { onLink, referralPath } from "../router";

function link(resource: string): [string, string] {
  const p = resource.split("/");
  if (p[2] === "referrals") return [referralPath(resource), `${p[1]} ${p[3]}`];
  return [`/casos/${encodeURIComponent(p[3])}`, p[3]];
}

const when = (d: Date, lang: Lang) => d.toLocaleString(lang === "es" ? "es-MX" : "en-US");

export function Alerts({ alerts, lang, live }: { alerts: Alert[]; lang: Lang; live: boolean }) {
  return (
    <section aria-labelledby="alerts-title">
      <h2 id="alerts-title">{t("alertsTitle", lang)}</h2>
      {live && <p class="hint">{t("alertsLive", lang)}</p>}
      {alerts.length === 0 ? <p>{t("noAlerts", lang)}</p> : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("colAlert", lang)}</th>
                <th scope="col">{t("colAbout", lang)}</th>
                <th scope="col">{t("colRaised", lang)}</th>
                <th scope="col">{t("colDue", lang)}</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((a) => {
                const [href, text] = link(a.resource);
                return (
                  <tr key={String(a.sequence)}>
                    <td>{labelOf(AlertKindSchema, a.kind, lang)}</td>
                    <td><a href={href} onClick={onLink}>{text}</a></td>
                    <td>{a.createTime ? when(timestampDate(a.createTime), lang) : ""}</td>
                    <td>{a.dueTime ? when(timestampDate(a.dueTime), lang) : ""}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
