// The writes on a case's current resolution, each a small form: file an
// appeal (FileAppeal, with a request id), decide the pending appeal
// (DecideAppeal), declare the resolution final (SetResolutionFinal,
// supervisors only, offered only when the node would allow it: not final,
// no pending appeal, the last appeal not revoking or remanding it), and a
// reparation measure's compliance (SetReparationMeasureStatus, the node's
// allowed_next_statuses). The etag ones report a stale etag as a conflict.
import { useState } from "preact/hooks";
import { client } from "../api";
import { ErrorBox } from "../components/error_box";
import { CaseService } from "../gen/resguardo/v1/case_service_pb";
import type { ReparationMeasure, Resolution } from "../gen/resguardo/v1/case_pb";
import { AppealSchema } from "../gen/resguardo/v1/case_pb";
import { AppealOutcome, AppealOutcomeSchema, ReparationComplianceStatusSchema } from "../gen/resguardo/v1/catalogues_pb";
import { create } from "@bufbuild/protobuf";
import type { Lang, TextKey } from "../i18n";
import { t } from "../i18n";
import { checkDay, parseDay, today } from "../forms/dates";
import { dateText } from "../forms/case_draft";
import { SelectRow, TextRow } from "../forms/inputs";
import { useWrite } from "../forms/write";
import { staleAsConflict } from "./case_action";

const cases = client(CaseService);

// After a write: true when it was refused as stale (the page says so).
export type ResolutionDone = (conflict: boolean) => Promise<void>;

export const pendingAppeal = (r: Resolution) =>
  r.appeals.find((a) => a.outcome === AppealOutcome.PENDING);

// What SetResolutionFinal requires besides the role (resolution_rules.cc).
export function mayBeFinal(r: Resolution): boolean {
  if (r.finalDate) return false;
  const last = r.appeals[r.appeals.length - 1];
  return !last || (last.outcome !== AppealOutcome.PENDING && last.outcome !== AppealOutcome.REVOKED &&
                   last.outcome !== AppealOutcome.REMANDED);
}

function dateError(s: string, path: string): Map<string, TextKey> {
  const local = new Map<string, TextKey>();
  const d = checkDay(s, true);
  if (d) local.set(path, dateText[d]);
  return local;
}

export function FileAppeal({ r, lang, onDone }: { r: Resolution; lang: Lang; onDone: ResolutionDone }) {
  const [filed, setFiled] = useState(today());
  const [court, setCourt] = useState("");
  const [file, setFile] = useState("");
  const { errors, failure, run } = useWrite(lang, "appeal.");
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const ok = await run(dateError(filed, "filed_date"), (requestId) => cases.fileAppeal({
      parent: r.name,
      appeal: create(AppealSchema, { filedDate: parseDay(filed), reviewingAuthority: court.trim(), fileNumber: file.trim() }),
      requestId,
    }));
    if (ok) await onDone(false);
  };
  const c = { lang, errors };
  return (
    <form class="subform" onSubmit={submit} noValidate aria-labelledby="file-appeal-title">
      <h5 id="file-appeal-title">{t("fileAppeal", lang)}</h5>
      <TextRow {...c} path="filed_date" label="fAppealFiled" required type="date" max={today()} value={filed} onInput={setFiled} />
      <TextRow {...c} path="reviewing_authority" label="fAppealCourt" required value={court} onInput={setCourt} />
      <TextRow {...c} path="file_number" label="fAppealFile" value={file} onInput={setFile} />
      <ErrorBox error={failure} lang={lang} />
      <button type="submit">{t("fileAppeal", lang)}</button>
    </form>
  );
}

export function DecideAppeal({ appealName, etag, lang, onDone }: {
  appealName: string; etag: string; lang: Lang; onDone: ResolutionDone;
}) {
  const [outcome, setOutcome] = useState(0);
  const [date, setDate] = useState(today());
  const { errors, failure, run } = useWrite(lang, "");
  const submit = async (ev: Event) => {
    ev.preventDefault();
    let stale = false;
    const ok = await run(dateError(date, "outcome_date"), async () => {
      stale = await staleAsConflict(() =>
        cases.decideAppeal({ name: appealName, etag, outcome, outcomeDate: parseDay(date) }));
    });
    if (ok) await onDone(stale);
  };
  const c = { lang, errors };
  const decided = [AppealOutcome.CONFIRMED, AppealOutcome.MODIFIED, AppealOutcome.REVOKED, AppealOutcome.REMANDED, AppealOutcome.DISMISSED];
  return (
    <form class="subform" onSubmit={submit} noValidate aria-labelledby="decide-appeal-title">
      <h5 id="decide-appeal-title">{t("decideAppeal", lang)}</h5>
      <SelectRow {...c} path="outcome" label="fAppealOutcome" required catalogue={AppealOutcomeSchema}
                 only={decided} value={outcome} onChange={setOutcome} />
      <TextRow {...c} path="outcome_date" label="fAppealOutcomeDate" required type="date" max={today()}
               value={date} onInput={setDate} />
      <ErrorBox error={failure} lang={lang} />
      <button type="submit">{t("decideAppeal", lang)}</button>
    </form>
  );
}

export function SetFinal({ r, etag, lang, onDone }: { r: Resolution; etag: string; lang: Lang; onDone: ResolutionDone }) {
  const [date, setDate] = useState(today());
  const { errors, failure, run } = useWrite(lang, "");
  const submit = async (ev: Event) => {
    ev.preventDefault();
    let stale = false;
    const ok = await run(dateError(date, "final_date"), async () => {
      stale = await staleAsConflict(() => cases.setResolutionFinal({ name: r.name, etag, finalDate: parseDay(date) }));
    });
    if (ok) await onDone(stale);
  };
  return (
    <form class="subform" onSubmit={submit} noValidate aria-labelledby="set-final-title">
      <h5 id="set-final-title">{t("setFinal", lang)}</h5>
      <TextRow lang={lang} errors={errors} path="final_date" label="fFinalDate" required type="date" max={today()}
               value={date} onInput={setDate} />
      <ErrorBox error={failure} lang={lang} />
      <button type="submit" class="primary">{t("setFinal", lang)}</button>
    </form>
  );
}

export function ReparationStatus({ m, etag, lang, onDone }: {
  m: ReparationMeasure; etag: string; lang: Lang; onDone: ResolutionDone;
}) {
  const [status, setStatus] = useState(0);
  const { errors, failure, run } = useWrite(lang, "");
  const n = m.name.split("/").slice(-3).join("-");
  if (m.allowedNextStatuses.length === 0) return null;
  const submit = async (ev: Event) => {
    ev.preventDefault();
    let stale = false;
    const local = new Map<string, TextKey>();
    if (!status) local.set(`status-${n}`, "textRequired");
    const ok = await run(local, async () => {
      stale = await staleAsConflict(() => cases.setReparationMeasureStatus({ name: m.name, etag, status }));
    });
    if (ok) await onDone(stale);
  };
  // The node's violation of this form is on "status": shown beside this
  // measure's select.
  const shown = new Map([...errors].map(([k, v]) => [k === "status" ? `status-${n}` : k, v]));
  return (
    <form class="inline" onSubmit={submit} noValidate>
      <SelectRow lang={lang} errors={shown} path={`status-${n}`} label="fCompliance" required
                 catalogue={ReparationComplianceStatusSchema} only={m.allowedNextStatuses}
                 value={status} onChange={setStatus} />
      <ErrorBox error={failure} lang={lang} />
      <button type="submit">{t("setCompliance", lang)}</button>
    </form>
  );
}
