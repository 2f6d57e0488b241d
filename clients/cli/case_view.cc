#include "clients/cli/case_view.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/cli/catalogue_codes.h"
#include "clients/cli/dates.h"
#include "clients/cli/messages.h"
#include "clients/cli/table.h"
#include "clients/cli/terminal_text.h"
#include "resguardo/v1/catalogues.pb.h"

namespace resguardo::cli {
namespace {

namespace v1 = resguardo::v1;

// Notes in a table cell are cut: the whole text is in `--json`.
constexpr size_t kNoteColumns = 60;

std::string YesNo(bool b, Lang lang) {
  return b ? Text(lang, MsgId::kYes) : "";
}

}  // namespace

std::string CodesAndLabels(const google::protobuf::EnumDescriptor* e,
                           const google::protobuf::RepeatedField<int>& values,
                           Lang lang) {
  std::vector<std::string> out;
  for (int v : values) {
    out.push_back(absl::StrCat(CodeOf(e, v), " (", LabelOf(e, v, lang), ")"));
  }
  return absl::StrJoin(out, "; ");
}

std::string JoinLabels(const google::protobuf::EnumDescriptor* e,
                       const google::protobuf::RepeatedField<int>& values,
                       Lang lang) {
  std::vector<std::string> labels;
  for (int v : values) labels.push_back(LabelOf(e, v, lang));
  return absl::StrJoin(labels, "; ");
}

std::string RenderCase(const v1::Case& c, Lang lang, absl::TimeZone zone) {
  const v1::CaseDescriptors& d = c.descriptors();
  auto t = [lang](MsgId id) { return std::string(Text(lang, id)); };
  std::vector<std::pair<std::string, std::string>> fields = {
      {t(MsgId::kFieldFolio), c.folio()},
      {t(MsgId::kFieldName), c.name()},
      {t(MsgId::kFieldEtag), c.etag()},
      {t(MsgId::kFieldKind),
       LabelOf(v1::CaseKind_descriptor(), d.kind(), lang)},
      {t(MsgId::kFieldStatus),
       LabelOf(v1::CaseStatus_descriptor(), d.status(), lang)},
      {t(MsgId::kFieldAllowedNext),
       CodesAndLabels(v1::CaseStatus_descriptor(), c.allowed_next_statuses(),
                      lang)},
      {t(MsgId::kFieldClosureReason),
       LabelOf(v1::ClosureReason_descriptor(), c.closure_reason(), lang)},
      {t(MsgId::kFieldRisk),
       LabelOf(v1::RiskLevel_descriptor(), d.risk_level(), lang)},
      {t(MsgId::kFieldState), d.state_code()},
      {t(MsgId::kFieldMunicipality), d.municipality_code()},
      {t(MsgId::kFieldReported), FormatDate(d.reported_date())},
      {t(MsgId::kFieldIncidentMonth), FormatDate(d.incident_month())},
      {t(MsgId::kFieldThirdParty), YesNo(d.filed_by_third_party(), lang)},
      {t(MsgId::kFieldViolenceTypes),
       JoinLabels(v1::ViolenceType_descriptor(), d.violence_types(), lang)},
      {t(MsgId::kFieldModalities),
       JoinLabels(v1::Modality_descriptor(), d.modalities(), lang)},
      {t(MsgId::kFieldConducts),
       JoinLabels(v1::Conduct_descriptor(), d.conducts(), lang)},
      {t(MsgId::kFieldGbvIncidents),
       JoinLabels(v1::GbvIncidentType_descriptor(), d.gbv_incident_types(),
                  lang)},
      {t(MsgId::kFieldAgeBand),
       LabelOf(v1::AgeBand_descriptor(), d.victim_age_band(), lang)},
      {t(MsgId::kFieldPosition),
       LabelOf(v1::VictimPosition_descriptor(), d.victim_position(), lang)},
      {t(MsgId::kFieldTerritorialLevel),
       LabelOf(v1::TerritorialLevel_descriptor(), d.territorial_level(), lang)},
      {t(MsgId::kFieldNormativeSystem),
       LabelOf(v1::NormativeSystem_descriptor(), d.normative_system(), lang)},
      {t(MsgId::kFieldElectoralStage),
       LabelOf(v1::ElectoralStage_descriptor(), d.electoral_stage(), lang)},
      {t(MsgId::kFieldSelfId), JoinLabels(v1::SelfIdentification_descriptor(),
                                          d.self_identification(), lang)},
      {t(MsgId::kFieldAggressorRelation),
       LabelOf(v1::AggressorRelation_descriptor(), d.aggressor_relation(),
               lang)},
      {t(MsgId::kFieldAggressorCategories),
       JoinLabels(v1::AggressorCategory_descriptor(), d.aggressor_categories(),
                  lang)},
      {t(MsgId::kFieldAggressorCount),
       LabelOf(v1::AggressorCount_descriptor(), d.aggressor_count(), lang)},
      {t(MsgId::kFieldCreated), FormatTimestamp(c.create_time(), zone)},
      {t(MsgId::kFieldUpdated), FormatTimestamp(c.update_time(), zone)},
      {t(MsgId::kFieldErased), YesNo(c.personal_data_erased(), lang)},
  };
  if (c.has_personal_data()) {
    const v1::CasePersonalData& p = c.personal_data();
    const std::vector<std::pair<std::string, std::string>> personal = {
        {t(MsgId::kFieldVictimName), p.victim_name()},
        {t(MsgId::kFieldCurp), p.victim_curp()},
        {t(MsgId::kFieldBirthDate), FormatDate(p.victim_birth_date())},
        {t(MsgId::kFieldPhone), p.contact_phone()},
        {t(MsgId::kFieldEmail), p.contact_email()},
        {t(MsgId::kFieldAddress), p.address()},
        {t(MsgId::kFieldAggressorNames),
         absl::StrJoin(p.aggressor_names(), "; ")},
        {t(MsgId::kFieldParty), p.political_party()},
        {t(MsgId::kFieldNarrative), p.narrative()},
        {t(MsgId::kFieldEvidenceNotes), p.evidence_notes()},
    };
    fields.insert(fields.end(), personal.begin(), personal.end());
  }
  std::string out = RenderRecord(fields);
  if (c.protection_measures_size() > 0) {
    absl::StrAppend(&out, "\n", Text(lang, MsgId::kHeadingMeasures), "\n",
                    RenderMeasures(c.protection_measures(), lang));
  }
  return out;
}

std::string RenderCaseList(
    const google::protobuf::RepeatedPtrField<v1::Case>& cases, Lang lang,
    absl::TimeZone zone) {
  if (cases.empty()) return absl::StrCat(Text(lang, MsgId::kNoResults), "\n");
  Table table({Text(lang, MsgId::kFieldFolio), Text(lang, MsgId::kFieldKind),
               Text(lang, MsgId::kFieldStatus), Text(lang, MsgId::kFieldRisk),
               Text(lang, MsgId::kFieldState),
               Text(lang, MsgId::kFieldReported),
               Text(lang, MsgId::kFieldUpdated)});
  for (const v1::Case& c : cases) {
    const v1::CaseDescriptors& d = c.descriptors();
    // Codes, not labels, for kind: the labels are sentences.
    table.AddRow({c.folio(), CodeOf(v1::CaseKind_descriptor(), d.kind()),
                  LabelOf(v1::CaseStatus_descriptor(), d.status(), lang),
                  LabelOf(v1::RiskLevel_descriptor(), d.risk_level(), lang),
                  d.state_code(), FormatDate(d.reported_date()),
                  FormatTimestamp(c.update_time(), zone)});
  }
  return table.Render();
}

std::string RenderFollowUps(
    const google::protobuf::RepeatedPtrField<v1::FollowUp>& list, Lang lang,
    absl::TimeZone zone) {
  if (list.empty()) return absl::StrCat(Text(lang, MsgId::kNoResults), "\n");
  Table table(
      {Text(lang, MsgId::kFieldFollowUp), Text(lang, MsgId::kFieldKind),
       Text(lang, MsgId::kFieldOccurred), Text(lang, MsgId::kFieldNextDue),
       Text(lang, MsgId::kFieldAuthor), Text(lang, MsgId::kFieldNotes)});
  for (const v1::FollowUp& f : list) {
    const std::string& name = f.name();
    table.AddRow({name.substr(name.rfind('/') + 1),
                  LabelOf(v1::FollowUpKind_descriptor(), f.kind(), lang),
                  FormatTimestamp(f.occur_time(), zone),
                  FormatDate(f.next_due_date()),
                  f.author().substr(f.author().rfind('/') + 1),
                  Truncate(TerminalSafe(f.notes()), kNoteColumns)});
  }
  return table.Render();
}

std::string RenderFollowUp(const v1::FollowUp& f, Lang lang,
                           absl::TimeZone zone) {
  return RenderRecord({
      {Text(lang, MsgId::kFieldName), f.name()},
      {Text(lang, MsgId::kFieldKind),
       LabelOf(v1::FollowUpKind_descriptor(), f.kind(), lang)},
      {Text(lang, MsgId::kFieldOccurred),
       FormatTimestamp(f.occur_time(), zone)},
      {Text(lang, MsgId::kFieldNextDue), FormatDate(f.next_due_date())},
      {Text(lang, MsgId::kFieldAuthor), f.author()},
      {Text(lang, MsgId::kFieldNotes), f.notes()},
  });
}

std::string RenderMeasures(
    const google::protobuf::RepeatedPtrField<v1::ProtectionMeasure>& list,
    Lang lang) {
  if (list.empty()) return absl::StrCat(Text(lang, MsgId::kNoResults), "\n");
  Table table(
      {Text(lang, MsgId::kFieldMeasureNumber),
       Text(lang, MsgId::kFieldMeasureType), Text(lang, MsgId::kFieldStatus),
       Text(lang, MsgId::kFieldAuthority), Text(lang, MsgId::kFieldIssued),
       Text(lang, MsgId::kFieldExpires), Text(lang, MsgId::kFieldAllowedNext)});
  const google::protobuf::EnumDescriptor* status =
      v1::ProtectionMeasureStatus_descriptor();
  for (const v1::ProtectionMeasure& m : list) {
    std::vector<std::string> next;
    for (int s : m.allowed_next_statuses()) next.push_back(CodeOf(status, s));
    table.AddRow(
        {m.name().substr(m.name().rfind('/') + 1),
         LabelOf(v1::ProtectionMeasureType_descriptor(), m.type(), lang),
         LabelOf(status, m.status(), lang), m.issuing_authority(),
         FormatDate(m.issue_date()), FormatDate(m.expiry_date()),
         absl::StrJoin(next, ", ")});
  }
  return table.Render();
}

}  // namespace resguardo::cli
