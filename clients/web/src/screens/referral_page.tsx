// One referral: its descriptors; for the receiving institution the
// consented data and the note after a purpose (dropped on leaving or idle);
// the actions this side may take in its status (accept, reject with a
// reason, complete with an outcome, withdraw with a reason), each with the
// referral's etag; the receiver's follow-ups.
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { useEffect, useState } from "preact/hooks";
import { client, toApiError } from "../api";
import type { ApiError } from "../api";
import { ErrorBox } from "../components/error_box";
import { PersonalView } from "../components/personal_view";
import { PurposeGate } from "../components/purpose_gate";
import { FollowUpKindSchema, ReferralServiceKindSchema, RiskLevelSchema } from "../gen/resguardo/v1/catalogues_pb";
import {
  ReferralOutcomeSchema, ReferralRejectReasonSchema, ReferralService, ReferralStatus,
  ReferralStatusSchema, ReferralView, ReferralWithdrawalReasonSchema, SharingScopeSchema,
} from "../gen/resguardo/v1/referral_service_pb";
import type { Referral, ReferralFollowUp } from "../gen/resguardo/v1/referral_service_pb";
import type { Lang, TextKey } from "../i18n";
import { t } from "../i18n";
import { useIdle } from "../idle";
import { labelOf } from "../labels";
import type { Me } from "../me";
import { can, institutionId } from "../me";
import { onLink } from "../router";
import { ReferralAction } from "./referral_action";
import { scopeFields } from "../sharing_scope";
import { ReferralFollowUpForm } from "./referral_follow_up";

const referrals = client(ReferralService);

export function ReferralPage({ me, lang, name }: { me: Me; lang: Lang; name: string }) {
  const [r, setR] = useState<Referral | null>(null);
  const [shared, setShared] = useState<Referral | null>(null);
  const [followUps, setFollowUps] = useState<ReferralFollowUp[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [message, setMessage] = useState<TextKey | null>(null);
  useIdle(shared !== null, () => setShared(null));

  const load = async () => {
    try {
      setR(await referrals.getReferral({ name, view: ReferralView.BASIC }));
      setError(null);
    } catch (e) {
      setError(toApiError(e, lang));
    }
  };
  useEffect(() => { setR(null); setShared(null); load(); }, [name]);
  const [fuVersion, setFuVersion] = useState(0);
  useEffect(() => {
    if (!r || !can.workInbox(me)) return;
    referrals.listReferralFollowUps({ parent: name, pageSize: 500 })
      .then((x) => setFollowUps(x.followUps), () => setFollowUps([]));
  }, [r?.etag, fuVersion]);

  if (error && !r) {
    return (
      <section aria-labelledby="referral-title">
        <h2 id="referral-title">{t("referralTitle", lang)}</h2>
        {error.code === Code.NotFound ? <p role="alert">{t("notFound", lang)}</p> : <ErrorBox error={error} lang={lang} />}
      </section>
    );
  }
  if (!r) return <p role="status">{t("loading", lang)}</p>;
  const mine = institutionId(me);
  const receiver = r.receivingInstitution === mine;
  const sender = r.sendingInstitution === mine;
  const pending = r.status === ReferralStatus.PENDING;
  const accepted = r.status === ReferralStatus.ACCEPTED;
  // The current version first, then the message over it.
  const acted = async (ok: boolean, e?: ApiError) => {
    await load();
    if (ok) setMessage("referralChanged");
    else if (e?.code === Code.Aborted) setMessage("referralConflict");
  };
  const rows: [TextKey, string][] = [
    ["colStatus", labelOf(ReferralStatusSchema, r.status, lang)],
    ["colCase", r.case.split("/").pop() ?? ""],
    ["colFrom", r.sendingInstitution],
    ["colTo", r.receivingInstitution],
    ["colServices", r.services.map((s) => labelOf(ReferralServiceKindSchema, s, lang)).join("; ")],
    ["scopeColumn", labelOf(SharingScopeSchema, r.scope, lang)],
    ["fRiskLevel", labelOf(RiskLevelSchema, r.riskLevel, lang)],
    ["colDeadline", r.acceptDeadline ? timestampDate(r.acceptDeadline).toLocaleString(lang === "es" ? "es-MX" : "en-US") : ""],
  ];
  return (
    <article aria-labelledby="referral-title">
      <h2 id="referral-title">{t("referralTitle", lang)} {r.name.split("/").pop()}</h2>
      <p><a href="/canalizaciones" onClick={onLink}>{t("referralsTitle", lang)}</a></p>
      {message && <p role={message === "referralConflict" ? "alert" : "status"}>{t(message, lang)}</p>}
      <dl class="facts">
        {rows.map(([k, v]) => <div key={k}><dt>{t(k, lang)}</dt><dd>{v}</dd></div>)}
        {r.overdue && <div><dt>{t("overdue", lang)}</dt><dd><span class="marker">{t("overdue", lang)}</span></dd></div>}
      </dl>
      {receiver && (
        <section aria-labelledby="shared-title">
          <h3 id="shared-title">{t("sharedTitle", lang)}</h3>
          {r.sharedDataDestroyed ? <p>{t("sharedDestroyed", lang)}</p> : shared?.sharedData ? (
            <>
              <PersonalView p={shared.sharedData} lang={lang} only={scopeFields[shared.scope]} />
              {shared.note && <p><strong>{t("referralNote", lang)}:</strong> <span class="pre">{shared.note}</span></p>}
              <button type="button" onClick={() => setShared(null)}>{t("hidePersonal", lang)}</button>
            </>
          ) : (
            <PurposeGate id="referral-purpose" lang={lang} onReveal={async (purpose) => {
              try {
                setShared(await referrals.getReferral({ name, view: ReferralView.FULL, purpose }));
              } catch (e) {
                setError(toApiError(e, lang));
              }
            }} />
          )}
        </section>
      )}
      <ErrorBox error={error} lang={lang} />
      {can.workInbox(me) && (
        <section aria-labelledby="actions-title" class="referral-actions">
          <h3 id="actions-title" class="visually-hidden">{t("referralTitle", lang)}</h3>
          {receiver && pending && (
            <>
              <ReferralAction kind="accept" r={r} lang={lang} onDone={acted} />
              <ReferralAction kind="reject" r={r} lang={lang} onDone={acted} reasons={ReferralRejectReasonSchema} label="fRejectReason" />
            </>
          )}
          {receiver && accepted && (
            <ReferralAction kind="complete" r={r} lang={lang} onDone={acted} reasons={ReferralOutcomeSchema} label="fOutcome" />
          )}
          {sender && (pending || accepted) && (
            <ReferralAction kind="withdraw" r={r} lang={lang} onDone={acted} reasons={ReferralWithdrawalReasonSchema} label="fWithdrawReason" />
          )}
        </section>
      )}
      {can.workInbox(me) && (followUps.length > 0 || (receiver && accepted)) && (
        <section aria-labelledby="rfu-title">
          <h3 id="rfu-title">{t("receiverFollowUps", lang)}</h3>
          <ol class="timeline">
            {followUps.map((f) => (
              <li key={f.name}>
                <strong>{labelOf(FollowUpKindSchema, f.kind, lang)}</strong>{" — "}
                {f.occurTime ? timestampDate(f.occurTime).toLocaleString(lang === "es" ? "es-MX" : "en-US") : ""}
              </li>
            ))}
          </ol>
          {receiver && accepted && (
            <ReferralFollowUpForm name={name} lang={lang} onAdded={async () => setFuVersion(fuVersion + 1)} />
          )}
        </section>
      )}
    </article>
  );
}
