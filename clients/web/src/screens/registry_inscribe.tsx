// Inscribing a sanctioned person of a final resolution (Inscribe): the
// supervisor gives the case's folio, picks one of its final resolutions'
// sanctioned persons whose sanctions include the inscription, and says
// which of the case's aggressors she or he is by number — the node reads
// the name from the case's sealed part (an audited read); the page never
// does. And the early delisting of an entry by a court order
// (DelistRegistryEntry, with the entry's etag).
import { create } from "@bufbuild/protobuf";
import { useState } from "preact/hooks";
import { client, toApiError } from "../api";
import type { ApiError } from "../api";
import { ErrorBox } from "../components/error_box";
import { CaseService, CaseView } from "../gen/resguardo/v1/case_service_pb";
import type { Case } from "../gen/resguardo/v1/case_pb";
import { SanctionType } from "../gen/resguardo/v1/catalogues_pb";
import {
  CandidacySchema, RegistryEntrySchema, RegistryService, SanctionedPersonSexSchema,
} from "../gen/resguardo/v1/registry_service_pb";
import type { RegistryEntry } from "../gen/resguardo/v1/registry_service_pb";
import type { Lang, TextKey } from "../i18n";
import { t, tf } from "../i18n";
import type { Me } from "../me";
import { caseName } from "../me";
import { checkDay, parseDay, today } from "../forms/dates";
import { dateText } from "../forms/case_draft";
import { Field } from "../forms/field";
import { SelectRow, TextRow } from "../forms/inputs";
import { useWrite } from "../forms/write";
import { staleAsConflict } from "./case_action";

const registry = client(RegistryService);
const cases = client(CaseService);

// The sanctioned persons of a case's final resolutions ordered inscribed.
function inscribable(c: Case): { name: string; r: string; k: number }[] {
  return c.resolutions.filter((r) => r.finalDate).flatMap((r) =>
    r.sanctionedPersons.map((p, i) => ({ p, i }))
      .filter(({ p }) => p.sanctions.some((s) => s.type === SanctionType.REGISTRY_INSCRIPTION))
      .map(({ p, i }) => ({ name: p.name, r: r.name.split("/").pop() ?? "", k: i + 1 })));
}

