#include "clients/cli/resolution_commands.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "clients/cli/command_registry.h"
#include "clients/cli/connection.h"
#include "clients/cli/exit_codes.h"
#include "clients/cli/flag_values.h"
#include "clients/cli/input_files.h"
#include "clients/cli/messages.h"
#include "clients/cli/read_view.h"
#include "clients/cli/resolution_view.h"
#include "clients/cli/resource_names.h"
#include "resguardo/v1/case_service.grpc.pb.h"
#include "resguardo/v1/catalogues.pb.h"

namespace resguardo::cli {
namespace {

namespace v1 = resguardo::v1;
using Stub = v1::CaseService::Stub;

// The case named by the first argument and the numbers that follow it
// (resolution, then appeal or measure), as a resource name:
// {case}/resolutions/N[/{child}/M]. nullopt (usage error reported) if not.
std::optional<std::string> RecordArg(Invocation& inv, const char* child,
                                     int* exit_code) {
  absl::StatusOr<std::string> name = CaseNameFromArg(inv.args()[0]);
  if (!name.ok()) {
    *exit_code = inv.UsageError(Text(inv.lang(), MsgId::kErrNotAFolio));
    return std::nullopt;
  }
  std::vector<int64_t> numbers;
  for (size_t i = 1; i < inv.args().size(); ++i) {
    const std::string& n = inv.args()[i];
    int64_t number = 0;
    if (n.empty() || n.size() > 9 || n[0] == '0' ||
        n.find_first_not_of("0123456789") != std::string::npos ||
        !absl::SimpleAtoi(n, &number)) {
      // The error names only the numbers this command takes.
      const MsgId error = absl::string_view(child) == "appeals"
                              ? MsgId::kErrNotANumberAppeal
                          : absl::string_view(child) == "reparationMeasures"
                              ? MsgId::kErrNotANumberMeasure
                              : MsgId::kErrNotANumber;
      *exit_code = inv.UsageError(Text(inv.lang(), error));
      return std::nullopt;
    }
    numbers.push_back(number);
  }
  std::string out = *name;
  if (!numbers.empty()) absl::StrAppend(&out, "/resolutions/", numbers[0]);
  if (numbers.size() > 1) absl::StrAppend(&out, "/", child, "/", numbers[1]);
  return out;
}

// Missing flags are collected and reported together.
class Required {
 public:
  explicit Required(Invocation& inv) : inv_(inv) {}
  std::optional<std::string> Text(const char* flag) {
    std::optional<std::string> v = inv_.flags().Get(flag);
    if (!v || v->empty()) {
      missing_.push_back(absl::StrCat("--", flag));
      return std::nullopt;
    }
    return v;
  }
  // A date flag: nullopt if missing (recorded) or invalid (*error set).
  std::optional<google::type::Date> Date(const char* flag,
                                         absl::Status* error) {
    absl::StatusOr<std::optional<google::type::Date>> d =
        GetDate(inv_.flags(), flag, inv_.lang());
    if (!d.ok()) {
      *error = d.status();
      return std::nullopt;
    }
    if (!d->has_value()) missing_.push_back(absl::StrCat("--", flag));
    return *d;
  }
  std::optional<int> Code(const char* flag,
                          const google::protobuf::EnumDescriptor* e,
                          absl::Status* error) {
    absl::StatusOr<std::optional<int>> c =
        GetCode(inv_.flags(), flag, e, inv_.lang());
    if (!c.ok()) {
      *error = c.status();
      return std::nullopt;
    }
    if (!c->has_value()) missing_.push_back(absl::StrCat("--", flag));
    return *c;
  }
  // kExitOk, or the usage error of the missing flags.
  int Check() {
    if (missing_.empty()) return kExitOk;
    return inv_.UsageError(Msg(inv_.lang(), MsgId::kErrMissingFlags,
                               absl::StrJoin(missing_, ", ")));
  }

