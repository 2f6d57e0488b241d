// The personal data of a case (CasePersonalData) as a form section. Never
// autocompleted by the browser (autocomplete="off": nothing kept in its
// form history).
import type { Lang } from "../i18n";
import { t } from "../i18n";
import type { PersonalDraft } from "./case_draft";
import { today } from "./dates";
import { TextRow } from "./inputs";

interface Props {
  p: PersonalDraft;
  set: (patch: Partial<PersonalDraft>) => void;
  errors: Map<string, string>;
  lang: Lang;
}

export function PersonalFields({ p, set, errors, lang }: Props) {
  const c = { lang, errors };
  return (
    <fieldset class="section personal">
      <legend>{t("sectionPersonal", lang)}</legend>
      <TextRow {...c} path="personal_data.victim_name" label="fVictimName" required
               value={p.victimName} onInput={(victimName) => set({ victimName })} />
      <TextRow {...c} path="personal_data.victim_curp" label="fCurp"
               value={p.victimCurp} onInput={(victimCurp) => set({ victimCurp })} />
      <TextRow {...c} path="personal_data.victim_birth_date" label="fBirthDate" type="date"
               max={today()} value={p.victimBirthDate}
               onInput={(victimBirthDate) => set({ victimBirthDate })} />
      <TextRow {...c} path="personal_data.contact_phone" label="fPhone" type="tel"
               value={p.contactPhone} onInput={(contactPhone) => set({ contactPhone })} />
      <TextRow {...c} path="personal_data.contact_email" label="fEmail" type="email"
               value={p.contactEmail} onInput={(contactEmail) => set({ contactEmail })} />
      <TextRow {...c} path="personal_data.address" label="fAddress" multiline
               value={p.address} onInput={(address) => set({ address })} />
      <TextRow {...c} path="personal_data.narrative" label="fNarrative" multiline
               value={p.narrative} onInput={(narrative) => set({ narrative })} />
      <TextRow {...c} path="personal_data.aggressor_names" label="fAggressorNames" multiline
               value={p.aggressorNames} onInput={(aggressorNames) => set({ aggressorNames })} />
      <TextRow {...c} path="personal_data.evidence_notes" label="fEvidenceNotes" multiline
               value={p.evidenceNotes} onInput={(evidenceNotes) => set({ evidenceNotes })} />
      <TextRow {...c} path="personal_data.political_party" label="fParty"
               value={p.politicalParty} onInput={(politicalParty) => set({ politicalParty })} />
    </fieldset>
  );
}
