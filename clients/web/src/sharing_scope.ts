// What each sharing scope sends, in plain words: the CasePersonalData
// fields of referral_service.proto's SharingScope comments, by their form
// labels.
import { SharingScope } from "./gen/resguardo/v1/referral_service_pb";
import type { TextKey } from "./i18n";

const contact: TextKey[] = ["fVictimName", "fPhone", "fEmail"];

export const scopeFields: Record<number, TextKey[]> = {
  [SharingScope.CONTACT_ONLY]: contact,
  [SharingScope.CONTACT_AND_NARRATIVE]: [...contact, "fNarrative"],
  [SharingScope.FULL]: [...contact, "fNarrative", "fCurp", "fBirthDate", "fAddress",
    "fAggressorNames", "fEvidenceNotes", "fParty"],
};
