// A case's follow-ups as a timeline (notes only when the page has a
// declared purpose), and the form to add one (kind, when, next due date,
// notes), with its request id kept until the write is known to be done.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { useEffect, useState } from "preact/hooks";
import { client, toApiError } from "../api";
import type { ApiError } from "../api";
import { ErrorBox } from "../components/error_box";
import { CaseService } from "../gen/resguardo/v1/case_service_pb";
import type { FollowUp } from "../gen/resguardo/v1/case_pb";
import { FollowUpSchema } from "../gen/resguardo/v1/case_pb";
import { FollowUpKindSchema } from "../gen/resguardo/v1/catalogues_pb";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import { labelOf } from "../labels";
import { checkPastMoment, formatDate, nowLocal, parseDay } from "../forms/dates";
import { useWrite } from "../forms/write";
import { SelectRow, TextRow } from "../forms/inputs";
import type { TextKey } from "../i18n";

const cases = client(CaseService);

export function FollowUps({ name, lang, withNotes, erased, canAdd, onAdded }: {
  name: string;
  lang: Lang;
  // The follow-ups read under the page's purpose (notes included), or null.
  withNotes: FollowUp[] | null;
  // The case's personal data, notes included, was erased: no purpose
  // shows them again.
  erased?: boolean;
  canAdd: boolean;
  onAdded: () => Promise<void>;
}) {
  const [plain, setPlain] = useState<FollowUp[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!canAdd) return;  // registrars do not list follow-ups
    cases.listFollowUps({ parent: name, pageSize: 500 })
      .then((r) => setPlain(r.followUps), (e) => setError(toApiError(e, lang)));
  }, [name, version]);
  const items = withNotes ?? plain ?? [];
  return (
    <section aria-labelledby="followups-title">
      <h3 id="followups-title">{t("followUpsTitle", lang)}</h3>
      <ErrorBox error={error} lang={lang} />
      {items.length === 0 ? <p>{t("noFollowUps", lang)}</p> : (
        <ol class="timeline">
          {items.map((f) => (
            <li key={f.name}>
              <p>
                <strong>{labelOf(FollowUpKindSchema, f.kind, lang)}</strong>{" — "}
                <time>{f.occurTime ? new Date(Number(f.occurTime.seconds) * 1000).toLocaleString(lang === "es" ? "es-MX" : "en-US") : ""}</time>
              </p>
              {f.nextDueDate && f.nextDueDate.year > 0 && (
                <p>{t("nextDue", lang)}: {formatDate(f.nextDueDate)}</p>
              )}
              <p class="pre">{withNotes ? f.notes : <em>{t(erased ? "notesErased" : "notesHidden", lang)}</em>}</p>
            </li>
          ))}
        </ol>
      )}
      {canAdd && <AddFollowUp name={name} lang={lang} onAdded={async () => {
        setVersion(version + 1);
        await onAdded();
      }} />}
    </section>
  );
}


function AddFollowUp({ name, lang, onAdded }: { name: string; lang: Lang; onAdded: () => Promise<void> }) {
  const [kind, setKind] = useState(0);
  const [when, setWhen] = useState(nowLocal());
  const [due, setDue] = useState("");
  const [notes, setNotes] = useState("");
  const [done, setDone] = useState(false);
  const { errors, failure, run } = useWrite(lang, "");

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setDone(false);
    const local = new Map<string, TextKey>();
    if (!kind) local.set("follow_up.kind", "textRequired");
    const moment = checkPastMoment(when);
    if (moment) local.set("follow_up.occur_time", moment === "future" ? "dateFuture" : "textRequired");
    const ok = await run(local, (requestId) => cases.addFollowUp({
      parent: name,
      followUp: create(FollowUpSchema, {
        kind,
        occurTime: timestampFromDate(new Date(when)),
        nextDueDate: parseDay(due),
        notes,
      }),
      requestId,
    }));
    if (!ok) return;
    setKind(0); setDue(""); setNotes(""); setWhen(nowLocal());
    setDone(true);
    await onAdded();
  };
  const c = { lang, errors };
  return (
    <form class="subform" onSubmit={submit} noValidate aria-labelledby="add-followup-title">
      <h4 id="add-followup-title">{t("addFollowUp", lang)}</h4>
      <SelectRow {...c} path="follow_up.kind" label="fFollowUpKind" required
                 catalogue={FollowUpKindSchema} value={kind} onChange={setKind} />
      <TextRow {...c} path="follow_up.occur_time" label="fOccurTime" required
               type="datetime-local" value={when} onInput={setWhen} />
      <TextRow {...c} path="follow_up.next_due_date" label="fNextDue" type="date"
               value={due} onInput={setDue} />
      <TextRow {...c} path="follow_up.notes" label="fNotes" multiline
               value={notes} onInput={setNotes} />
      <ErrorBox error={failure} lang={lang} />
      <button type="submit">{t("addFollowUp", lang)}</button>
      <p role="status">{done ? t("followUpAdded", lang) : ""}</p>
    </form>
  );
}
