// Recording a resolution of a political-violence case (AddResolution): the
// resolving authority, file number, date and outcome; when proven, one or
// more sanctioned persons without a name, each with its own qualification,
// sanctions and registry term (sanctioned_person_fields.tsx); optionally one
// reparation measure. The node decides when a resolution may be recorded and
// checks every field: its violations come back beside their fields (paths
// under "resolution.", each sanctioned person's by its index).
import { create } from "@bufbuild/protobuf";
import { useState } from "preact/hooks";
import { client } from "../api";
import { ErrorBox } from "../components/error_box";
import { CaseService } from "../gen/resguardo/v1/case_service_pb";
import { ReparationMeasureSchema, ResolutionSchema } from "../gen/resguardo/v1/case_pb";
import {
  ReparationMeasureKindSchema, ResolutionOutcome, ResolutionOutcomeSchema,
} from "../gen/resguardo/v1/catalogues_pb";
import type { Lang, TextKey } from "../i18n";
import { t } from "../i18n";
import { checkDay, parseDay, today } from "../forms/dates";
import { dateText } from "../forms/case_draft";
import { idOf, SelectRow, TextRow } from "../forms/inputs";
import { useWrite } from "../forms/write";
import {
  checkPerson, emptyPerson, firstFieldId, SanctionedPersonFields, toSanctionedPerson,
} from "./sanctioned_person_fields";
import type { PersonDraft } from "./sanctioned_person_fields";

const cases = client(CaseService);
// As the node allows (services/cases/resolution_validator.h).
const MAX_PERSONS = 50;

export function AddResolution({ name, lang, onAdded }: {
  name: string;
  lang: Lang;
  onAdded: () => Promise<void>;
}) {
  const [authority, setAuthority] = useState("");
  const [fileNumber, setFileNumber] = useState("");
  const [date, setDate] = useState(today());
  const [outcome, setOutcome] = useState(0);
  const [persons, setPersons] = useState<PersonDraft[]>(() => [emptyPerson()]);
  const [repKind, setRepKind] = useState(0);
  const [repAuthority, setRepAuthority] = useState("");
  const [repDue, setRepDue] = useState("");
  const [done, setDone] = useState(false);
  const { errors, failure, busy, run, clear } = useWrite(lang, "resolution.", ["sanctioned_persons"]);

  const proven = outcome === ResolutionOutcome.PROVEN;
  const setPerson = (i: number) => (p: PersonDraft) => setPersons(persons.map((q, j) => (j === i ? p : q)));
  const addPerson = () => {
    setPersons([...persons, emptyPerson()]);
    const id = firstFieldId(persons.length);
    setTimeout(() => document.getElementById(id)?.focus(), 0);
  };
  const removePerson = (i: number) => () => {
    setPersons(persons.filter((_, j) => j !== i));
    clear();  // the errors of the persons after i were by their old index
    setTimeout(() => document.getElementById("add-person")?.focus(), 0);
  };

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setDone(false);
    const local = new Map<string, TextKey>();
    const d = checkDay(date, true);
    if (d) local.set("resolution_date", dateText[d]);
    if (proven) persons.forEach((p, i) => checkPerson(p, i, local));
    const reparation = repKind || repAuthority.trim() || repDue
      ? [create(ReparationMeasureSchema, {
          kind: repKind, responsibleAuthority: repAuthority.trim(), dueDate: parseDay(repDue),
        })]
      : [];
    const ok = await run(local, (requestId) => cases.addResolution({
      parent: name,
      resolution: create(ResolutionSchema, {
        resolvingAuthority: authority.trim(), fileNumber: fileNumber.trim(),
        resolutionDate: parseDay(date), outcome,
        sanctionedPersons: proven ? persons.map(toSanctionedPerson) : [],
        reparationMeasures: reparation,
      }),
      requestId,
    }));
    if (!ok) return;
    setDone(true);
    await onAdded();
  };
  const c = { lang, errors };
  // About the list itself (e.g. none when proven): beside the persons.
  const personsError = errors.get("sanctioned_persons");
  return (
    <form class="subform" id="add-resolution" onSubmit={submit} noValidate aria-labelledby="add-resolution-title">
      <h4 id="add-resolution-title">{t("addResolution", lang)}</h4>
      <TextRow {...c} path="resolving_authority" label="fResAuthority" required value={authority} onInput={setAuthority} />
      <TextRow {...c} path="file_number" label="fResFileNumber" required value={fileNumber} onInput={setFileNumber} />
      <TextRow {...c} path="resolution_date" label="fResDate" required type="date" max={today()}
               value={date} onInput={setDate} />
      <SelectRow {...c} path="outcome" label="fResOutcome" required
                 catalogue={ResolutionOutcomeSchema} value={outcome} onChange={setOutcome} />
      {proven && (
        <fieldset id={idOf("sanctioned_persons")} aria-describedby={personsError ? "persons-error" : undefined}>
          <legend>{t("personsTitle", lang)}</legend>
          <p class="field-error" id="persons-error" aria-live="assertive" hidden={!personsError}>{personsError}</p>
          {persons.map((p, i) => (
            <SanctionedPersonFields key={p.key} index={i} person={p} onChange={setPerson(i)} lang={lang} errors={errors}
                                    onRemove={i > 0 ? removePerson(i) : undefined} />
          ))}
          {persons.length < MAX_PERSONS && (
            <button type="button" id="add-person" onClick={addPerson}>{t("addPerson", lang)}</button>
          )}
        </fieldset>
      )}
      <fieldset>
        <legend>{t("reparationTitle", lang)}</legend>
        <SelectRow {...c} path="reparation_measures.kind" label="fRepKind"
                   catalogue={ReparationMeasureKindSchema} value={repKind} onChange={setRepKind} />
        <TextRow {...c} path="reparation_measures.responsible_authority" label="fRepAuthority"
                 value={repAuthority} onInput={setRepAuthority} />
        <TextRow {...c} path="reparation_measures.due_date" label="fRepDue" type="date"
                 value={repDue} onInput={setRepDue} />
      </fieldset>
      <ErrorBox error={failure} lang={lang} />
      <button type="submit" class="primary" aria-disabled={busy ? "true" : undefined}>{t("addResolution", lang)}</button>
      <p role="status">{done ? t("resolutionAdded", lang) : ""}</p>
    </form>
  );
}
