// Recording a resolution of a political-violence case (AddResolution): the
// resolving authority, file number, date and outcome; when proven, one
// sanctioned person without a name (qualification, repeat offence,
// sanctions, the fine's amount with a fine, the registry term with an
// inscription); optionally one reparation measure. The node decides when a
// resolution may be recorded and checks every field: its violations come
// back beside their fields (paths under "resolution.").
import { create } from "@bufbuild/protobuf";
import { useState } from "preact/hooks";
import { client } from "../api";
import { ErrorBox } from "../components/error_box";
import { CaseService } from "../gen/resguardo/v1/case_service_pb";
import {
  RegistryTermSchema, ReparationMeasureSchema, ResolutionSchema, SanctionSchema, SanctionedPersonSchema,
} from "../gen/resguardo/v1/case_pb";
import {
  FaultQualificationSchema, ReparationMeasureKindSchema, ResolutionOutcome, ResolutionOutcomeSchema,
  SanctionType, SanctionTypeSchema,
} from "../gen/resguardo/v1/catalogues_pb";
import { MoneySchema } from "../gen/google/type/money_pb";
import type { Lang, TextKey } from "../i18n";
import { t } from "../i18n";
import { checkDay, parseDay, today } from "../forms/dates";
import { dateText } from "../forms/case_draft";
import { MultiRow, SelectRow, TextRow } from "../forms/inputs";
import { useWrite } from "../forms/write";

const cases = client(CaseService);

// "1500.50" as MXN units and nanos (whole centavos); undefined if not that.
function money(s: string) {
  const m = /^(\d{1,12})(?:[.,](\d{1,2}))?$/.exec(s.trim());
  if (!m) return undefined;
  return create(MoneySchema, {
    currencyCode: "MXN", units: BigInt(m[1]), nanos: Number((m[2] ?? "").padEnd(2, "0")) * 10_000_000,
  });
}

export function AddResolution({ name, lang, onAdded }: {
  name: string;
  lang: Lang;
  onAdded: () => Promise<void>;
}) {
  const [authority, setAuthority] = useState("");
  const [fileNumber, setFileNumber] = useState("");
  const [date, setDate] = useState(today());
  const [outcome, setOutcome] = useState(0);
  const [qualification, setQualification] = useState(0);
  const [repeat, setRepeat] = useState(false);
  const [sanctions, setSanctions] = useState<number[]>([]);
  const [fine, setFine] = useState("");
  const [years, setYears] = useState("");
  const [months, setMonths] = useState("");
  const [days, setDays] = useState("");
  const [repKind, setRepKind] = useState(0);
  const [repAuthority, setRepAuthority] = useState("");
  const [repDue, setRepDue] = useState("");
  const [done, setDone] = useState(false);
  const { errors, failure, busy, run } = useWrite(lang, "resolution.");

  const proven = outcome === ResolutionOutcome.PROVEN;
  const withFine = sanctions.includes(SanctionType.FINE);
  const withTerm = sanctions.includes(SanctionType.REGISTRY_INSCRIPTION);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setDone(false);
    const local = new Map<string, TextKey>();
    const d = checkDay(date, true);
    if (d) local.set("resolution_date", dateText[d]);
    const amount = withFine ? money(fine) : undefined;
    if (withFine && !amount) local.set("sanctioned_persons.sanctions.fine_amount", "fineFormat");
    const person = create(SanctionedPersonSchema, {
      qualification, repeatOffence: repeat,
      sanctions: sanctions.map((type) => create(SanctionSchema, {
        type, fineAmount: type === SanctionType.FINE ? amount : undefined,
      })),
      registryTerm: withTerm ? create(RegistryTermSchema, {
        years: Number(years || 0), months: Number(months || 0), days: Number(days || 0),
      }) : undefined,
    });
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
        sanctionedPersons: proven ? [person] : [],
        reparationMeasures: reparation,
      }),
      requestId,
    }));
    if (!ok) return;
    setDone(true);
    await onAdded();
  };
  const c = { lang, errors };
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
        <fieldset>
          <legend>{t("personTitle", lang)}</legend>
          <SelectRow {...c} path="sanctioned_persons.qualification" label="fQualification" required
                     catalogue={FaultQualificationSchema} value={qualification} onChange={setQualification} />
          <p class="field">
            <label>
              <input type="checkbox" checked={repeat} onChange={(ev) => setRepeat(ev.currentTarget.checked)} />{" "}
              {t("fRepeat", lang)}
            </label>
          </p>
          <MultiRow {...c} path="sanctioned_persons.sanctions" label="fSanctions"
                    catalogue={SanctionTypeSchema} value={sanctions} onChange={setSanctions} />
          {withFine && (
            <TextRow {...c} path="sanctioned_persons.sanctions.fine_amount" label="fFine" required
                     value={fine} onInput={setFine} />
          )}
          {withTerm && (
            <>
              <TextRow {...c} path="sanctioned_persons.registry_term" label="fTermYears" value={years} onInput={setYears} />
              <TextRow {...c} path="term_months" label="fTermMonths" value={months} onInput={setMonths} />
              <TextRow {...c} path="term_days" label="fTermDays" value={days} onInput={setDays} />
            </>
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
