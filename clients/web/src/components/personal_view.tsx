// A case's personal data as a description list (shown only after a
// declared purpose; the component holding it drops it on leaving).
import type { CasePersonalData } from "../gen/resguardo/v1/case_pb";
import type { Lang, TextKey } from "../i18n";
import { t } from "../i18n";
import { formatDate } from "../forms/dates";

// `only`: the fields to show (a referral shows those of its scope).
export function PersonalView({ p, lang, only }: { p: CasePersonalData; lang: Lang; only?: TextKey[] }) {
  const rows: [TextKey, string][] = [
    ["fVictimName", p.victimName],
    ["fCurp", p.victimCurp],
    ["fBirthDate", formatDate(p.victimBirthDate)],
    ["fPhone", p.contactPhone],
    ["fEmail", p.contactEmail],
    ["fAddress", p.address],
    ["fNarrative", p.narrative],
    ["fAggressorNames", p.aggressorNames.join("; ")],
    ["fEvidenceNotes", p.evidenceNotes],
    ["fParty", p.politicalParty],
  ];
  return (
    <dl class="facts personal-data">
      {rows.filter(([k]) => !only || only.includes(k)).map(([k, v]) => (
        <div key={k}>
          <dt>{t(k, lang)}</dt>
          <dd class="pre">{v || t("none", lang)}</dd>
        </div>
      ))}
    </dl>
  );
}