export function InscribePerson({ me, lang, onDone }: { me: Me; lang: Lang; onDone: () => Promise<void> }) {
  const [folio, setFolio] = useState("");
  const [found, setFound] = useState<Case | null>(null);
  const [findError, setFindError] = useState<ApiError | null>(null);
  const [person, setPerson] = useState("");
  const [aggressor, setAggressor] = useState("1");
  const [sex, setSex] = useState(0);
  const [position, setPosition] = useState("");
  const [candidacy, setCandidacy] = useState(0);
  const [start, setStart] = useState(today());
  const [done, setDone] = useState(false);
  const { errors, failure, busy, run } = useWrite(lang, "entry.");

  const find = async (ev: Event) => {
    ev.preventDefault();
    setDone(false);
    try {
      const c = await cases.getCase({ name: caseName(me, folio.trim()), view: CaseView.BASIC });
      setFound(c);
      setPerson(inscribable(c)[0]?.name ?? "");
      setFindError(null);
    } catch (e) {
      setFound(null);
      setFindError(toApiError(e, lang));
    }
  };
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const local = new Map<string, TextKey>();
    const d = checkDay(start, true);
    if (d) local.set("start_date", dateText[d]);
    const index = Number(aggressor);
    if (!Number.isInteger(index) || index < 1) local.set("aggressor_index", "textRequired");
    const ok = await run(local, (requestId) => registry.inscribe({
      sanctionedPerson: person, aggressorIndex: index - 1,
      entry: create(RegistryEntrySchema, { sex, position: position.trim(), candidacy, startDate: parseDay(start) }),
      requestId,
    }));
    if (!ok) return;
    setDone(true);
    setFound(null);
    await onDone();
  };
  const persons = found ? inscribable(found) : [];
  const c = { lang, errors };
  return (
    <section aria-labelledby="inscribe-title">
      <h3 id="inscribe-title">{t("inscribeTitle", lang)}</h3>
      <form class="subform" onSubmit={find} noValidate aria-label={t("findCase", lang)}>
        <TextRow lang={lang} errors={new Map()} path="folio" label="fFolio" required value={folio} onInput={setFolio} />
        <ErrorBox error={findError} lang={lang} />
        <button type="submit">{t("findCase", lang)}</button>
      </form>
      {found && persons.length === 0 && <p role="status">{t("noInscribable", lang)}</p>}
      {found && persons.length > 0 && (
        <form class="subform" onSubmit={submit} noValidate aria-labelledby="inscribe-title">
          <Field id="f-sanctioned-person" label={t("fSanctionedPerson", lang)} lang={lang} required
                 error={errors.get("sanctioned_person")}>
            {(aria) => (
              <select {...aria} value={person} onChange={(ev) => setPerson(ev.currentTarget.value)}>
                {persons.map((p) => <option key={p.name} value={p.name}>{tf("personChoice", lang, { r: p.r, k: p.k })}</option>)}
              </select>
            )}
          </Field>
          <TextRow {...c} path="aggressor_index" label="fAggressorNumber" hint="aggressorHint" required
                   value={aggressor} onInput={setAggressor} />
          <SelectRow {...c} path="sex" label="fSex" required catalogue={SanctionedPersonSexSchema} value={sex} onChange={setSex} />
          <TextRow {...c} path="position" label="fEntryPosition" required value={position} onInput={setPosition} />
          <SelectRow {...c} path="candidacy" label="fCandidacy" required catalogue={CandidacySchema}
                     value={candidacy} onChange={setCandidacy} />
          <TextRow {...c} path="start_date" label="fStartDate" required type="date" max={today()}
                   value={start} onInput={setStart} />
          <ErrorBox error={failure} lang={lang} />
          <button type="submit" class="primary" aria-disabled={busy ? "true" : undefined}>{t("inscribe", lang)}</button>
        </form>
      )}
      <p role="status">{done ? t("inscribed", lang) : ""}</p>
    </section>
  );
}

export function DelistEntry({ entry, lang, onDone }: {
  entry: RegistryEntry; lang: Lang; onDone: (conflict: boolean) => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const [order, setOrder] = useState("");
  const [date, setDate] = useState(today());
  const { errors, failure, run } = useWrite(lang, "");
  const n = entry.name.split("/").pop();
  if (!open) {
    return <> <button type="button" onClick={() => setOpen(true)}>{t("delistStart", lang)}</button></>;
  }
  const submit = async (ev: Event) => {
    ev.preventDefault();
    let stale = false;
    const local = new Map<string, TextKey>();
    const d = checkDay(date, true);
    if (d) local.set(`order_date-${n}`, dateText[d]);
    const ok = await run(local, async () => {
      stale = await staleAsConflict(() => registry.delistRegistryEntry({
        name: entry.name, etag: entry.etag, courtOrderFileNumber: order.trim(), orderDate: parseDay(date),
      }));
    });
    if (ok) await onDone(stale);
  };
  const shown = new Map([...errors].map(([k, v]) => [k.includes("-") ? k : `${k}-${n}`, v]));
  return (
    <form class="subform" onSubmit={submit} noValidate aria-label={t("delistTitle", lang)}>
      <TextRow lang={lang} errors={shown} path={`court_order_file_number-${n}`} label="fCourtOrder" required
               value={order} onInput={setOrder} />
      <TextRow lang={lang} errors={shown} path={`order_date-${n}`} label="fOrderDate" required type="date"
               max={today()} value={date} onInput={setDate} />
      <ErrorBox error={failure} lang={lang} />
      <button type="submit">{t("delist", lang)}</button>{" "}
      <button type="button" onClick={() => setOpen(false)}>{t("cancel", lang)}</button>
    </form>
  );
}
