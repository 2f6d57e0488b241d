// A case's descriptors as a description list, labels from the catalogues.
import type { DescEnum } from "@bufbuild/protobuf";
import type { CaseDescriptors } from "../gen/resguardo/v1/case_pb";
import * as cat from "../gen/resguardo/v1/catalogues_pb";
import type { Lang, TextKey } from "../i18n";
import { t } from "../i18n";
import { labelOf } from "../labels";
import { formatDate } from "../forms/dates";

export function DescriptorView({ d, lang }: { d: CaseDescriptors; lang: Lang }) {
  const one = (e: DescEnum, v: number) => (v ? labelOf(e, v, lang) : t("none", lang));
  const many = (e: DescEnum, vs: number[]) =>
    vs.length ? vs.map((v) => labelOf(e, v, lang)).join("; ") : t("none", lang);
  const rows: [TextKey, string][] = [
    ["fKind", one(cat.CaseKindSchema, d.kind)],
    ["colStatus", one(cat.CaseStatusSchema, d.status)],
    ["fRiskLevel", one(cat.RiskLevelSchema, d.riskLevel)],
    ["fReportedDate", formatDate(d.reportedDate) || t("none", lang)],
    ["fStateCode", d.stateCode || t("none", lang)],
    ["fMunicipalityCode", d.municipalityCode || t("none", lang)],
    ["fIncidentMonth", formatDate(d.incidentMonth) || t("none", lang)],
    ["fViolenceTypes", many(cat.ViolenceTypeSchema, d.violenceTypes)],
    ["fModalities", many(cat.ModalitySchema, d.modalities)],
  ];
  if (d.kind === cat.CaseKind.POLITICAL_VIOLENCE) rows.push(["fConducts", many(cat.ConductSchema, d.conducts)]);
  if (d.kind === cat.CaseKind.GBV) rows.push(["fGbvTypes", many(cat.GbvIncidentTypeSchema, d.gbvIncidentTypes)]);
  rows.push(
    ["fAgeBand", one(cat.AgeBandSchema, d.victimAgeBand)],
    ["fPosition", one(cat.VictimPositionSchema, d.victimPosition)],
    ["fTerritorialLevel", one(cat.TerritorialLevelSchema, d.territorialLevel)],
    ["fNormativeSystem", one(cat.NormativeSystemSchema, d.normativeSystem)],
    ["fElectoralStage", one(cat.ElectoralStageSchema, d.electoralStage)],
    ["fSelfId", many(cat.SelfIdentificationSchema, d.selfIdentification)],
    ["fAggressorRelation", one(cat.AggressorRelationSchema, d.aggressorRelation)],
    ["fAggressorCategories", many(cat.AggressorCategorySchema, d.aggressorCategories)],
    ["fAggressorCount", one(cat.AggressorCountSchema, d.aggressorCount)],
    ["fThirdParty", d.filedByThirdParty ? t("yes", lang) : t("no", lang)],
  );
  return (
    <dl class="facts">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{t(k, lang)}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
