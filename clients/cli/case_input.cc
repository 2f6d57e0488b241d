#include "clients/cli/case_input.h"

#include <algorithm>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "base/digits.h"
#include "base/status_macros.h"
#include "clients/cli/connection.h"
#include "clients/cli/flag_values.h"
#include "clients/cli/input_files.h"
#include "clients/cli/messages.h"
#include "clients/cli/resource_names.h"

namespace resguardo::cli {
namespace {

using google::protobuf::FieldDescriptor;
using resguardo::v1::Case;
using resguardo::v1::CaseDescriptors;
using resguardo::v1::CasePersonalData;

// A descriptor flag whose value is a catalogue code.
struct CodeField {
  const char* flag;
  const char* field;  // in CaseDescriptors
  MsgId help;
  bool update_only;  // status changes along the route, never on create
};

constexpr CodeField kCodeFields[] = {
    {"kind", "kind", MsgId::kFlagCaseKind, false},
    {"status", "status", MsgId::kFlagCaseStatus, true},
    {"violence-type", "violence_types", MsgId::kFlagViolenceType, false},
    {"modality", "modalities", MsgId::kFlagModality, false},
    {"conduct", "conducts", MsgId::kFlagConduct, false},
    {"gbv-incident", "gbv_incident_types", MsgId::kFlagGbvIncident, false},
    {"age-band", "victim_age_band", MsgId::kFlagAgeBand, false},
    {"position", "victim_position", MsgId::kFlagPosition, false},
    {"territorial-level", "territorial_level", MsgId::kFlagTerritorialLevel,
     false},
    {"normative-system", "normative_system", MsgId::kFlagNormativeSystem,
     false},
    {"electoral-stage", "electoral_stage", MsgId::kFlagElectoralStage, false},
    {"self-id", "self_identification", MsgId::kFlagSelfId, false},
    {"aggressor-relation", "aggressor_relation", MsgId::kFlagAggressorRelation,
     false},
    {"aggressor-category", "aggressor_categories",
     MsgId::kFlagAggressorCategory, false},
    {"aggressor-count", "aggressor_count", MsgId::kFlagAggressorCount, false},
    {"risk", "risk_level", MsgId::kFlagRisk, false},
};

const FieldDescriptor* DescriptorField(const char* name) {
  return CaseDescriptors::descriptor()->FindFieldByName(name);
}

std::vector<FlagSpec> DescriptorFlagSpecs(bool for_update) {
  std::vector<FlagSpec> specs;
  for (const CodeField& f : kCodeFields) {
    if (f.update_only && !for_update) continue;
    const FieldDescriptor* field = DescriptorField(f.field);
    specs.push_back(
        CodeFlag(f.flag, field->enum_type(), f.help, field->is_repeated()));
  }
  specs.push_back({"state", FlagValue::kText, false, MsgId::kFlagState});
  specs.push_back(
      {"municipality", FlagValue::kText, false, MsgId::kFlagMunicipality});
  specs.push_back({"reported", FlagValue::kDate, false, MsgId::kFlagReported});
  specs.push_back(
      {"incident-month", FlagValue::kMonth, false, MsgId::kFlagIncidentMonth});
  specs.push_back(
      {"third-party", FlagValue::kNone, false, MsgId::kFlagThirdParty});
  return specs;
}

void AddPersonalDataSpecs(std::vector<FlagSpec>* specs) {
  specs->push_back({"victim-name-file", FlagValue::kFile, false,
                    MsgId::kFlagVictimNameFile});
  specs->push_back(
      {"victim-name", FlagValue::kText, false, MsgId::kFlagVictimName});
  specs->push_back(
      {"narrative-file", FlagValue::kFile, false, MsgId::kFlagNarrativeFile});
  specs->push_back({"evidence-notes-file", FlagValue::kFile, false,
                    MsgId::kFlagEvidenceNotesFile});
  specs->push_back({"personal-data-file", FlagValue::kFile, false,
                    MsgId::kFlagPersonalDataFile});
}

// Field mask paths of every field set in `data`.
void AppendSetFields(const google::protobuf::Message& data,
                     absl::string_view prefix,
                     std::vector<std::string>* paths) {
  std::vector<const FieldDescriptor*> fields;
  data.GetReflection()->ListFields(data, &fields);
  for (const FieldDescriptor* f : fields) {
    paths->push_back(absl::StrCat(prefix, f->name()));
  }
}

absl::Status MissingFlags(Lang lang, const std::vector<std::string>& missing) {
  return absl::InvalidArgumentError(
      Msg(lang, MsgId::kErrMissingFlags, absl::StrJoin(missing, ", ")));
}

}  // namespace

const std::vector<FlagSpec>& CreateCaseFlags() {
  static const auto* specs = [] {
    auto* s = new std::vector<FlagSpec>{
        {"from-file", FlagValue::kFile, false, MsgId::kFlagFromFileCase}};
    for (FlagSpec& f : DescriptorFlagSpecs(false)) s->push_back(f);
    AddPersonalDataSpecs(s);
    s->push_back(
        {"request-id", FlagValue::kText, false, MsgId::kFlagRequestId});
    return s;
  }();
  return *specs;
}

const std::vector<FlagSpec>& UpdateCaseFlags() {
  static const auto* specs = [] {
    auto* s = new std::vector<FlagSpec>{
        {"etag", FlagValue::kText, false, MsgId::kFlagEtag},
        {"from-file", FlagValue::kFile, false, MsgId::kFlagFromFileUpdate},
        {"mask", FlagValue::kText, true, MsgId::kFlagMask}};
    for (FlagSpec& f : DescriptorFlagSpecs(true)) {
      if (f.name != "third-party") s->push_back(f);
    }
    AddPersonalDataSpecs(s);
    return s;
  }();
  return *specs;
}

absl::Status ApplyDescriptorFlags(const ParsedFlags& flags, Lang lang,
                                  CaseDescriptors* d,
                                  std::vector<std::string>* paths) {
  const google::protobuf::Reflection* r = d->GetReflection();
  for (const CodeField& f : kCodeFields) {
    if (!flags.Has(f.flag)) continue;
    const FieldDescriptor* field = DescriptorField(f.field);
    if (field->is_repeated()) {
      ASSIGN_OR_RETURN(std::vector<int> values,
                       GetCodes(flags, f.flag, field->enum_type(), lang));
      r->ClearField(d, field);
      for (int v : values) r->AddEnumValue(d, field, v);
    } else {
      ASSIGN_OR_RETURN(std::optional<int> value,
                       GetCode(flags, f.flag, field->enum_type(), lang));
      r->SetEnumValue(d, field, *value);
    }
    paths->push_back(absl::StrCat("descriptors.", f.field));
  }
  ASSIGN_OR_RETURN(std::optional<std::string> state,
                   GetStateCode(flags, "state", lang));
  if (state.has_value()) {
    d->set_state_code(*state);
    paths->push_back("descriptors.state_code");
  }
  if (std::optional<std::string> m = flags.Get("municipality")) {
    d->set_municipality_code(*m);
    paths->push_back("descriptors.municipality_code");
  }
  ASSIGN_OR_RETURN(std::optional<google::type::Date> reported,
                   GetDate(flags, "reported", lang));
  if (reported.has_value()) {
    *d->mutable_reported_date() = *reported;
    paths->push_back("descriptors.reported_date");
  }
  ASSIGN_OR_RETURN(std::optional<google::type::Date> month,
                   GetMonth(flags, "incident-month", lang));
  if (month.has_value()) {
    *d->mutable_incident_month() = *month;
    paths->push_back("descriptors.incident_month");
  }
  if (flags.Has("third-party")) {
    d->set_filed_by_third_party(true);
    paths->push_back("descriptors.filed_by_third_party");
  }
  return absl::OkStatus();
}

absl::Status ApplyPersonalDataFlags(const ParsedFlags& flags, std::istream& in,
                                    Lang lang, CasePersonalData* data,
                                    std::vector<std::string>* paths) {
  if (std::optional<std::string> file = flags.Get("personal-data-file")) {
    CasePersonalData from_file;
    RETURN_IF_ERROR(ReadMessageFile(*file, in, lang, &from_file));
    AppendSetFields(from_file, "personal_data.", paths);
    data->MergeFrom(from_file);
  }
  // A CURP is upper case (RENAPO); one typed in lower case is the same CURP.
  if (!data->victim_curp().empty()) {
    data->set_victim_curp(absl::AsciiStrToUpper(data->victim_curp()));
  }
  struct TextFile {
    const char* flag;
    void (CasePersonalData::*set)(const std::string&);
    const char* path;
  };
  static constexpr TextFile kTextFiles[] = {
      {"victim-name-file", &CasePersonalData::set_victim_name,
       "personal_data.victim_name"},
      {"narrative-file", &CasePersonalData::set_narrative,
       "personal_data.narrative"},
      {"evidence-notes-file", &CasePersonalData::set_evidence_notes,
       "personal_data.evidence_notes"},
  };
  for (const TextFile& t : kTextFiles) {
    std::optional<std::string> file = flags.Get(t.flag);
    if (!file.has_value()) continue;
    ASSIGN_OR_RETURN(std::string text, ReadTextFile(*file, in, lang));
    (data->*t.set)(text);
    paths->push_back(t.path);
  }
  if (std::optional<std::string> name = flags.Get("victim-name")) {
    if (flags.Has("victim-name-file")) {
      return absl::InvalidArgumentError(Msg(lang, MsgId::kErrFlagsExclusive,
                                            "--victim-name",
                                            "--victim-name-file"));
    }
    data->set_victim_name(*name);
    paths->push_back("personal_data.victim_name");
  }
  // Several file flags may reach stdin ("-") only once.
  int from_stdin = 0;
  for (const char* f : {"personal-data-file", "victim-name-file",
                        "narrative-file", "evidence-notes-file"}) {
    if (flags.Get(f) == std::optional<std::string>("-")) ++from_stdin;
  }
  if (from_stdin > 1) {
    return absl::InvalidArgumentError(Text(lang, MsgId::kErrStdinTwice));
  }
  return absl::OkStatus();
}

// The optional fields a prompt offers once the required ones are answered:
// only those still empty, and the conducts or incident types of the case's
// kind. Enter skips each.
absl::Status AskOptionalFields(Prompter& prompter, Lang lang, Case* c) {
  ASSIGN_OR_RETURN(bool more,
                   prompter.AskYesNo(Text(lang, MsgId::kPromptMoreFields)));
  if (!more) return absl::OkStatus();
  CaseDescriptors* d = c->mutable_descriptors();
  while (d->municipality_code().empty()) {
    ASSIGN_OR_RETURN(std::string code, prompter.AskOptionalText(Text(
                                           lang, MsgId::kPromptMunicipality)));
    if (code.empty()) break;
    if (code.size() == 3 && IsAllDigits(code)) {
      d->set_municipality_code(code);
    } else {
      prompter.Say(Text(lang, MsgId::kHintMunicipality));
    }
  }
  auto ask_many = [&](MsgId question, const google::protobuf::EnumDescriptor* e,
                      auto add) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<int> values,
                     prompter.AskChoices(Text(lang, question), e));
    for (int v : values) add(v);
    return absl::OkStatus();
  };
  if (d->violence_types_size() == 0) {
    RETURN_IF_ERROR(ask_many(
        MsgId::kPromptViolenceTypes, resguardo::v1::ViolenceType_descriptor(),
        [d](int v) {
          d->add_violence_types(static_cast<resguardo::v1::ViolenceType>(v));
        }));
  }
  if (d->kind() == resguardo::v1::CASE_KIND_POLITICAL_VIOLENCE &&
      d->conducts_size() == 0) {
    RETURN_IF_ERROR(ask_many(MsgId::kPromptConducts,
                             resguardo::v1::Conduct_descriptor(), [d](int v) {
                               d->add_conducts(
                                   static_cast<resguardo::v1::Conduct>(v));
                             }));
  }
  if (d->kind() == resguardo::v1::CASE_KIND_GBV &&
      d->gbv_incident_types_size() == 0) {
    RETURN_IF_ERROR(
        ask_many(MsgId::kPromptGbvTypes,
                 resguardo::v1::GbvIncidentType_descriptor(), [d](int v) {
                   d->add_gbv_incident_types(
                       static_cast<resguardo::v1::GbvIncidentType>(v));
                 }));
  }
  if (c->personal_data().narrative().empty()) {
    ASSIGN_OR_RETURN(
        std::string narrative,
        prompter.AskOptionalText(Text(lang, MsgId::kPromptNarrative)));
    if (!narrative.empty())
      c->mutable_personal_data()->set_narrative(narrative);
  }
  return absl::OkStatus();
}

