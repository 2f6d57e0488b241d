// Erasing a case's personal data (supervisor; crypto-shredding):
// CaseService.EraseCasePersonalData with the case's etag and an erasure
// reason. The confirmation (opened by its own button, supervision.tsx)
// names the consequence in plain words and asks for the folio typed again;
// nothing is sent until it matches. The reason is the node's rule (its
// field violation beside the field).
import { useState } from "preact/hooks";
import type { TextKey } from "../i18n";
import { client } from "../api";
import { ErrorBox } from "../components/error_box";
import { CaseService } from "../gen/resguardo/v1/case_service_pb";
import type { Case } from "../gen/resguardo/v1/case_pb";
import { ErasureReasonSchema } from "../gen/resguardo/v1/catalogues_pb";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import { SelectRow, idOf } from "../forms/inputs";
import { Field } from "../forms/field";
import { useWrite } from "../forms/write";
import { staleAsConflict } from "./case_action";
import type { ActionDone } from "./case_action";

const cases = client(CaseService);
const CONFIRM = "confirm_folio";  // the form's own field, not the API's

export function EraseCase({ record, lang, onDone, onCancel }: {
  record: Case;
  lang: Lang;
  onDone: ActionDone;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState(0);
  const [typed, setTyped] = useState("");
  const { errors, failure, busy, run } = useWrite(lang, "");

  const submit = async (ev: Event) => {
    ev.preventDefault();
    const local = new Map<string, TextKey>();
    if (typed.trim() !== record.folio) local.set(CONFIRM, "folioMismatch");
    let stale = false;
    const ok = await run(local, async () => {
      stale = await staleAsConflict(() =>
        cases.eraseCasePersonalData({ name: record.name, etag: record.etag, reason }));
    });
    if (ok) await onDone(stale ? "conflict" : "erased");
  };
  const confirmId = idOf(CONFIRM);
  return (
    <form id="erase-form" class="subform danger-zone" onSubmit={submit} noValidate aria-labelledby="erase-title">
      <h4 id="erase-title">{t("eraseTitle", lang)}</h4>
      <p id="erase-consequence"><strong>{t("eraseConsequence", lang)}</strong></p>
      <p>{t("eraseBackups", lang)}</p>
      <SelectRow path="reason" label="fErasureReason" lang={lang} errors={errors} required
                 catalogue={ErasureReasonSchema} value={reason} onChange={setReason} />
      <Field id={confirmId} label={t("fConfirmFolio", lang)} lang={lang} required
             hint={`${t("confirmFolioHint", lang)} ${record.folio}.`} error={errors.get(CONFIRM)}>
        {(aria) => (
          <input {...aria} type="text" value={typed} autocomplete="off" spellcheck={false}
                 onInput={(ev) => setTyped(ev.currentTarget.value)} />
        )}
      </Field>
      <ErrorBox error={failure} lang={lang} />
      <button type="submit" class="danger" aria-describedby="erase-consequence"
              aria-disabled={busy ? "true" : undefined}>
        {t("eraseSubmit", lang)}
      </button>{" "}
      <button type="button" onClick={onCancel}>{t("cancel", lang)}</button>
    </form>
  );
}
