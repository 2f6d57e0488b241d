// The referral inbox and outbox: status and service filters, overdue only,
// paging; overdue referrals marked. Each row opens the referral page.
import { useEffect, useState } from "preact/hooks";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { client, toApiError } from "../api";
import type { ApiError } from "../api";
import { ErrorBox } from "../components/error_box";
import { ReferralServiceKindSchema } from "../gen/resguardo/v1/catalogues_pb";
import { ReferralBox, ReferralService, ReferralStatusSchema } from "../gen/resguardo/v1/referral_service_pb";
import type { Referral } from "../gen/resguardo/v1/referral_service_pb";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import { choicesOf, labelOf } from "../labels";
import type { Me } from "../me";
import { parentOf } from "../me";
import { onLink, referralPath } from "../router";
import { CheckGroup } from "../forms/field";

const referrals = client(ReferralService);
const PAGE = 20;

export function Referrals({ me, lang }: { me: Me; lang: Lang }) {
  const [box, setBox] = useState(ReferralBox.INBOX);
  const [statuses, setStatuses] = useState<number[]>([]);
  const [services, setServices] = useState<number[]>([]);
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [tokens, setTokens] = useState<string[]>([""]);
  const [page, setPage] = useState(0);
  const [rows, setRows] = useState<Referral[] | null>(null);
  const [next, setNext] = useState("");
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => { setTokens([""]); setPage(0); }, [box, statuses, services, overdueOnly]);
  useEffect(() => {
    let live = true;
    setRows(null);
    referrals.listReferrals({
      parent: parentOf(me), box, pageSize: PAGE, pageToken: tokens[page] ?? "",
      statuses, services, overdueOnly,
    }).then((r) => {
      if (!live) return;
      setRows(r.referrals);
      setNext(r.nextPageToken);
      setError(null);
    }, (e) => live && (setError(toApiError(e, lang)), setRows([])));
    return () => { live = false; };
  }, [box, statuses, services, overdueOnly, tokens, page]);

  return (
    <section aria-labelledby="referrals-title">
      <h2 id="referrals-title">{t("referralsTitle", lang)}</h2>
      <div role="group" aria-label={t("referralsTitle", lang)} class="tabs">
        <button type="button" aria-pressed={box === ReferralBox.INBOX}
                onClick={() => setBox(ReferralBox.INBOX)}>{t("inbox", lang)}</button>{" "}
        <button type="button" aria-pressed={box === ReferralBox.OUTBOX}
                onClick={() => setBox(ReferralBox.OUTBOX)}>{t("outbox", lang)}</button>
      </div>
      <details>
        <summary>{t("filters", lang)}</summary>
        <CheckGroup id="rf-status" legend={t("fReferralStatus", lang)} lang={lang}
                    choices={choicesOf(ReferralStatusSchema, lang)} value={statuses} onChange={setStatuses} />
        <CheckGroup id="rf-service" legend={t("fReferralService", lang)} lang={lang}
                    choices={choicesOf(ReferralServiceKindSchema, lang)} value={services} onChange={setServices} />
        <label class="check">
          <input type="checkbox" checked={overdueOnly}
                 onChange={(ev) => setOverdueOnly(ev.currentTarget.checked)} /> {t("overdueOnly", lang)}
        </label>
      </details>
      <ErrorBox error={error} lang={lang} />
      {rows === null ? <p role="status">{t("loading", lang)}</p> : rows.length === 0 ? (
        <p>{t("noReferrals", lang)}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("colReferral", lang)}</th>
                <th scope="col">{t("colCase", lang)}</th>
                <th scope="col">{box === ReferralBox.INBOX ? t("colFrom", lang) : t("colTo", lang)}</th>
                <th scope="col">{t("colStatus", lang)}</th>
                <th scope="col">{t("colServices", lang)}</th>
                <th scope="col">{t("colDeadline", lang)}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.name}>
                  <th scope="row"><a href={referralPath(r.name)} onClick={onLink}>{r.name.split("/").pop()}</a></th>
                  <td class="folio">{r.case.split("/").pop()}</td>
                  <td>{box === ReferralBox.INBOX ? r.sendingInstitution : r.receivingInstitution}</td>
                  <td>{labelOf(ReferralStatusSchema, r.status, lang)}</td>
                  <td>{r.services.map((s) => labelOf(ReferralServiceKindSchema, s, lang)).join("; ")}</td>
                  <td>
                    {r.acceptDeadline ? timestampDate(r.acceptDeadline).toLocaleString(lang === "es" ? "es-MX" : "en-US") : ""}
                    {r.overdue && <> <span class="marker">{t("overdue", lang)}</span></>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pager" aria-label={t("pageN", lang)}>
        <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>{t("previousPage", lang)}</button>
        <span role="status"> {t("pageN", lang)} {page + 1} </span>
        <button type="button" disabled={!next} onClick={() => {
          setTokens([...tokens.slice(0, page + 1), next]);
          setPage(page + 1);
        }}>{t("nextPage", lang)}</button>
      </nav>
    </section>
  );
}
