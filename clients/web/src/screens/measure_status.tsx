// Changing a protection measure's status to one of its allowed next
// statuses (the node's rules, ProtectionMeasure.allowed_next_statuses),
// with a new expiry for EXTENDED (optional for IN_FORCE), sent with the
// case's etag: a stale one is a conflict, said, and the case read again.
import { asSentence } from "../field_messages";
import { Code } from "@connectrpc/connect";
import { useState } from "preact/hooks";
import { client, toApiError } from "../api";
import type { ApiError } from "../api";
import { ErrorBox } from "../components/error_box";
import { CaseService } from "../gen/resguardo/v1/case_service_pb";
import type { ProtectionMeasure } from "../gen/resguardo/v1/case_pb";
import { ProtectionMeasureStatus, ProtectionMeasureStatusSchema } from "../gen/resguardo/v1/catalogues_pb";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import { CatalogueSelect } from "../forms/catalogue_select";
import { parseDay } from "../forms/dates";
import { Field } from "../forms/field";

const cases = client(CaseService);

export function MeasureStatus({ m, etag, lang, onDone }: {
  m: ProtectionMeasure;
  etag: string;
  lang: Lang;
  onDone: (conflict: boolean) => Promise<void>;
}) {
  const [status, setStatus] = useState(0);
  const [expiry, setExpiry] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [fieldError, setFieldError] = useState("");
  const n = m.name.split("/").pop();
  const id = `ms-${n}`;
  if (m.allowedNextStatuses.length === 0) return null;
  const needsExpiry = status === ProtectionMeasureStatus.EXTENDED;
  const mayExpiry = needsExpiry || status === ProtectionMeasureStatus.IN_FORCE;
  return (
    <form class="inline" noValidate onSubmit={async (ev) => {
      ev.preventDefault();
      setError(null);
      setFieldError("");
      if (!status) { setFieldError(t("textRequired", lang)); return; }
      if (needsExpiry && !expiry) { setFieldError(t("dateRequired", lang)); return; }
      try {
        await cases.setProtectionMeasureStatus({
          name: m.name, etag, status, expiryDate: mayExpiry ? parseDay(expiry) : undefined,
        });
        await onDone(false);
      } catch (e) {
        const err = toApiError(e, lang);
        if (err.code === Code.Aborted) { await onDone(true); return; }
        const f = [...err.fields.values()][0];
        if (f) setFieldError(asSentence(f)); else setError(err);
      }
    }}>
      <Field id={id} label={t("fNewMeasureStatus", lang)} lang={lang} required error={fieldError}>
        {(aria) => (
          <CatalogueSelect catalogue={ProtectionMeasureStatusSchema} lang={lang} value={status}
                           onChange={setStatus} aria={aria} only={m.allowedNextStatuses} />
        )}
      </Field>
      {mayExpiry && (
        <Field id={`${id}-expiry`} label={t("fExpiryDate", lang)} lang={lang} required={needsExpiry}>
          {(aria) => <input {...aria} type="date" value={expiry}
                            onInput={(ev) => setExpiry(ev.currentTarget.value)} />}
        </Field>
      )}
      <ErrorBox error={error} lang={lang} />
      <button type="submit">{t("changeStatus", lang)}</button>
    </form>
  );
}
