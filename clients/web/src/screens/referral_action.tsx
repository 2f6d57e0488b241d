// One action on a referral (accept; reject, complete or withdraw with its
// reason or outcome), sent with the referral's etag.
import type { DescEnum } from "@bufbuild/protobuf";
import { useState } from "preact/hooks";
import { client, toApiError } from "../api";
import type { ApiError } from "../api";
import { ReferralService } from "../gen/resguardo/v1/referral_service_pb";
import type { Referral } from "../gen/resguardo/v1/referral_service_pb";
import type { Lang, TextKey } from "../i18n";
import { t } from "../i18n";
import { CatalogueSelect } from "../forms/catalogue_select";
import { Field } from "../forms/field";
import { ErrorBox } from "../components/error_box";

const referrals = client(ReferralService);

type Kind = "accept" | "reject" | "complete" | "withdraw";

export function ReferralAction({ kind, r, lang, onDone, reasons, label }: {
  kind: Kind;
  r: Referral;
  lang: Lang;
  onDone: (ok: boolean, e?: ApiError) => Promise<void>;
  reasons?: DescEnum;
  label?: TextKey;
}) {
  const [reason, setReason] = useState(0);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const id = `act-${kind}`;
  const send = async (ev: Event) => {
    ev.preventDefault();
    if (reasons && !reason) { setMissing(true); document.getElementById(id)?.focus(); return; }
    setMissing(false);
    setError(null);
    const base = { name: r.name, etag: r.etag };
    try {
      if (kind === "accept") await referrals.acceptReferral(base);
      if (kind === "reject") await referrals.rejectReferral({ ...base, reason });
      if (kind === "complete") await referrals.completeReferral({ ...base, outcome: reason });
      if (kind === "withdraw") await referrals.withdrawReferral({ ...base, reason });
      await onDone(true);
    } catch (e) {
      const err = toApiError(e, lang);
      setError(err);
      await onDone(false, err);
    }
  };
  return (
    <form class="subform" onSubmit={send} noValidate>
      {reasons && label && (
        <Field id={id} label={t(label, lang)} lang={lang} required
               error={missing ? t("textRequired", lang) : undefined}>
          {(aria) => <CatalogueSelect catalogue={reasons} lang={lang} value={reason} onChange={setReason} aria={aria} />}
        </Field>
      )}
      <ErrorBox error={error} lang={lang} />
      <button type="submit" class={kind === "accept" ? "primary" : ""}>{t(kind, lang)}</button>
    </form>
  );
}
