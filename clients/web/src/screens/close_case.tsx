// Closing a case (supervisor): a closure reason from the catalogue, sent
// with the case's etag (CaseService.CloseCase). The case page offers it
// only when the node lists CLOSED among the statuses this caller may move
// the case to (Case.allowed_next_statuses). The reason is the node's rule:
// a missing one comes back as its field violation, shown beside the field.
import { useState } from "preact/hooks";
import { client } from "../api";
import { ErrorBox } from "../components/error_box";
import { CaseService } from "../gen/resguardo/v1/case_service_pb";
import type { Case } from "../gen/resguardo/v1/case_pb";
import { ClosureReasonSchema } from "../gen/resguardo/v1/catalogues_pb";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import { SelectRow } from "../forms/inputs";
import { useWrite } from "../forms/write";
import { staleAsConflict } from "./case_action";
import type { ActionDone } from "./case_action";

const cases = client(CaseService);

export function CloseCase({ record, lang, onDone, onCancel }: {
  record: Case;
  lang: Lang;
  onDone: ActionDone;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState(0);
  const { errors, failure, busy, run } = useWrite(lang, "");
  const submit = async (ev: Event) => {
    ev.preventDefault();
    let stale = false;
    const ok = await run(new Map(), async () => {
      stale = await staleAsConflict(() =>
        cases.closeCase({ name: record.name, etag: record.etag, reason }));
    });
    if (ok) await onDone(stale ? "conflict" : "closed");
  };
  return (
    <form id="close-form" class="subform" onSubmit={submit} noValidate aria-labelledby="close-title">
      <h4 id="close-title">{t("closeCase", lang)}</h4>
      <SelectRow path="reason" label="fClosureReason" lang={lang} errors={errors} required
                 catalogue={ClosureReasonSchema} value={reason} onChange={setReason} />
      <ErrorBox error={failure} lang={lang} />
      <button type="submit" class="primary" aria-disabled={busy ? "true" : undefined}>{t("closeCase", lang)}</button>{" "}
      <button type="button" onClick={onCancel}>{t("cancel", lang)}</button>
    </form>
  );
}
