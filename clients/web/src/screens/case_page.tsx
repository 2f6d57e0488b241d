// One case, by folio (not personal data): descriptors; personal data only
// after a declared purpose (personal_data.ts: hidden on leaving or idle);
// protection measures and follow-ups with their forms; editing with the
// etag and a conflict message that shows the current version; the
// supervisor's actions (supervision.tsx); an erasure and a closure reason
// shown to everyone who reads the case.
import { Code } from "@connectrpc/connect";
import { useEffect, useState } from "preact/hooks";
import { client, toApiError } from "../api";
import type { ApiError } from "../api";
import { ErrorBox } from "../components/error_box";
import { DescriptorView } from "../components/descriptor_view";
import { PersonalView } from "../components/personal_view";
import { PurposeGate } from "../components/purpose_gate";
import { CaseService, CaseView } from "../gen/resguardo/v1/case_service_pb";
import type { Case } from "../gen/resguardo/v1/case_pb";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import type { Me } from "../me";
import { can, caseName } from "../me";
import { usePersonalData } from "../personal_data";
import { onLink } from "../router";
import { EditCase } from "./edit_case";
import { FollowUps } from "./follow_ups";
import { Measures } from "./measures";
import { Supervision } from "./supervision";
import { Resolutions } from "./resolutions";
import { RelatedHint } from "./related_cases";
import { outcomeText } from "./case_action";
import type { ActionOutcome } from "./case_action";
import { ClosureReasonSchema } from "../gen/resguardo/v1/catalogues_pb";
import { labelOf } from "../labels";

const cases = client(CaseService);

export function CasePage({ me, lang, folio }: { me: Me; lang: Lang; folio: string }) {
  const name = caseName(me, folio);
  const [record, setRecord] = useState<Case | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [editing, setEditing] = useState(false);
  const [conflict, setConflict] = useState(false);
  const [saved, setSaved] = useState(false);
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);
  const personal = usePersonalData(name, lang);

  const load = async () => {
    try {
      setRecord(await cases.getCase({ name, view: CaseView.BASIC }));
      setError(null);
    } catch (e) {
      setError(toApiError(e, lang));
    }
  };
  useEffect(() => { setRecord(null); setOutcome(null); load(); }, [name]);

  const afterWrite = async () => {
    await load();
    await personal.refresh();
  };

  // After a supervisor's action: the case read again; an erasure drops the
  // personal data shown (there is none left to read again).
  const afterAction = async (o: ActionOutcome) => {
    if (o === "erased") personal.hide();
    await load();
    if (o !== "erased") await personal.refresh();
    setSaved(false);
    setConflict(false);
    setOutcome(o);
  };

  if (error && !record) {
    return (
      <section aria-labelledby="case-title">
        <h2 id="case-title">{t("caseTitle", lang)}</h2>
        {error.code === Code.NotFound ? <p role="alert">{t("notFound", lang)}</p> : <ErrorBox error={error} lang={lang} />}
        <p><a href="/casos" onClick={onLink}>{t("backToList", lang)}</a></p>
      </section>
    );
  }
  if (!record) return <p role="status">{t("loading", lang)}</p>;
  const full = personal.revealed?.full;
  // The version an edit starts from: the full one when shown (same etag).
  const current = full ?? record;

  return (
    <article aria-labelledby="case-title">
      <h2 id="case-title">{t("caseTitle", lang)} <span class="folio">{record.folio}</span></h2>
      <p class="actions">
        <a href="/casos" onClick={onLink}>{t("backToList", lang)}</a>
        {can.refer(me) && (
          <> · <a href={`/casos/${encodeURIComponent(record.folio)}/canalizar`} onClick={onLink}>{t("referCase", lang)}</a></>
        )}
      </p>
      {conflict && <p class="conflict" role="alert">{t("conflict", lang)}</p>}
      {saved && <p role="status">{t("saved", lang)}</p>}
      {outcome && (
        <p role={outcome === "conflict" ? "alert" : "status"} class={outcome === "conflict" ? "conflict" : undefined}>
          {t(outcomeText[outcome], lang)}
        </p>
      )}
      {record.personalDataErased && <p class="erased-notice">{t("erasedNotice", lang)}</p>}
      <section aria-labelledby="desc-title">
        <h3 id="desc-title">{t("descriptorsTitle", lang)}</h3>
        {editing ? (
          <EditCase
            key={current.etag}
            record={current}
            withPersonal={!!full}
            lang={lang}
            onSaved={async () => {
              await afterWrite();
              setEditing(false);
              setConflict(false);
              setSaved(true);
            }}
            onConflict={async () => {
              // The current version first, then the message over it.
              await afterWrite();
              setEditing(false);
              setSaved(false);
              setConflict(true);
            }}
            onCancel={() => setEditing(false)}
          />
        ) : (
          <>
            <DescriptorView d={record.descriptors!} lang={lang} />
            {record.closureReason !== 0 && (
              <p>{t("closureReasonShown", lang)}: {labelOf(ClosureReasonSchema, record.closureReason, lang)}</p>
            )}
            {can.edit(me) && (
              <button type="button" onClick={() => { setSaved(false); setConflict(false); setOutcome(null); setEditing(true); }}>
                {t("editCase", lang)}
              </button>
            )}
          </>
        )}
      </section>
      {can.followUp(me) && (
        <section aria-labelledby="personal-title" class="personal-section">
          <h3 id="personal-title">{t("personalTitle", lang)}</h3>
          {personal.idleHidden && <p role="status">{t("hiddenIdle", lang)}</p>}
          {record.personalDataErased ? <p>{t("erased", lang)}</p> : full?.personalData ? (
            <>
              <PersonalView p={full.personalData} lang={lang} />
              <RelatedHint name={name} purpose={personal.revealed!.purpose} lang={lang} />
              <button type="button" onClick={personal.hide}>{t("hidePersonal", lang)}</button>
            </>
          ) : (
            <PurposeGate id="purpose" lang={lang} onReveal={personal.reveal} />
          )}
          <ErrorBox error={personal.error} lang={lang} />
        </section>
      )}
      <Supervision me={me} record={record} lang={lang} onDone={afterAction} />
      <Resolutions me={me} record={record} lang={lang} onChanged={afterWrite} />
      <Measures name={name} etag={record.etag} measures={record.protectionMeasures} lang={lang}
                canAdd={can.register(me)} onAdded={afterWrite} />
      <FollowUps name={name} lang={lang} withNotes={personal.revealed?.followUps ?? null}
                 erased={record.personalDataErased}
                 canAdd={can.followUp(me)} onAdded={personal.refresh} />
    </article>
  );
}
