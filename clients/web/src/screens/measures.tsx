// A case's protection measures (type, status, authority, issue and expiry,
// expiring ones marked) and the form to add one.
import { create } from "@bufbuild/protobuf";
import { useState } from "preact/hooks";
import { client } from "../api";
import { ErrorBox } from "../components/error_box";
import { CaseService } from "../gen/resguardo/v1/case_service_pb";
import type { ProtectionMeasure } from "../gen/resguardo/v1/case_pb";
import { ProtectionMeasureSchema } from "../gen/resguardo/v1/case_pb";
import { ProtectionMeasureStatusSchema, ProtectionMeasureTypeSchema } from "../gen/resguardo/v1/catalogues_pb";
import type { Lang, TextKey } from "../i18n";
import { t } from "../i18n";
import { labelOf } from "../labels";
import { checkDay, formatDate, parseDay, today } from "../forms/dates";
import { useWrite } from "../forms/write";
import { dateText } from "../forms/case_draft";
import { SelectRow, TextRow } from "../forms/inputs";
import { measureMarker } from "../case_markers";
import { MeasureStatus } from "./measure_status";

const cases = client(CaseService);

export function Measures({ name, etag, measures, lang, canAdd, onAdded }: {
  name: string;
  // The case's etag: a status change is a write on the case.
  etag: string;
  measures: ProtectionMeasure[];
  lang: Lang;
  canAdd: boolean;
  onAdded: () => Promise<void>;
}) {
  const [conflict, setConflict] = useState(false);
  const changeable = measures.some((m) => m.allowedNextStatuses.length > 0);
  return (
    <section aria-labelledby="measures-title">
      <h3 id="measures-title">{t("measuresTitle", lang)}</h3>
      {conflict && <p class="conflict" role="alert">{t("measureConflict", lang)}</p>}
      {measures.length === 0 ? <p>{t("noMeasures", lang)}</p> : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("colType", lang)}</th>
                <th scope="col">{t("colMeasureStatus", lang)}</th>
                <th scope="col">{t("colAuthority", lang)}</th>
                <th scope="col">{t("colIssued", lang)}</th>
                <th scope="col">{t("colExpiry", lang)}</th>
                {changeable && <th scope="col">{t("colChange", lang)}</th>}
              </tr>
            </thead>
            <tbody>
              {measures.map((m) => {
                const mark = measureMarker(m);
                return (
                  <tr key={m.name}>
                    <td>{labelOf(ProtectionMeasureTypeSchema, m.type, lang)}</td>
                    <td>{labelOf(ProtectionMeasureStatusSchema, m.status, lang)}</td>
                    <td>{m.issuingAuthority}</td>
                    <td>{formatDate(m.issueDate)}</td>
                    <td>
                      {formatDate(m.expiryDate) || t("indefinite", lang)}
                      {mark && <> <span class={`marker ${mark}`}>{t(mark, lang)}</span></>}
                    </td>
                    {changeable && (
                      <td>
                        <MeasureStatus m={m} etag={etag} lang={lang} onDone={async (c) => {
                          setConflict(c);
                          await onAdded();
                        }} />
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {canAdd && <AddMeasure name={name} lang={lang} onAdded={onAdded} />}
    </section>
  );
}

function AddMeasure({ name, lang, onAdded }: { name: string; lang: Lang; onAdded: () => Promise<void> }) {
  const [type, setType] = useState(0);
  const [status, setStatus] = useState(0);
  const [authority, setAuthority] = useState("");
  const [issued, setIssued] = useState(today());
  const [expiry, setExpiry] = useState("");
  const [done, setDone] = useState(false);
  const { errors, failure, run } = useWrite(lang, "");

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setDone(false);
    const local = new Map<string, TextKey>();
    if (!type) local.set("protection_measure.type", "textRequired");
    if (!status) local.set("protection_measure.status", "textRequired");
    if (!authority.trim()) local.set("protection_measure.issuing_authority", "textRequired");
    const issue = checkDay(issued, true);
    if (issue) local.set("protection_measure.issue_date", dateText[issue]);
    if (expiry && issued && expiry < issued) local.set("protection_measure.expiry_date", "expiryBeforeIssue");
    const ok = await run(local, (requestId) => cases.addProtectionMeasure({
      parent: name,
      protectionMeasure: create(ProtectionMeasureSchema, {
        type, status, issuingAuthority: authority.trim(),
        issueDate: parseDay(issued), expiryDate: parseDay(expiry),
      }),
      requestId,
    }));
    if (!ok) return;
    setType(0); setStatus(0); setAuthority(""); setExpiry("");
    setDone(true);
    await onAdded();
  };
  const c = { lang, errors };
  return (
    <form class="subform" onSubmit={submit} noValidate aria-labelledby="add-measure-title">
      <h4 id="add-measure-title">{t("addMeasure", lang)}</h4>
      <SelectRow {...c} path="protection_measure.type" label="fMeasureType" required
                 catalogue={ProtectionMeasureTypeSchema} value={type} onChange={setType} />
      <SelectRow {...c} path="protection_measure.status" label="fMeasureStatus" required
                 catalogue={ProtectionMeasureStatusSchema} value={status} onChange={setStatus} />
      <TextRow {...c} path="protection_measure.issuing_authority" label="fAuthority" required
               value={authority} onInput={setAuthority} />
      <TextRow {...c} path="protection_measure.issue_date" label="fIssueDate" required type="date"
               max={today()} value={issued} onInput={setIssued} />
      <TextRow {...c} path="protection_measure.expiry_date" label="fExpiryDate" type="date"
               value={expiry} onInput={setExpiry} />
      <ErrorBox error={failure} lang={lang} />
      <button type="submit">{t("addMeasure", lang)}</button>
      <p role="status">{done ? t("measureAdded", lang) : ""}</p>
    </form>
  );
}
