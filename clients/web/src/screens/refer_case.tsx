// Refer a case: the receiving institution and services, the victim's
// consent (who, how, when, and the scope with the plain list of the fields
// it sends), a note. The request id is kept until the referral is made.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { useEffect, useState } from "preact/hooks";
import { client, toApiError } from "../api";
import type { ApiError } from "../api";
import { ErrorBox } from "../components/error_box";
import { AdminService } from "../gen/resguardo/v1/admin_service_pb";
import type { Institution } from "../gen/resguardo/v1/admin_service_pb";
import { ReferralServiceKindSchema } from "../gen/resguardo/v1/catalogues_pb";
import {
  ConsentGiverSchema, ConsentMethodSchema, ConsentSchema, ReferralSchema,
  ReferralService, RiskOverrideSchema, SharingScopeSchema,
} from "../gen/resguardo/v1/referral_service_pb";
import type { Lang, TextKey } from "../i18n";
import { t } from "../i18n";
import { choicesOf } from "../labels";
import type { Me } from "../me";
import { can, caseName, institutionId } from "../me";
import { navigate, onLink, referralPath } from "../router";
import { scopeFields } from "../sharing_scope";
import { Field } from "../forms/field";
import { useWrite } from "../forms/write";
import { checkPastMoment, nowLocal } from "../forms/dates";
import { MultiRow, SelectRow, TextRow, idOf } from "../forms/inputs";

const admin = client(AdminService);
const referrals = client(ReferralService);


export function ReferCase({ me, lang, folio }: { me: Me; lang: Lang; folio: string }) {
  const [institutions, setInstitutions] = useState<Institution[]>([]);
  const [receiver, setReceiver] = useState("");
  const [services, setServices] = useState<number[]>([]);
  const [givenBy, setGivenBy] = useState(0);
  const [method, setMethod] = useState(0);
  const [when, setWhen] = useState(nowLocal());
  const [scope, setScope] = useState(0);
  const [note, setNote] = useState("");
  // A supervisor's override of consent for imminent risk (the node allows
  // it for a HIGH or CRITICAL case only, and only to supervisors).
  const mayOverride = can.override(me);
  const [override, setOverride] = useState(false);
  const [reason, setReason] = useState("");
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const { errors, failure, run } = useWrite(lang, "");

  useEffect(() => {
    admin.listInstitutions({ pageSize: 500 }).then(
      (r) => setInstitutions(r.institutions.filter((i) => i.institutionId !== institutionId(me))),
      (e) => setLoadError(toApiError(e, lang)));
  }, []);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    const local = new Map<string, TextKey>();
    if (!receiver) local.set("referral.receiving_institution", "textRequired");
    if (!services.length) local.set("referral.services", "textRequired");
    if (override) {
      if (reason.trim().length < 10) local.set("risk_override.reason", "overrideReasonShort");
    } else {
      if (!givenBy) local.set("consent.given_by", "textRequired");
      if (!method) local.set("consent.method", "textRequired");
      const moment = checkPastMoment(when);
      if (moment) local.set("consent.give_time", moment === "future" ? "dateFuture" : "textRequired");
    }
    if (!scope) local.set("consent.scope", "textRequired");
    let made = "";
    const ok = await run(local, async (requestId) => {
      const r = await referrals.createReferral({
        referral: create(ReferralSchema, {
          case: caseName(me, folio),
          receivingInstitution: receiver,
          services,
          note,
        }),
        ...(override
          ? { riskOverride: create(RiskOverrideSchema, { reason: reason.trim(), scope }) }
          : { consent: create(ConsentSchema, { givenBy, method, giveTime: timestampFromDate(new Date(when)), scope }) }),
        requestId,
      });
      made = r.name;
    });
    if (ok) navigate(referralPath(made));
  };
  const c = { lang, errors };
  const scopeError = errors.get("consent.scope") ?? errors.get("risk_override.scope");
  return (
    <section aria-labelledby="refer-title">
      <h2 id="refer-title">{t("referTitle", lang)} <span class="folio">{folio}</span></h2>
      <p>{t("referIntro", lang)}</p>
      <p><a href={`/casos/${encodeURIComponent(folio)}`} onClick={onLink}>{t("caseTitle", lang)} {folio}</a></p>
      <form onSubmit={submit} noValidate>
        {errors.size > 0 && <p class="error-summary" role="alert">{t("fieldErrorsSummary", lang)}</p>}
        <Field id={idOf("referral.receiving_institution")} label={t("fReceiver", lang)} lang={lang}
               required error={errors.get("referral.receiving_institution")}>
          {(aria) => (
            <select {...aria} value={receiver} onChange={(ev) => setReceiver(ev.currentTarget.value)}>
              <option value="">{t("chooseOne", lang)}</option>
              {institutions.map((i) => (
                <option key={i.institutionId} value={i.institutionId}>{i.displayName}</option>
              ))}
            </select>
          )}
        </Field>
        <MultiRow {...c} path="referral.services" label="fServices"
                  catalogue={ReferralServiceKindSchema} value={services} onChange={setServices} />
        <fieldset class="section">
          <legend>{t("consentTitle", lang)}</legend>
          {mayOverride && (
            <label class="check">
              <input type="checkbox" checked={override}
                     onChange={(ev) => setOverride(ev.currentTarget.checked)} />{" "}
              {t("overrideToggle", lang)}
            </label>
          )}
          {override ? (
            <TextRow {...c} path="risk_override.reason" label="fOverrideReason" required multiline
                     hint="overrideHint" value={reason} onInput={setReason} />
          ) : (
            <>
              <SelectRow {...c} path="consent.given_by" label="fConsentBy" required
                         catalogue={ConsentGiverSchema} value={givenBy} onChange={setGivenBy} />
              <SelectRow {...c} path="consent.method" label="fConsentMethod" required
                         catalogue={ConsentMethodSchema} value={method} onChange={setMethod} />
              <TextRow {...c} path="consent.give_time" label="fConsentTime" required
                       type="datetime-local" value={when} onInput={setWhen} />
            </>
          )}
          <fieldset id={idOf("consent.scope")} class={scopeError ? "invalid" : ""}
                    aria-describedby={scopeError ? `${idOf("consent.scope")}-error` : undefined}>
            <legend>{t("fScope", lang)} <span class="req">{t("required", lang)}</span></legend>
            {choicesOf(SharingScopeSchema, lang).map((s) => (
              <div class="scope" key={s.number}>
                <label class="check">
                  <input type="radio" name="scope" value={String(s.number)}
                         checked={scope === s.number} onChange={() => setScope(s.number)}
                         aria-describedby={`scope-${s.number}-fields`} />{" "}
                  <strong>{s.label}</strong>
                </label>
                <p class="hint" id={`scope-${s.number}-fields`}>
                  {t("scopeSends", lang)} {(scopeFields[s.number] ?? []).map((k) => t(k, lang)).join(", ")}.
                </p>
              </div>
            ))}
            <p class="field-error" id={`${idOf("consent.scope")}-error`} aria-live="assertive"
               hidden={!scopeError}>{scopeError}</p>
          </fieldset>
        </fieldset>
        <TextRow {...c} path="referral.note" label="fReferralNote" multiline value={note} onInput={setNote} />
        <ErrorBox error={failure ?? loadError} lang={lang} />
        <button type="submit" class="primary">{t("referSubmit", lang)}</button>
      </form>
    </section>
  );
}