absl::StatusOr<resguardo::v1::CreateCaseRequest> BuildCreateCaseRequest(
    Invocation& inv) {
  const Lang lang = inv.lang();
  const ParsedFlags& flags = inv.flags();
  resguardo::v1::CreateCaseRequest request;
  // Checked first so that nobody types a case only to learn it has nowhere
  // to go.
  ASSIGN_OR_RETURN(std::string institution, inv.Institution());
  request.set_parent(InstitutionName(institution));
  Case* c = request.mutable_case_record();
  if (std::optional<std::string> file = flags.Get("from-file")) {
    RETURN_IF_ERROR(ReadMessageFile(*file, inv.in(), lang, c));
  }
  std::vector<std::string> ignored;
  RETURN_IF_ERROR(
      ApplyDescriptorFlags(flags, lang, c->mutable_descriptors(), &ignored));
  RETURN_IF_ERROR(ApplyPersonalDataFlags(flags, inv.in(), lang,
                                         c->mutable_personal_data(), &ignored));
  if (flags.Has("victim-name")) {
    inv.Note(Text(lang, MsgId::kWarnNameOnCommandLine));
  }

  CaseDescriptors* d = c->mutable_descriptors();
  // The node refuses a complaint received in the future: say so before
  // anything else is asked.
  if (d->reported_date().year() != 0 &&
      absl::CivilDay(d->reported_date().year(), d->reported_date().month(),
                     d->reported_date().day()) >
          absl::ToCivilDay(absl::Now(), inv.zone())) {
    return absl::InvalidArgumentError(Text(lang, MsgId::kErrReportedInFuture));
  }
  const bool missing_kind = d->kind() == 0;
  const bool missing_state = d->state_code().empty();
  const bool missing_reported = d->reported_date().year() == 0;
  const bool missing_risk = d->risk_level() == 0;
  const bool missing_name = c->personal_data().victim_name().empty();
  Prompter* prompter = inv.prompter();
  // A prompt would read from the same stdin as "-": don't mix them.
  const bool stdin_used = [&] {
    for (const char* f : {"from-file", "personal-data-file", "victim-name-file",
                          "narrative-file", "evidence-notes-file"}) {
      if (flags.Get(f) == std::optional<std::string>("-")) return true;
    }
    return false;
  }();
  if (prompter == nullptr || stdin_used) {
    std::vector<std::string> missing;
    if (missing_kind) missing.push_back("--kind");
    if (missing_state) missing.push_back("--state");
    if (missing_reported) missing.push_back("--reported");
    if (missing_risk) missing.push_back("--risk");
    if (missing_name) missing.push_back("--victim-name-file");
    if (!missing.empty()) return MissingFlags(lang, missing);
  } else {
    if (missing_kind) {
      ASSIGN_OR_RETURN(
          int kind, prompter->AskChoice(Text(lang, MsgId::kPromptKind),
                                        resguardo::v1::CaseKind_descriptor()));
      d->set_kind(static_cast<resguardo::v1::CaseKind>(kind));
    }
    while (missing_state && d->state_code().empty()) {
      ASSIGN_OR_RETURN(std::string text,
                       prompter->AskText(Text(lang, MsgId::kPromptState)));
      if (absl::StatusOr<std::string> code = NormaliseStateCode(text);
          code.ok()) {
        d->set_state_code(*code);
      } else {
        inv.Note(Text(lang, MsgId::kHintState));
      }
    }
    if (missing_reported) {
      ASSIGN_OR_RETURN(
          *d->mutable_reported_date(),
          prompter->AskDate(Text(lang, MsgId::kPromptReported),
                            absl::ToCivilDay(absl::Now(), inv.zone())));
    }
    if (missing_risk) {
      ASSIGN_OR_RETURN(
          int risk, prompter->AskChoice(Text(lang, MsgId::kPromptRisk),
                                        resguardo::v1::RiskLevel_descriptor()));
      d->set_risk_level(static_cast<resguardo::v1::RiskLevel>(risk));
    }
    if (missing_name) {
      ASSIGN_OR_RETURN(std::string name,
                       prompter->AskText(Text(lang, MsgId::kPromptVictimName)));
      c->mutable_personal_data()->set_victim_name(name);
    }
    // Someone answering questions may have more to say than what is
    // required: offer it now rather than after the case is sent.
    if (missing_kind || missing_state || missing_reported || missing_risk ||
        missing_name) {
      RETURN_IF_ERROR(AskOptionalFields(*prompter, lang, c));
    }
  }

  request.set_request_id(flags.Get("request-id").value_or(NewRequestId()));
  return request;
}

