// Editing a case's descriptors (and its personal data when the page has a
// declared purpose), with the etag of the version read: the update mask
// names only the fields changed; when someone else changed the case
// meanwhile (ABORTED), nothing is overwritten: the page says so and shows
// the current version.
import { create } from "@bufbuild/protobuf";
import { FieldMaskSchema } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { useState } from "preact/hooks";
import { client, toApiError } from "../api";
import type { ApiError } from "../api";
import { ErrorBox } from "../components/error_box";
import { CaseService } from "../gen/resguardo/v1/case_service_pb";
import type { Case } from "../gen/resguardo/v1/case_pb";
import { CaseDescriptorsSchema, CasePersonalDataSchema, CaseSchema } from "../gen/resguardo/v1/case_pb";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import { checkDraft, descriptorsOf, draftOfDescriptors, draftOfPersonal, personalOf } from "../forms/case_draft";
import type { DescriptorDraft, PersonalDraft } from "../forms/case_draft";
import { DescriptorFields } from "../forms/descriptor_fields";
import { PersonalFields } from "../forms/personal_fields";
import { focusFirstError, localErrors, nodeErrors } from "../forms/errors";
import { SelectRow } from "../forms/inputs";
import { CaseStatus, CaseStatusSchema } from "../gen/resguardo/v1/catalogues_pb";

const cases = client(CaseService);

// The proto field paths whose values differ between two messages' JSON.
function changedPaths(prefix: string, fields: readonly { name: string; localName: string }[],
                      a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return fields
    .filter((f) => JSON.stringify(a[f.localName]) !== JSON.stringify(b[f.localName]))
    .map((f) => `${prefix}.${f.name}`);
}

export function EditCase({ record, withPersonal, lang, onSaved, onConflict, onCancel }: {
  // The version read (its etag goes with the write); with personal data
  // when the page has a purpose.
  record: Case;
  withPersonal: boolean;
  lang: Lang;
  onSaved: (c: Case) => void;
  onConflict: () => Promise<void>;
  onCancel: () => void;
}) {
  const [d, setD] = useState<DescriptorDraft>(draftOfDescriptors(record.descriptors!));
  const [p, setP] = useState<PersonalDraft | null>(
    withPersonal && record.personalData ? draftOfPersonal(record.personalData) : null);
  const [errors, setErrors] = useState(new Map<string, string>());
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [note, setNote] = useState("");
  // A move along the route: one of the statuses the node allows this caller
  // now (Case.allowed_next_statuses), but CLOSED (closing is its own action
  // with a reason) and none while closed (reopening is too).
  const closed = record.descriptors!.status === CaseStatus.CLOSED;
  const nextStatuses = closed ? [] : record.allowedNextStatuses.filter((x) => x !== CaseStatus.CLOSED);
  const [status, setStatus] = useState(0);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setFailure(null);
    setNote("");
    const local = localErrors(checkDraft(d, p), lang);
    setErrors(local);
    if (local.size) { focusFirstError(local); return; }
    const descriptors = descriptorsOf({ ...d, kind: record.descriptors!.kind });
    descriptors.status = status || record.descriptors!.status;
    const personal = p ? personalOf(p) : undefined;
    const paths = [
      ...changedPaths("descriptors", CaseDescriptorsSchema.fields,
        descriptors as unknown as Record<string, unknown>,
        record.descriptors as unknown as Record<string, unknown>),
      ...(personal && record.personalData
        ? changedPaths("personal_data", CasePersonalDataSchema.fields,
            personal as unknown as Record<string, unknown>,
            record.personalData as unknown as Record<string, unknown>)
        : []),
    ];
    if (paths.length === 0) { setNote(t("nothingChanged", lang)); return; }
    try {
      const saved = await cases.updateCase({
        caseRecord: create(CaseSchema, {
          name: record.name, etag: record.etag, descriptors, personalData: personal,
        }),
        updateMask: create(FieldMaskSchema, { paths }),
      });
      onSaved(saved);
    } catch (e) {
      const err = toApiError(e, lang);
      if (err.code === Code.Aborted) {
        await onConflict();
        return;
      }
      const fields = nodeErrors(err, "case_record.");
      setErrors(fields);
      setFailure(fields.size ? null : err);
      focusFirstError(fields);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="edit-title" class="edit">
      <h3 id="edit-title">{t("editCase", lang)}</h3>
      {errors.size > 0 && <p class="error-summary" role="alert">{t("fieldErrorsSummary", lang)}</p>}
      {nextStatuses.length > 0 && (
        <SelectRow path="descriptors.status" label="fNextStatus" lang={lang} errors={errors}
                   catalogue={CaseStatusSchema} value={status} onChange={setStatus} only={nextStatuses}
                   emptyLabel="noChange" />
      )}
      <DescriptorFields d={d} set={(patch) => setD({ ...d, ...patch })} errors={errors} lang={lang} editing />
      {p && <PersonalFields p={p} set={(patch) => setP({ ...p, ...patch })} errors={errors} lang={lang} />}
      <ErrorBox error={failure} lang={lang} />
      <p role="status">{note}</p>
      <button type="submit" class="primary">{t("saveChanges", lang)}</button>{" "}
      <button type="button" onClick={onCancel}>{t("cancel", lang)}</button>
    </form>
  );
}
