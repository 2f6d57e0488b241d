// A case as a form holds it (strings and code lists), to and from the
// proto messages, and the checks made before sending: the required fields
// and the node's date rules. Everything else the node checks and answers
// with field violations, shown beside their fields.
import { create } from "@bufbuild/protobuf";
import type { CaseDescriptors, CasePersonalData } from "../gen/resguardo/v1/case_pb";
import { CaseDescriptorsSchema, CasePersonalDataSchema } from "../gen/resguardo/v1/case_pb";
import { CaseKind } from "../gen/resguardo/v1/catalogues_pb";
import type { TextKey } from "../i18n";
import { checkDay, checkIncidentMonth, formatDate, parseDay, parseMonth } from "./dates";
import type { DateProblem } from "./dates";

export interface DescriptorDraft {
  kind: number;
  stateCode: string;
  municipalityCode: string;
  reportedDate: string;
  incidentMonth: string;
  violenceTypes: number[];
  modalities: number[];
  conducts: number[];
  gbvIncidentTypes: number[];
  victimAgeBand: number;
  victimPosition: number;
  territorialLevel: number;
  normativeSystem: number;
  electoralStage: number;
  selfIdentification: number[];
  aggressorRelation: number;
  aggressorCategories: number[];
  aggressorCount: number;
  riskLevel: number;
  filedByThirdParty: boolean;
}

export interface PersonalDraft {
  victimName: string;
  victimCurp: string;
  victimBirthDate: string;
  contactPhone: string;
  contactEmail: string;
  address: string;
  narrative: string;
  aggressorNames: string;
  evidenceNotes: string;
  politicalParty: string;
}

// Field errors by the node's field path relative to Case
// ("descriptors.reported_date"), already in the user's language or as
// text keys of i18n.ts.
export type FieldErrors = Map<string, string>;

export function emptyDescriptors(stateCode: string): DescriptorDraft {
  return {
    kind: 0, stateCode, municipalityCode: "", reportedDate: "", incidentMonth: "",
    violenceTypes: [], modalities: [], conducts: [], gbvIncidentTypes: [],
    victimAgeBand: 0, victimPosition: 0, territorialLevel: 0, normativeSystem: 0,
    electoralStage: 0, selfIdentification: [], aggressorRelation: 0,
    aggressorCategories: [], aggressorCount: 0, riskLevel: 0, filedByThirdParty: false,
  };
}

export function emptyPersonal(): PersonalDraft {
  return {
    victimName: "", victimCurp: "", victimBirthDate: "", contactPhone: "",
    contactEmail: "", address: "", narrative: "", aggressorNames: "",
    evidenceNotes: "", politicalParty: "",
  };
}

export function descriptorsOf(d: DescriptorDraft): CaseDescriptors {
  const pv = d.kind === CaseKind.POLITICAL_VIOLENCE;
  const gbv = d.kind === CaseKind.GBV;
  return create(CaseDescriptorsSchema, {
    kind: d.kind,
    stateCode: d.stateCode.trim(),
    municipalityCode: d.municipalityCode.trim(),
    reportedDate: parseDay(d.reportedDate),
    incidentMonth: parseMonth(d.incidentMonth),
    violenceTypes: d.violenceTypes,
    modalities: d.modalities,
    // Conducts only for political violence, GBVIMS types only for GBV (the
    // form hides the other list; a value chosen before the kind changed is
    // not sent).
    conducts: pv ? d.conducts : [],
    gbvIncidentTypes: gbv ? d.gbvIncidentTypes : [],
    victimAgeBand: d.victimAgeBand,
    victimPosition: d.victimPosition,
    territorialLevel: d.territorialLevel,
    normativeSystem: d.normativeSystem,
    electoralStage: d.electoralStage,
    selfIdentification: d.selfIdentification,
    aggressorRelation: d.aggressorRelation,
    aggressorCategories: d.aggressorCategories,
    aggressorCount: d.aggressorCount,
    riskLevel: d.riskLevel,
    filedByThirdParty: d.filedByThirdParty,
  });
}

export function personalOf(p: PersonalDraft): CasePersonalData {
  return create(CasePersonalDataSchema, {
    victimName: p.victimName.trim(),
    victimCurp: p.victimCurp.trim(),
    victimBirthDate: parseDay(p.victimBirthDate),
    contactPhone: p.contactPhone.trim(),
    contactEmail: p.contactEmail.trim(),
    address: p.address,
    narrative: p.narrative,
    aggressorNames: p.aggressorNames.split("\n").map((s) => s.trim()).filter(Boolean),
    evidenceNotes: p.evidenceNotes,
    politicalParty: p.politicalParty.trim(),
  });
}

export function draftOfDescriptors(c: CaseDescriptors): DescriptorDraft {
  return {
    kind: c.kind, stateCode: c.stateCode, municipalityCode: c.municipalityCode,
    reportedDate: formatDate(c.reportedDate), incidentMonth: formatDate(c.incidentMonth),
    violenceTypes: [...c.violenceTypes], modalities: [...c.modalities],
    conducts: [...c.conducts], gbvIncidentTypes: [...c.gbvIncidentTypes],
    victimAgeBand: c.victimAgeBand, victimPosition: c.victimPosition,
    territorialLevel: c.territorialLevel, normativeSystem: c.normativeSystem,
    electoralStage: c.electoralStage, selfIdentification: [...c.selfIdentification],
    aggressorRelation: c.aggressorRelation, aggressorCategories: [...c.aggressorCategories],
    aggressorCount: c.aggressorCount, riskLevel: c.riskLevel,
    filedByThirdParty: c.filedByThirdParty,
  };
}

export function draftOfPersonal(p: CasePersonalData): PersonalDraft {
  return {
    victimName: p.victimName, victimCurp: p.victimCurp,
    victimBirthDate: formatDate(p.victimBirthDate), contactPhone: p.contactPhone,
    contactEmail: p.contactEmail, address: p.address, narrative: p.narrative,
    aggressorNames: p.aggressorNames.join("\n"), evidenceNotes: p.evidenceNotes,
    politicalParty: p.politicalParty,
  };
}

export const dateText: Record<Exclude<DateProblem, undefined>, TextKey> = {
  required: "dateRequired",
  notReal: "dateNotReal",
  future: "dateFuture",
  afterReported: "dateAfterReported",
};

// The checks made before sending, as text keys by field path.
export function checkDraft(d: DescriptorDraft, p: PersonalDraft | null): Map<string, TextKey> {
  const e = new Map<string, TextKey>();
  if (!d.kind) e.set("descriptors.kind", "textRequired");
  if (!d.stateCode.trim()) e.set("descriptors.state_code", "textRequired");
  if (!d.riskLevel) e.set("descriptors.risk_level", "textRequired");
  const reported = checkDay(d.reportedDate, true);
  if (reported) e.set("descriptors.reported_date", dateText[reported]);
  const incident = checkIncidentMonth(d.incidentMonth, d.reportedDate);
  if (incident) e.set("descriptors.incident_month", dateText[incident]);
  if (p) {
    if (!p.victimName.trim()) e.set("personal_data.victim_name", "textRequired");
    const birth = checkDay(p.victimBirthDate, false);
    if (birth) e.set("personal_data.victim_birth_date", dateText[birth]);
  }
  return e;
}