 private:
  Invocation& inv_;
  std::vector<std::string> missing_;
};

// The largest fine the node accepts, in whole pesos (its rule:
// services/cases/resolution_validator.cc, CheckFine).
constexpr int64_t kMaxFinePesos = 1000000000000;

// "10374" or "10374.5" or "10374.50" as MXN. A usage message otherwise:
// too large (naming the maximum) or not a positive amount.
absl::StatusOr<google::type::Money> ParsePesos(absl::string_view text,
                                               Lang lang) {
  const absl::Status malformed =
      absl::InvalidArgumentError(Text(lang, MsgId::kErrFineAmount));
  std::vector<absl::string_view> parts = absl::StrSplit(text, '.');
  int64_t units = 0;
  int64_t cents = 0;
  if (parts.empty() || parts.size() > 2 || parts[0].empty() ||
      parts[0].find_first_not_of("0123456789") != absl::string_view::npos) {
    return malformed;
  }
  if (parts.size() == 2) {
    absl::string_view c = parts[1];
    if (c.empty() || c.size() > 2 ||
        c.find_first_not_of("0123456789") != absl::string_view::npos ||
        !absl::SimpleAtoi(c, &cents)) {
      return malformed;
    }
    if (c.size() == 1) cents *= 10;
  }
  // All digits: a number SimpleAtoi cannot hold is too large too.
  if (!absl::SimpleAtoi(parts[0], &units) || units > kMaxFinePesos) {
    return absl::InvalidArgumentError(
        Msg(lang, MsgId::kErrFineTooLarge, kMaxFinePesos));
  }
  if (units == 0 && cents == 0) return malformed;
  google::type::Money m;
  m.set_currency_code("MXN");
  m.set_units(units);
  m.set_nanos(static_cast<int32_t>(cents * 10000000));
  return m;
}

// One sanctioned person from her flags (--qualification, --sanction,
// --fine, --term-*, --repeat-offence) added to `r`, when any is given;
// *given says whether one was. kExitOk, or the usage error.
int AddSanctionedPerson(Invocation& inv, v1::Resolution* r,
                        bool* given = nullptr) {
  const Lang lang = inv.lang();
  absl::StatusOr<std::optional<int>> qualification = GetCode(
      inv.flags(), "qualification", v1::FaultQualification_descriptor(), lang);
  if (!qualification.ok()) return inv.LocalError(qualification.status());
  absl::StatusOr<std::vector<int>> sanctions =
      GetCodes(inv.flags(), "sanction", v1::SanctionType_descriptor(), lang);
  if (!sanctions.ok()) return inv.LocalError(sanctions.status());
  std::optional<int> term[3];
  const char* term_flags[3] = {"term-years", "term-months", "term-days"};
  const int term_max[3] = {30, 120, 1000};
  bool has_term = false;
  for (int i = 0; i < 3; ++i) {
    absl::StatusOr<std::optional<int>> v =
        GetInt(inv.flags(), term_flags[i], 0, term_max[i], lang);
    if (!v.ok()) return inv.LocalError(v.status());
    term[i] = *v;
    has_term |= v->has_value();
  }
  std::optional<std::string> fine = inv.flags().Get("fine");
  // A fine without --sanction FINE would be silently dropped.
  if (fine && std::find(sanctions->begin(), sanctions->end(),
                        v1::SANCTION_TYPE_FINE) == sanctions->end()) {
    return inv.UsageError(Text(lang, MsgId::kErrFineWithoutSanction));
  }
  const bool any = qualification->has_value() || !sanctions->empty() ||
                   has_term || fine || inv.flags().Has("repeat-offence");
  if (given != nullptr) *given = any;
  if (any) {
    v1::SanctionedPerson* p = r->add_sanctioned_persons();
    if (qualification->has_value()) {
      p->set_qualification(
          static_cast<v1::FaultQualification>(**qualification));
    }
    p->set_repeat_offence(inv.flags().Has("repeat-offence"));
    for (int s : *sanctions) {
      v1::Sanction* sanction = p->add_sanctions();
      sanction->set_type(static_cast<v1::SanctionType>(s));
      if (s == v1::SANCTION_TYPE_FINE && fine) {
        absl::StatusOr<google::type::Money> amount = ParsePesos(*fine, lang);
        if (!amount.ok()) return inv.UsageError(amount.status().message());
        *sanction->mutable_fine_amount() = *amount;
      }
    }
    if (has_term) {
      p->mutable_registry_term()->set_years(term[0].value_or(0));
      p->mutable_registry_term()->set_months(term[1].value_or(0));
      p->mutable_registry_term()->set_days(term[2].value_or(0));
    }
  }
  return kExitOk;
}

int PrintResolutions(Invocation& inv, const v1::Case& c, MsgId heading) {
  return inv.PrintHeaded(c, heading, c.folio(), [&] {
    return RenderResolutions(c.resolutions(), inv.lang());
  });
}

int RunAdd(Invocation& inv) {
  const Lang lang = inv.lang();
  int rc = kExitOk;
  std::optional<std::string> name = RecordArg(inv, "", &rc);
  if (!name) return rc;
  v1::AddResolutionRequest request;
  request.set_parent(*name);
  request.set_request_id(
      inv.flags().Get("request-id").value_or(NewRequestId()));
  v1::Resolution* r = request.mutable_resolution();
  Required required(inv);
  absl::Status error;
  if (auto a = required.Text("authority")) r->set_resolving_authority(*a);
  if (auto f = required.Text("file-number")) r->set_file_number(*f);
  if (auto d = required.Date("date", &error))
    *r->mutable_resolution_date() = *d;
  if (!error.ok()) return inv.LocalError(error);
  if (auto o = required.Code("outcome", v1::ResolutionOutcome_descriptor(),
                             &error)) {
    r->set_outcome(static_cast<v1::ResolutionOutcome>(*o));
  }
  if (!error.ok()) return inv.LocalError(error);
  if ((rc = required.Check()) != kExitOk) return rc;

  if ((rc = AddSanctionedPerson(inv, r)) != kExitOk) return rc;
  if (std::optional<std::string> file = inv.flags().Get("notes-file")) {
    absl::StatusOr<std::string> notes = ReadTextFile(*file, inv.in(), lang);
    if (!notes.ok()) return inv.LocalError(notes.status());
    r->set_notes(*std::move(notes));
  }
  v1::Resolution response;
  rc = inv.CallOnce(&Stub::AddResolution, request, &response);
  if (rc != kExitOk) return rc;
  return inv.Print(response, [&] {
    google::protobuf::RepeatedPtrField<v1::Resolution> one;
    *one.Add() = response;
    return absl::StrCat(Text(lang, MsgId::kDoneResolutionAdded), "\n\n",
                        RenderResolutions(one, lang));
  });
}

int RunShow(Invocation& inv) {
  int rc = kExitOk;
  std::optional<std::string> name = RecordArg(inv, "", &rc);
  if (!name) return rc;
  v1::GetCaseRequest request;
  request.set_name(*name);
  if (!SetReadView(inv, v1::CASE_VIEW_BASIC, v1::CASE_VIEW_FULL, request,
                   &rc)) {
    return rc;
  }
  v1::Case response;
  rc = inv.CallOnce(&Stub::GetCase, request, &response);
  if (rc != kExitOk) return rc;
  // With --json, only the resolutions (the case's other data is `case get`'s).
  v1::Case only;
  only.set_name(response.name());
  only.set_folio(response.folio());
  only.set_etag(response.etag());
  *only.mutable_resolutions() = response.resolutions();
  return PrintResolutions(inv, only, MsgId::kNone);
}

int RunAppeal(Invocation& inv) {
  int rc = kExitOk;
  std::optional<std::string> name = RecordArg(inv, "", &rc);
  if (!name) return rc;
  v1::FileAppealRequest request;
  request.set_parent(*name);
  request.set_request_id(
      inv.flags().Get("request-id").value_or(NewRequestId()));
  Required required(inv);
  absl::Status error;
  if (auto d = required.Date("filed", &error)) {
    *request.mutable_appeal()->mutable_filed_date() = *d;
  }
  if (!error.ok()) return inv.LocalError(error);
  if (auto a = required.Text("authority")) {
    request.mutable_appeal()->set_reviewing_authority(*a);
  }
  if ((rc = required.Check()) != kExitOk) return rc;
  if (auto f = inv.flags().Get("file-number")) {
    request.mutable_appeal()->set_file_number(*f);
  }
  v1::Appeal response;
  rc = inv.CallOnce(&Stub::FileAppeal, request, &response);
  if (rc != kExitOk) return rc;
  return inv.Print(response, [&] {
    return absl::StrCat(Text(inv.lang(), MsgId::kDoneAppealFiled), " ",
                        response.name(), "\n");
  });
}

int RunDecide(Invocation& inv) {
  int rc = kExitOk;
  std::optional<std::string> name = RecordArg(inv, "appeals", &rc);
  if (!name) return rc;
  v1::DecideAppealRequest request;
  request.set_name(*name);
  Required required(inv);
  absl::Status error;
  if (auto o =
          required.Code("outcome", v1::AppealOutcome_descriptor(), &error)) {
    request.set_outcome(static_cast<v1::AppealOutcome>(*o));
  }
  if (!error.ok()) return inv.LocalError(error);
  if (auto d = required.Date("date", &error)) {
    *request.mutable_outcome_date() = *d;
  }
  if (!error.ok()) return inv.LocalError(error);
  if (auto e = required.Text("etag")) request.set_etag(*e);
  if ((rc = required.Check()) != kExitOk) return rc;
  v1::Case response;
  rc = inv.CallOnce(&Stub::DecideAppeal, request, &response);
  if (rc != kExitOk) return rc;
  return PrintResolutions(inv, response, MsgId::kDoneResolutionUpdated);
}

int RunFinal(Invocation& inv) {
  int rc = kExitOk;
  std::optional<std::string> name = RecordArg(inv, "", &rc);
  if (!name) return rc;
  v1::SetResolutionFinalRequest request;
  request.set_name(*name);
  Required required(inv);
  absl::Status error;
  if (auto d = required.Date("date", &error)) {
    *request.mutable_final_date() = *d;
  }
  if (!error.ok()) return inv.LocalError(error);
  if (auto e = required.Text("etag")) request.set_etag(*e);
  if ((rc = required.Check()) != kExitOk) return rc;
  v1::Case response;
  rc = inv.CallOnce(&Stub::SetResolutionFinal, request, &response);
  if (rc != kExitOk) return rc;
  return PrintResolutions(inv, response, MsgId::kDoneResolutionUpdated);
}

int RunUpdate(Invocation& inv) {
  const Lang lang = inv.lang();
  int rc = kExitOk;
  std::optional<std::string> name = RecordArg(inv, "", &rc);
  if (!name) return rc;
  v1::UpdateResolutionRequest request;
  v1::Resolution* r = request.mutable_resolution();
  r->set_name(*name);
  Required required(inv);
  if (auto e = required.Text("etag")) request.set_etag(*e);
  if ((rc = required.Check()) != kExitOk) return rc;
  auto* mask = request.mutable_update_mask();
  if (auto a = inv.flags().Get("authority")) {
    r->set_resolving_authority(*a);
    mask->add_paths("resolving_authority");
  }
  if (auto f = inv.flags().Get("file-number")) {
    r->set_file_number(*f);
    mask->add_paths("file_number");
  }
  absl::StatusOr<std::optional<google::type::Date>> date =
      GetDate(inv.flags(), "date", lang);
  if (!date.ok()) return inv.LocalError(date.status());
  if (date->has_value()) {
    *r->mutable_resolution_date() = **date;
    mask->add_paths("resolution_date");
  }
  absl::StatusOr<std::optional<int>> outcome =
      GetCode(inv.flags(), "outcome", v1::ResolutionOutcome_descriptor(), lang);
  if (!outcome.ok()) return inv.LocalError(outcome.status());
  if (outcome->has_value()) {
    r->set_outcome(static_cast<v1::ResolutionOutcome>(**outcome));
    mask->add_paths("outcome");
  }
  bool person = false;
  if ((rc = AddSanctionedPerson(inv, r, &person)) != kExitOk) return rc;
  if (person && inv.flags().Has("no-sanctioned")) {
    return inv.UsageError(Text(lang, MsgId::kErrSanctionedConflict));
  }
  if (person || inv.flags().Has("no-sanctioned")) {
    mask->add_paths("sanctioned_persons");
  }
  if (std::optional<std::string> file = inv.flags().Get("notes-file")) {
    absl::StatusOr<std::string> notes = ReadTextFile(*file, inv.in(), lang);
    if (!notes.ok()) return inv.LocalError(notes.status());
    r->set_notes(*std::move(notes));
    mask->add_paths("notes");
  }
  if (mask->paths().empty()) {
    return inv.UsageError(Text(lang, MsgId::kErrNothingToUpdate));
  }
  v1::Case response;
  rc = inv.CallOnce(&Stub::UpdateResolution, request, &response);
  if (rc != kExitOk) return rc;
  return PrintResolutions(inv, response, MsgId::kDoneResolutionUpdated);
}

int RunReparationAdd(Invocation& inv) {
  int rc = kExitOk;
  std::optional<std::string> name = RecordArg(inv, "", &rc);
  if (!name) return rc;
  v1::AddReparationMeasureRequest request;
  request.set_parent(*name);
  request.set_request_id(
      inv.flags().Get("request-id").value_or(NewRequestId()));
  v1::ReparationMeasure* m = request.mutable_reparation_measure();
  Required required(inv);
  absl::Status error;
  if (auto k = required.Code("kind", v1::ReparationMeasureKind_descriptor(),
                             &error)) {
    m->set_kind(static_cast<v1::ReparationMeasureKind>(*k));
  }
  if (!error.ok()) return inv.LocalError(error);
  if (auto a = required.Text("authority")) m->set_responsible_authority(*a);
  if (auto d = required.Date("due", &error)) *m->mutable_due_date() = *d;
  if (!error.ok()) return inv.LocalError(error);
  if ((rc = required.Check()) != kExitOk) return rc;
  if (std::optional<std::string> file = inv.flags().Get("description-file")) {
    absl::StatusOr<std::string> d = ReadTextFile(*file, inv.in(), inv.lang());
    if (!d.ok()) return inv.LocalError(d.status());
    m->set_description(*std::move(d));
  }
  v1::ReparationMeasure response;
  rc = inv.CallOnce(&Stub::AddReparationMeasure, request, &response);
  if (rc != kExitOk) return rc;
  return inv.Print(response, [&] {
    return absl::StrCat(Text(inv.lang(), MsgId::kDoneReparationAdded), " ",
                        response.name(), "\n");
  });
}

int RunReparationSet(Invocation& inv) {
  int rc = kExitOk;
  std::optional<std::string> name = RecordArg(inv, "reparationMeasures", &rc);
  if (!name) return rc;
  v1::SetReparationMeasureStatusRequest request;
  request.set_name(*name);
  Required required(inv);
  absl::Status error;
  if (auto s = required.Code(
          "status", v1::ReparationComplianceStatus_descriptor(), &error)) {
    request.set_status(static_cast<v1::ReparationComplianceStatus>(*s));
  }
  if (!error.ok()) return inv.LocalError(error);
  if (auto e = required.Text("etag")) request.set_etag(*e);
  if ((rc = required.Check()) != kExitOk) return rc;
  v1::Case response;
  rc = inv.CallOnce(&Stub::SetReparationMeasureStatus, request, &response);
  if (rc != kExitOk) return rc;
  return PrintResolutions(inv, response, MsgId::kDoneResolutionUpdated);
}

// The flags of a resolution's fields, as `resolution add` and `update`
// take them (the outcome, one sanctioned person, the notes), between
// `before` and `after`.
std::vector<FlagSpec> ResolutionFlags(std::vector<FlagSpec> before,
                                      const std::vector<FlagSpec>& after) {
  std::vector<FlagSpec> flags = std::move(before);
  for (FlagSpec f :
       {CodeFlag("outcome", v1::ResolutionOutcome_descriptor(),
                 MsgId::kFlagOutcome),
        CodeFlag("qualification", v1::FaultQualification_descriptor(),
                 MsgId::kFlagQualification),
        Flag("repeat-offence", FlagValue::kNone, MsgId::kFlagRepeatOffence),
        CodeFlag("sanction", v1::SanctionType_descriptor(),
                 MsgId::kFlagSanction, true),
        Flag("fine", FlagValue::kText, MsgId::kFlagFine),
        Flag("term-years", FlagValue::kNumber, MsgId::kFlagTermYears),
        Flag("term-months", FlagValue::kNumber, MsgId::kFlagTermMonths),
        Flag("term-days", FlagValue::kNumber, MsgId::kFlagTermDays),
        Flag("notes-file", FlagValue::kFile, MsgId::kFlagNotesFile)}) {
    flags.push_back(std::move(f));
  }
  flags.insert(flags.end(), after.begin(), after.end());
  return flags;
}

}  // namespace

void RegisterResolutionCommands(CommandRegistry& r) {
  r.AddGroup({{"resolution"}, MsgId::kGroupResolution});
  const FlagSpec etag = Flag("etag", FlagValue::kText, MsgId::kFlagEtag);
  const FlagSpec request_id =
      Flag("request-id", FlagValue::kText, MsgId::kFlagRequestId);
  const FlagSpec authority =
      Flag("authority", FlagValue::kText, MsgId::kFlagResolvingAuthority);
  const FlagSpec file_number =
      Flag("file-number", FlagValue::kText, MsgId::kFlagFileNumber);
  const FlagSpec date =
      Flag("date", FlagValue::kDate, MsgId::kFlagResolutionDate);
  r.Add({{"resolution", "add"},
         MsgId::kCmdResolutionAdd,
         MsgId::kUsageResolutionAdd,
         MsgId::kDetailsResolutionAdd,
         ResolutionFlags({authority, file_number, date}, {request_id}),
         1,
         1,
         RunAdd});
  r.Add({{"resolution", "show"},
         MsgId::kCmdResolutionShow,
         MsgId::kUsageCaseGet,
         MsgId::kNone,
         {Flag("view", FlagValue::kText, MsgId::kFlagView),
          CodeFlag("purpose", v1::AccessPurpose_descriptor(),
                   MsgId::kFlagPurpose)},
         1,
         1,
         RunShow});
  r.Add({{"resolution", "appeal"},
         MsgId::kCmdResolutionAppeal,
         MsgId::kUsageResolutionAppeal,
         MsgId::kDetailsResolutionAppeal,
         {Flag("filed", FlagValue::kDate, MsgId::kFlagFiled), authority,
          file_number, request_id},
         2,
         2,
         RunAppeal});
  r.Add({{"resolution", "decide"},
         MsgId::kCmdResolutionDecide,
         MsgId::kUsageResolutionDecide,
         MsgId::kDetailsResolutionDecide,
         {CodeFlag("outcome", v1::AppealOutcome_descriptor(),
                   MsgId::kFlagOutcome),
          date, etag},
         3,
         3,
         RunDecide});
  r.Add({{"resolution", "final"},
         MsgId::kCmdResolutionFinal,
         MsgId::kUsageResolutionFinal,
         MsgId::kDetailsResolutionFinal,
         {date, etag},
         2,
         2,
         RunFinal});
  r.Add({{"resolution", "update"},
         MsgId::kCmdResolutionUpdate,
         MsgId::kUsageResolutionUpdate,
         MsgId::kDetailsResolutionUpdate,
         ResolutionFlags({etag, authority, file_number, date},
                         {Flag("no-sanctioned", FlagValue::kNone,
                               MsgId::kFlagNoSanctioned)}),
         2,
         2,
         RunUpdate});
  r.Add(
      {{"resolution", "reparation-add"},
       MsgId::kCmdReparationAdd,
       MsgId::kUsageReparationAdd,
       MsgId::kDetailsReparationAdd,
       {CodeFlag("kind", v1::ReparationMeasureKind_descriptor(),
                 MsgId::kFlagReparationKind),
        authority, Flag("due", FlagValue::kDate, MsgId::kFlagDue),
        Flag("description-file", FlagValue::kFile, MsgId::kFlagDescriptionFile),
        request_id},
       2,
       2,
       RunReparationAdd});
  r.Add({{"resolution", "reparation-set"},
         MsgId::kCmdReparationSet,
         MsgId::kUsageReparationSet,
         MsgId::kDetailsReparationSet,
         {CodeFlag("status", v1::ReparationComplianceStatus_descriptor(),
                   MsgId::kFlagCompliance),
          etag},
         3,
         3,
         RunReparationSet});
}

}  // namespace resguardo::cli
