// The descriptors of a case (CaseDescriptors) as form sections: the
// complaint, the facts (conducts for political violence, GBVIMS types for
// GBV), the victim without identifying data, the aggressor.
import type { Lang } from "../i18n";
import { t } from "../i18n";
import * as cat from "../gen/resguardo/v1/catalogues_pb";
import type { DescriptorDraft } from "./case_draft";
import { today } from "./dates";
import { MultiRow, SelectRow, TextRow } from "./inputs";

interface Props {
  d: DescriptorDraft;
  set: (patch: Partial<DescriptorDraft>) => void;
  errors: Map<string, string>;
  lang: Lang;
  // Register: every section; edit: no kind (fixed once registered).
  editing?: boolean;
}

export function DescriptorFields({ d, set, errors, lang, editing }: Props) {
  const c = { lang, errors };
  const pv = d.kind === cat.CaseKind.POLITICAL_VIOLENCE;
  const gbv = d.kind === cat.CaseKind.GBV;
  return (
    <>
      <fieldset class="section">
        <legend>{t("sectionCase", lang)}</legend>
        {!editing && (
          <SelectRow {...c} path="descriptors.kind" label="fKind" required
                     catalogue={cat.CaseKindSchema} value={d.kind}
                     onChange={(kind) => set({ kind })} />
        )}
        <TextRow {...c} path="descriptors.reported_date" label="fReportedDate" required
                 type="date" max={today()} value={d.reportedDate}
                 onInput={(reportedDate) => set({ reportedDate })} />
        <TextRow {...c} path="descriptors.state_code" label="fStateCode" required
                 hint="fStateCodeHint" value={d.stateCode}
                 onInput={(stateCode) => set({ stateCode })} />
        <TextRow {...c} path="descriptors.municipality_code" label="fMunicipalityCode"
                 hint="fMunicipalityCodeHint" value={d.municipalityCode}
                 onInput={(municipalityCode) => set({ municipalityCode })} />
        <SelectRow {...c} path="descriptors.risk_level" label="fRiskLevel" required
                   catalogue={cat.RiskLevelSchema} value={d.riskLevel}
                   onChange={(riskLevel) => set({ riskLevel })} />
        {!editing && (
          <label class="check">
            <input type="checkbox" checked={d.filedByThirdParty}
                   onChange={(ev) => set({ filedByThirdParty: ev.currentTarget.checked })} />{" "}
            {t("fThirdParty", lang)}
          </label>
        )}
      </fieldset>
      <fieldset class="section">
        <legend>{t("sectionFacts", lang)}</legend>
        <TextRow {...c} path="descriptors.incident_month" label="fIncidentMonth"
                 hint="fIncidentMonthHint" type="month" value={d.incidentMonth}
                 onInput={(incidentMonth) => set({ incidentMonth })} />
        <MultiRow {...c} path="descriptors.violence_types" label="fViolenceTypes"
                  catalogue={cat.ViolenceTypeSchema} value={d.violenceTypes}
                  onChange={(violenceTypes) => set({ violenceTypes })} />
        <MultiRow {...c} path="descriptors.modalities" label="fModalities"
                  catalogue={cat.ModalitySchema} value={d.modalities}
                  onChange={(modalities) => set({ modalities })} />
        {pv && (
          <MultiRow {...c} path="descriptors.conducts" label="fConducts"
                    catalogue={cat.ConductSchema} value={d.conducts}
                    onChange={(conducts) => set({ conducts })} />
        )}
        {gbv && (
          <MultiRow {...c} path="descriptors.gbv_incident_types" label="fGbvTypes"
                    catalogue={cat.GbvIncidentTypeSchema} value={d.gbvIncidentTypes}
                    onChange={(gbvIncidentTypes) => set({ gbvIncidentTypes })} />
        )}
      </fieldset>
      <fieldset class="section">
        <legend>{t("sectionVictim", lang)}</legend>
        <SelectRow {...c} path="descriptors.victim_age_band" label="fAgeBand"
                   catalogue={cat.AgeBandSchema} value={d.victimAgeBand}
                   onChange={(victimAgeBand) => set({ victimAgeBand })} />
        <SelectRow {...c} path="descriptors.victim_position" label="fPosition"
                   catalogue={cat.VictimPositionSchema} value={d.victimPosition}
                   onChange={(victimPosition) => set({ victimPosition })} />
        <SelectRow {...c} path="descriptors.territorial_level" label="fTerritorialLevel"
                   catalogue={cat.TerritorialLevelSchema} value={d.territorialLevel}
                   onChange={(territorialLevel) => set({ territorialLevel })} />
        <SelectRow {...c} path="descriptors.normative_system" label="fNormativeSystem"
                   catalogue={cat.NormativeSystemSchema} value={d.normativeSystem}
                   onChange={(normativeSystem) => set({ normativeSystem })} />
        <SelectRow {...c} path="descriptors.electoral_stage" label="fElectoralStage"
                   catalogue={cat.ElectoralStageSchema} value={d.electoralStage}
                   onChange={(electoralStage) => set({ electoralStage })} />
        <MultiRow {...c} path="descriptors.self_identification" label="fSelfId"
                  catalogue={cat.SelfIdentificationSchema} value={d.selfIdentification}
                  onChange={(selfIdentification) => set({ selfIdentification })} />
      </fieldset>
      <fieldset class="section">
        <legend>{t("sectionAggressor", lang)}</legend>
        <SelectRow {...c} path="descriptors.aggressor_relation" label="fAggressorRelation"
                   catalogue={cat.AggressorRelationSchema} value={d.aggressorRelation}
                   onChange={(aggressorRelation) => set({ aggressorRelation })} />
        <MultiRow {...c} path="descriptors.aggressor_categories" label="fAggressorCategories"
                  catalogue={cat.AggressorCategorySchema} value={d.aggressorCategories}
                  onChange={(aggressorCategories) => set({ aggressorCategories })} />
        <SelectRow {...c} path="descriptors.aggressor_count" label="fAggressorCount"
                   catalogue={cat.AggressorCountSchema} value={d.aggressorCount}
                   onChange={(aggressorCount) => set({ aggressorCount })} />
      </fieldset>
    </>
  );
}