absl::StatusOr<resguardo::v1::UpdateCaseRequest> BuildUpdateCaseRequest(
    Invocation& inv, const std::string& name) {
  const Lang lang = inv.lang();
  const ParsedFlags& flags = inv.flags();
  resguardo::v1::UpdateCaseRequest request;
  Case* c = request.mutable_case_record();
  std::vector<std::string> paths;
  if (std::optional<std::string> file = flags.Get("from-file")) {
    RETURN_IF_ERROR(ReadMessageFile(*file, inv.in(), lang, c));
    if (!flags.Has("mask")) {
      return MissingFlags(lang, {"--mask"});
    }
  }
  for (const std::string& mask : flags.GetAll("mask")) {
    for (absl::string_view p : absl::StrSplit(mask, ',', absl::SkipEmpty())) {
      paths.emplace_back(p);
    }
  }
  RETURN_IF_ERROR(
      ApplyDescriptorFlags(flags, lang, c->mutable_descriptors(), &paths));
  RETURN_IF_ERROR(ApplyPersonalDataFlags(flags, inv.in(), lang,
                                         c->mutable_personal_data(), &paths));
  if (flags.Has("victim-name")) {
    inv.Note(Text(lang, MsgId::kWarnNameOnCommandLine));
  }
  if (paths.empty()) {
    return absl::InvalidArgumentError(Text(lang, MsgId::kErrNothingToUpdate));
  }
  std::optional<std::string> etag = flags.Get("etag");
  if (!etag.has_value()) return MissingFlags(lang, {"--etag"});
  c->set_name(name);
  c->set_etag(*etag);
  // A path named twice (--mask and a flag) is an error for the node.
  std::vector<std::string> seen;
  for (const std::string& p : paths) {
    if (std::find(seen.begin(), seen.end(), p) != seen.end()) continue;
    seen.push_back(p);
    request.mutable_update_mask()->add_paths(p);
  }
  return request;
}

}  // namespace resguardo::cli
