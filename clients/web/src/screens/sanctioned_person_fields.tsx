// One sanctioned person of a resolution's form, without a name (the names
// stay in the case's sealed data): qualification, repeat offence, sanctions,
// the fine's amount with a fine, the registry term with an inscription. Its
// fields' paths carry the person's index ("sanctioned_persons.1.qualification")
// so that the node's violations land beside this person's fields.
import { create } from "@bufbuild/protobuf";
import { RegistryTermSchema, SanctionSchema, SanctionedPersonSchema } from "../gen/resguardo/v1/case_pb";
import type { SanctionedPerson } from "../gen/resguardo/v1/case_pb";
import { FaultQualificationSchema, SanctionType, SanctionTypeSchema } from "../gen/resguardo/v1/catalogues_pb";
import { MoneySchema } from "../gen/google/type/money_pb";
import type { Lang, TextKey } from "../i18n";
import { t, tf } from "../i18n";
import { idOf, MultiRow, SelectRow, TextRow } from "../forms/inputs";

export interface PersonDraft {
  key: number;  // stable across removals, for rendering only
  qualification: number;
  repeat: boolean;
  sanctions: number[];
  fine: string;
  years: string;
  months: string;
  days: string;
}

let nextKey = 0;
export function emptyPerson(): PersonDraft {
  return { key: nextKey++, qualification: 0, repeat: false, sanctions: [], fine: "", years: "", months: "", days: "" };
}

// The path of person i's field `f` as the form's errors know it.
export const personPath = (i: number, f: string) => `sanctioned_persons.${i}.${f}`;

// "1500.50" as MXN units and nanos (whole centavos); undefined if not that.
function money(s: string) {
  const m = /^(\d{1,12})(?:[.,](\d{1,2}))?$/.exec(s.trim());
  if (!m) return undefined;
  return create(MoneySchema, {
    currencyCode: "MXN", units: BigInt(m[1]), nanos: Number((m[2] ?? "").padEnd(2, "0")) * 10_000_000,
  });
}

// The client's own check of person i (the fine's format), into `local`.
export function checkPerson(p: PersonDraft, i: number, local: Map<string, TextKey>): void {
  if (p.sanctions.includes(SanctionType.FINE) && !money(p.fine)) {
    local.set(personPath(i, "sanctions.fine_amount"), "fineFormat");
  }
}

export function toSanctionedPerson(p: PersonDraft): SanctionedPerson {
  const withTerm = p.sanctions.includes(SanctionType.REGISTRY_INSCRIPTION);
  return create(SanctionedPersonSchema, {
    qualification: p.qualification, repeatOffence: p.repeat,
    sanctions: p.sanctions.map((type) => create(SanctionSchema, {
      type, fineAmount: type === SanctionType.FINE ? money(p.fine) : undefined,
    })),
    registryTerm: withTerm ? create(RegistryTermSchema, {
      years: Number(p.years || 0), months: Number(p.months || 0), days: Number(p.days || 0),
    }) : undefined,
  });
}

// The id of person i's first field, focused when the person is added.
export const firstFieldId = (i: number) => idOf(personPath(i, "qualification"));

export function SanctionedPersonFields({ index, person, onChange, onRemove, lang, errors }: {
  index: number;
  person: PersonDraft;
  onChange: (p: PersonDraft) => void;
  onRemove?: () => void;
  lang: Lang;
  errors: Map<string, string>;
}) {
  const path = (f: string) => personPath(index, f);
  const set = <K extends keyof PersonDraft>(k: K) => (v: PersonDraft[K]) => onChange({ ...person, [k]: v });
  // A sanction's own violation (its type) is shown on the sanctions group.
  const shown = new Map(errors);
  const typeError = errors.get(path("sanctions.type"));
  if (typeError) shown.set(path("sanctions"), [errors.get(path("sanctions")), typeError].filter(Boolean).join(" "));
  const c = { lang, errors: shown };
  const n = index + 1;
  return (
    <fieldset class="sanctioned-person-fields">
      <legend>{tf("personN", lang, { n })}</legend>
      <SelectRow {...c} path={path("qualification")} label="fQualification" required
                 catalogue={FaultQualificationSchema} value={person.qualification} onChange={set("qualification")} />
      <p class="field">
        <label>
          <input type="checkbox" checked={person.repeat}
                 onChange={(ev) => set("repeat")(ev.currentTarget.checked)} />{" "}
          {t("fRepeat", lang)}
        </label>
      </p>
      <MultiRow {...c} path={path("sanctions")} label="fSanctions"
                catalogue={SanctionTypeSchema} value={person.sanctions} onChange={set("sanctions")} />
      {person.sanctions.includes(SanctionType.FINE) && (
        <TextRow {...c} path={path("sanctions.fine_amount")} label="fFine" required
                 value={person.fine} onInput={set("fine")} />
      )}
      {person.sanctions.includes(SanctionType.REGISTRY_INSCRIPTION) && (
        <>
          <TextRow {...c} path={path("registry_term")} label="fTermYears" value={person.years} onInput={set("years")} />
          <TextRow {...c} path={path("term_months")} label="fTermMonths" value={person.months} onInput={set("months")} />
          <TextRow {...c} path={path("term_days")} label="fTermDays" value={person.days} onInput={set("days")} />
        </>
      )}
      {onRemove && (
        <button type="button" onClick={onRemove}>{tf("removePerson", lang, { n })}</button>
      )}
    </fieldset>
  );
}
