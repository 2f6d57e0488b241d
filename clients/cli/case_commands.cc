#include "clients/cli/case_commands.h"

#include <memory>
#include <optional>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clients/cli/case_input.h"
#include "clients/cli/case_view.h"
#include "clients/cli/command_registry.h"
#include "clients/cli/connection.h"
#include "clients/cli/exit_codes.h"
#include "clients/cli/flag_values.h"
#include "clients/cli/follow_up_input.h"
#include "clients/cli/input_files.h"
#include "clients/cli/messages.h"
#include "clients/cli/paging.h"
#include "clients/cli/read_view.h"
#include "clients/cli/related_case_commands.h"
#include "clients/cli/resource_names.h"
#include "resguardo/v1/case_service.grpc.pb.h"
#include "resguardo/v1/catalogues.pb.h"

namespace resguardo::cli {
namespace {

namespace v1 = resguardo::v1;
using Stub = v1::CaseService::Stub;

// Opens the stub, or prints why not. Null on failure (*exit_code set).
std::unique_ptr<Stub> NewStub(Invocation& inv, int* exit_code) {
  return inv.NewStub<v1::CaseService>(exit_code);
}

// The case named by the first argument (folio or full name).
std::optional<std::string> CaseArg(Invocation& inv, int* exit_code) {
  absl::StatusOr<std::string> name = CaseNameFromArg(inv.args()[0]);
  if (!name.ok()) {
    *exit_code = inv.UsageError(Text(inv.lang(), MsgId::kErrNotAFolio));
    return std::nullopt;
  }
  return *name;
}

// Prints the case, with the next step for a person (the etag to write with).
int PrintCase(Invocation& inv, const v1::Case& c, MsgId heading) {
  return inv.PrintHeaded(c, heading, c.folio(),
                         [&] { return RenderCase(c, inv.lang(), inv.zone()); });
}

int RunCreate(Invocation& inv) {
  int rc = kExitOk;
  std::unique_ptr<Stub> stub;
  // Before a person types a victim's name, make sure the settings and
  // certificate files are there to send it; a script learns it either way.
  if (inv.prompter() != nullptr && !(stub = NewStub(inv, &rc))) return rc;
  absl::StatusOr<v1::CreateCaseRequest> request = BuildCreateCaseRequest(inv);
  if (!request.ok()) return inv.LocalError(request.status());
  if (!stub && !(stub = NewStub(inv, &rc))) return rc;
  v1::Case response;
  rc = inv.Call([&](grpc::ClientContext* ctx) {
    return stub->CreateCase(ctx, *request, &response);
  });
  if (rc != kExitOk) return rc;
  return PrintCase(inv, response, MsgId::kDoneCreated);
}

int RunGet(Invocation& inv) {
  int rc = kExitOk;
  std::optional<std::string> name = CaseArg(inv, &rc);
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
  rc = PrintCase(inv, response, MsgId::kNone);
  // With a declared purpose, a person also learns whether the same woman
  // has related cases (never their content; `case related` says more).
  if (rc == kExitOk && request.purpose() != v1::ACCESS_PURPOSE_UNSPECIFIED &&
      !inv.json()) {
    NoteRelatedCases(inv, *name, request.purpose());
  }
  return rc;
}

int RunList(Invocation& inv) {
  const Lang lang = inv.lang();
  v1::ListCasesRequest request;
  absl::StatusOr<std::string> institution = inv.Institution();
  if (!institution.ok()) return inv.LocalError(institution.status());
  request.set_parent(InstitutionName(*institution));
  absl::StatusOr<std::vector<int>> statuses =
      GetCodes(inv.flags(), "status", v1::CaseStatus_descriptor(), lang);
  if (!statuses.ok()) return inv.LocalError(statuses.status());
  for (int s : *statuses) request.add_statuses(static_cast<v1::CaseStatus>(s));
  absl::StatusOr<std::vector<int>> risks =
      GetCodes(inv.flags(), "risk", v1::RiskLevel_descriptor(), lang);
  if (!risks.ok()) return inv.LocalError(risks.status());
  for (int r : *risks) request.add_risk_levels(static_cast<v1::RiskLevel>(r));
  absl::StatusOr<std::optional<int>> kind =
      GetCode(inv.flags(), "kind", v1::CaseKind_descriptor(), lang);
  if (!kind.ok()) return inv.LocalError(kind.status());
  if (kind->has_value()) request.set_kind(static_cast<v1::CaseKind>(**kind));
  absl::StatusOr<std::optional<std::string>> state =
      GetStateCode(inv.flags(), "state", lang);
  if (!state.ok()) return inv.LocalError(state.status());
  if (state->has_value()) request.set_state_code(**state);
  absl::StatusOr<std::optional<google::type::Date>> from =
      GetDate(inv.flags(), "from", lang);
  if (!from.ok()) return inv.LocalError(from.status());
  if (from->has_value()) *request.mutable_reported_from() = **from;
  absl::StatusOr<std::optional<google::type::Date>> to =
      GetDate(inv.flags(), "to", lang);
  if (!to.ok()) return inv.LocalError(to.status());
  if (to->has_value()) *request.mutable_reported_to() = **to;

  v1::ListCasesResponse all;
  if (int rc =
          FetchList<v1::CaseService>(inv, 500, request, &Stub::ListCases, all);
      rc != kExitOk) {
    return rc;
  }
  return PrintList(
      inv, all, [&] { return RenderCaseList(all.cases(), lang, inv.zone()); });
}

int RunUpdate(Invocation& inv) {
  int rc = kExitOk;
  std::optional<std::string> name = CaseArg(inv, &rc);
  if (!name) return rc;
  absl::StatusOr<v1::UpdateCaseRequest> request =
      BuildUpdateCaseRequest(inv, *name);
  if (!request.ok()) return inv.LocalError(request.status());
  v1::Case response;
  rc = inv.CallOnce(&Stub::UpdateCase, *request, &response);
  if (rc != kExitOk) return rc;
  return PrintCase(inv, response, MsgId::kDoneUpdated);
}

int RunFollowUpAdd(Invocation& inv) {
  const Lang lang = inv.lang();
  int rc = kExitOk;
  std::optional<std::string> name = CaseArg(inv, &rc);
  if (!name) return rc;
  v1::AddFollowUpRequest request;
  request.set_parent(*name);
  request.set_request_id(
      inv.flags().Get("request-id").value_or(NewRequestId()));
  v1::FollowUp* f = request.mutable_follow_up();
  absl::StatusOr<std::optional<int>> kind =
      GetCode(inv.flags(), "kind", v1::FollowUpKind_descriptor(), lang);
  if (!kind.ok()) return inv.LocalError(kind.status());
  if (!kind->has_value()) {
    if (inv.prompter() == nullptr) {
      return inv.UsageError(Msg(lang, MsgId::kErrMissingFlags, "--kind"));
    }
    absl::StatusOr<int> asked = inv.prompter()->AskChoice(
        Text(lang, MsgId::kPromptFollowUpKind), v1::FollowUpKind_descriptor());
    if (!asked.ok()) return inv.LocalError(asked.status());
    *kind = *asked;
  }
  f->set_kind(static_cast<v1::FollowUpKind>(**kind));
  absl::StatusOr<FollowUpInput> input = ReadFollowUpInput(inv);
  if (!input.ok()) return inv.LocalError(input.status());
  *f->mutable_occur_time() = input->occur_time;
  f->set_notes(input->notes);
  absl::StatusOr<std::optional<google::type::Date>> due =
      GetDate(inv.flags(), "next-due", lang);
  if (!due.ok()) return inv.LocalError(due.status());
  if (due->has_value()) {
    // The next step cannot be due before this one happened.
    const absl::CivilDay occurred_on = absl::ToCivilDay(
        absl::FromUnixSeconds(f->occur_time().seconds()), inv.zone());
    const absl::CivilDay due_on((*due)->year(), (*due)->month(), (*due)->day());
    if (due_on < occurred_on) {
      return inv.UsageError(Text(lang, MsgId::kErrNextDueBeforeFollowUp));
    }
    *f->mutable_next_due_date() = **due;
  }
  v1::FollowUp response;
  rc = inv.CallOnce(&Stub::AddFollowUp, request, &response);
  if (rc != kExitOk) return rc;
  return inv.Print(response, [&] {
    return absl::StrCat(Text(lang, MsgId::kDoneFollowUpAdded), "\n\n",
                        RenderFollowUp(response, lang, inv.zone()));
  });
}

int RunFollowUpList(Invocation& inv) {
  const Lang lang = inv.lang();
  int rc = kExitOk;
  std::optional<std::string> name = CaseArg(inv, &rc);
  if (!name) return rc;
  v1::ListFollowUpsRequest request;
  request.set_parent(*name);
  if (!SetPurpose(inv, request, &rc)) return rc;
  v1::ListFollowUpsResponse all;
  rc = FetchList<v1::CaseService>(inv, 500, request, &Stub::ListFollowUps, all);
  if (rc != kExitOk) return rc;
  return PrintList(inv, all, [&] {
    return absl::StrCat(
        RenderFollowUps(all.follow_ups(), lang, inv.zone()),
        NotesWithheldLine(request.purpose() == v1::ACCESS_PURPOSE_UNSPECIFIED &&
                              !all.follow_ups().empty(),
                          "case-follow-up", lang));
  });
}

int RunMeasureAdd(Invocation& inv) {
  const Lang lang = inv.lang();
  int rc = kExitOk;
  std::optional<std::string> name = CaseArg(inv, &rc);
  if (!name) return rc;
  v1::AddProtectionMeasureRequest request;
  request.set_parent(*name);
  request.set_request_id(
      inv.flags().Get("request-id").value_or(NewRequestId()));
  v1::ProtectionMeasure* m = request.mutable_protection_measure();
  std::vector<std::string> missing;
  absl::StatusOr<std::optional<int>> type = GetCode(
      inv.flags(), "type", v1::ProtectionMeasureType_descriptor(), lang);
  if (!type.ok()) return inv.LocalError(type.status());
  if (type->has_value()) {
    m->set_type(static_cast<v1::ProtectionMeasureType>(**type));
  } else {
    missing.push_back("--type");
  }
  absl::StatusOr<std::optional<int>> status = GetCode(
      inv.flags(), "status", v1::ProtectionMeasureStatus_descriptor(), lang);
  if (!status.ok()) return inv.LocalError(status.status());
  if (status->has_value()) {
    m->set_status(static_cast<v1::ProtectionMeasureStatus>(**status));
  } else {
    missing.push_back("--status");
  }
  if (std::optional<std::string> a = inv.flags().Get("authority")) {
    m->set_issuing_authority(*a);
  } else {
    missing.push_back("--authority");
  }
  absl::StatusOr<std::optional<google::type::Date>> issued =
      GetDate(inv.flags(), "issued", lang);
  if (!issued.ok()) return inv.LocalError(issued.status());
  if (issued->has_value()) {
    *m->mutable_issue_date() = **issued;
  } else {
    missing.push_back("--issued");
  }
  // Optional: a measure only requested, or in force indefinitely, has no
  // expiry (the node asks for one when the status is EXTENDED).
  absl::StatusOr<std::optional<google::type::Date>> expires =
      GetDate(inv.flags(), "expires", lang);
  if (!expires.ok()) return inv.LocalError(expires.status());
  if (expires->has_value()) *m->mutable_expiry_date() = **expires;
  if (!missing.empty()) {
    return inv.UsageError(
        Msg(lang, MsgId::kErrMissingFlags, absl::StrJoin(missing, ", ")));
  }
  v1::ProtectionMeasure response;
  rc = inv.CallOnce(&Stub::AddProtectionMeasure, request, &response);
  if (rc != kExitOk) return rc;
  return inv.Print(response, [&] {
    google::protobuf::RepeatedPtrField<v1::ProtectionMeasure> one;
    *one.Add() = response;
    return absl::StrCat(Text(lang, MsgId::kDoneMeasureAdded), "\n\n",
                        RenderMeasures(one, lang));
  });
}

// Moves a protection measure (FOLIO N, N from the case's measures) to a
// new status, with the case's etag.
int RunMeasureSet(Invocation& inv) {
  const Lang lang = inv.lang();
  int rc = kExitOk;
  std::optional<std::string> name = CaseArg(inv, &rc);
  if (!name) return rc;
  int64_t number = 0;
  const std::string& n = inv.args()[1];
  if (n.empty() || n.size() > 9 || n[0] == '0' ||
      n.find_first_not_of("0123456789") != std::string::npos ||
      !absl::SimpleAtoi(n, &number)) {
    return inv.UsageError(Text(lang, MsgId::kErrNotAMeasureNumber));
  }
  v1::SetProtectionMeasureStatusRequest request;
  request.set_name(absl::StrCat(*name, "/protectionMeasures/", number));
  std::vector<std::string> missing;
  absl::StatusOr<std::optional<int>> status = GetCode(
      inv.flags(), "status", v1::ProtectionMeasureStatus_descriptor(), lang);
  if (!status.ok()) return inv.LocalError(status.status());
  if (status->has_value()) {
    request.set_status(static_cast<v1::ProtectionMeasureStatus>(**status));
  } else {
    missing.push_back("--status");
  }
  std::optional<std::string> etag = inv.flags().Get("etag");
  if (etag.has_value() && !etag->empty()) {
    request.set_etag(*etag);
  } else {
    missing.push_back("--etag");
  }
  if (!missing.empty()) {
    return inv.UsageError(
        Msg(lang, MsgId::kErrMissingFlags, absl::StrJoin(missing, ", ")));
  }
  absl::StatusOr<std::optional<google::type::Date>> expires =
      GetDate(inv.flags(), "expires", lang);
  if (!expires.ok()) return inv.LocalError(expires.status());
  if (expires->has_value()) *request.mutable_expiry_date() = **expires;
  v1::Case response;
  rc = inv.CallOnce(&Stub::SetProtectionMeasureStatus, request, &response);
  if (rc != kExitOk) return rc;
  return PrintCase(inv, response, MsgId::kDoneMeasureUpdated);
}

int RunClose(Invocation& inv) {
  int rc = kExitOk;
  std::optional<std::string> name = CaseArg(inv, &rc);
  if (!name) return rc;
  std::optional<std::string> etag = inv.RequiredFlag("etag", &rc);
  if (!etag) return rc;
  absl::StatusOr<std::optional<int>> reason = GetCode(
      inv.flags(), "reason", v1::ClosureReason_descriptor(), inv.lang());
  if (!reason.ok()) return inv.LocalError(reason.status());
  if (!reason->has_value()) {
    return inv.UsageError(Msg(inv.lang(), MsgId::kErrMissingFlags, "--reason"));
  }
  v1::CloseCaseRequest request;
  request.set_name(*name);
  request.set_etag(*etag);
  request.set_reason(static_cast<v1::ClosureReason>(**reason));
  v1::Case response;
  rc = inv.CallOnce(&Stub::CloseCase, request, &response);
  if (rc != kExitOk) return rc;
  return PrintCase(inv, response, MsgId::kDoneClosed);
}

int RunReopen(Invocation& inv) {
  int rc = kExitOk;
  std::optional<std::string> name = CaseArg(inv, &rc);
  if (!name) return rc;
  std::optional<std::string> etag = inv.RequiredFlag("etag", &rc);
  if (!etag) return rc;
  v1::ReopenCaseRequest request;
  request.set_name(*name);
  request.set_etag(*etag);
  v1::Case response;
  rc = inv.CallOnce(&Stub::ReopenCase, request, &response);
  if (rc != kExitOk) return rc;
  return PrintCase(inv, response, MsgId::kDoneReopened);
}

int RunErase(Invocation& inv) {
  const Lang lang = inv.lang();
  int rc = kExitOk;
  std::optional<std::string> name = CaseArg(inv, &rc);
  if (!name) return rc;
  std::optional<std::string> etag = inv.RequiredFlag("etag", &rc);
  if (!etag) return rc;
  absl::StatusOr<std::optional<int>> reason =
      GetCode(inv.flags(), "reason", v1::ErasureReason_descriptor(), lang);
  if (!reason.ok()) return inv.LocalError(reason.status());
  if (!reason->has_value()) {
    return inv.UsageError(Msg(lang, MsgId::kErrMissingFlags, "--reason"));
  }
  // Erasure cannot be undone: a person confirms by typing the folio; a
  // script says --yes.
  if (!inv.flags().Has("yes")) {
    if (inv.prompter() == nullptr) {
      return inv.UsageError(Text(lang, MsgId::kErrEraseNeedsYes));
    }
    const std::string& folio = inv.args()[0];
    absl::StatusOr<bool> confirmed = inv.prompter()->Confirm(
        Msg(lang, MsgId::kPromptConfirmErase, folio), folio);
    if (!confirmed.ok()) return inv.LocalError(confirmed.status());
    if (!*confirmed) {
      inv.Note(Text(lang, MsgId::kNothingDone));
      return kExitUsage;
    }
  }
  v1::EraseCasePersonalDataRequest request;
  request.set_name(*name);
  request.set_etag(*etag);
  request.set_reason(static_cast<v1::ErasureReason>(**reason));
  v1::Case response;
  rc = inv.CallOnce(&Stub::EraseCasePersonalData, request, &response);
  if (rc != kExitOk) return rc;
  return PrintCase(inv, response, MsgId::kDoneErased);
}

}  // namespace

void RegisterCaseCommands(CommandRegistry& r) {
  r.AddGroup({{"case"}, MsgId::kGroupCase});
  r.AddGroup({{"case", "follow-up"}, MsgId::kGroupFollowUp});
  r.AddGroup({{"case", "measure"}, MsgId::kGroupMeasure});
  const FlagSpec etag = Flag("etag", FlagValue::kText, MsgId::kFlagEtag);
  const FlagSpec request_id =
      Flag("request-id", FlagValue::kText, MsgId::kFlagRequestId);
  const FlagSpec page_size =
      Flag("page-size", FlagValue::kNumber, MsgId::kFlagPageSize);
  const FlagSpec page_token =
      Flag("page-token", FlagValue::kText, MsgId::kFlagPageToken);
  const FlagSpec all = Flag("all", FlagValue::kNone, MsgId::kFlagAll);
  const FlagSpec purpose =
      CodeFlag("purpose", v1::AccessPurpose_descriptor(), MsgId::kFlagPurpose);

  r.Add({{"case", "create"},
         MsgId::kCmdCaseCreate,
         MsgId::kUsageCaseCreate,
         MsgId::kDetailsCaseCreate,
         CreateCaseFlags(),
         0,
         0,
         RunCreate});
  r.Add({{"case", "get"},
         MsgId::kCmdCaseGet,
         MsgId::kUsageCaseGet,
         MsgId::kDetailsCaseGet,
         {Flag("view", FlagValue::kText, MsgId::kFlagView), purpose},
         1,
         1,
         RunGet});
  r.Add({{"case", "list"},
         MsgId::kCmdCaseList,
         MsgId::kUsageOptionsOnly,
         MsgId::kNone,
         {CodeFlag("status", v1::CaseStatus_descriptor(),
                   MsgId::kFlagFilterStatus, true),
          CodeFlag("kind", v1::CaseKind_descriptor(), MsgId::kFlagFilterKind),
          CodeFlag("risk", v1::RiskLevel_descriptor(), MsgId::kFlagFilterRisk,
                   true),
          Flag("state", FlagValue::kText, MsgId::kFlagFilterState),
          Flag("from", FlagValue::kDate, MsgId::kFlagFrom),
          Flag("to", FlagValue::kDate, MsgId::kFlagTo), page_size, page_token,
          all},
         0,
         0,
         RunList});
  r.Add({{"case", "update"},
         MsgId::kCmdCaseUpdate,
         MsgId::kUsageCaseUpdate,
         MsgId::kDetailsCaseUpdate,
         UpdateCaseFlags(),
         1,
         1,
         RunUpdate});
  r.Add({{"case", "follow-up", "add"},
         MsgId::kCmdFollowUpAdd,
         MsgId::kUsageFollowUpAdd,
         MsgId::kDetailsFollowUpAdd,
         {CodeFlag("kind", v1::FollowUpKind_descriptor(),
                   MsgId::kFlagFollowUpKind),
          Flag("occurred", FlagValue::kTime, MsgId::kFlagOccurred),
          Flag("next-due", FlagValue::kDate, MsgId::kFlagNextDue),
          Flag("notes-file", FlagValue::kFile, MsgId::kFlagNotesFile),
          request_id},
         1,
         1,
         RunFollowUpAdd});
  r.Add({{"case", "follow-up", "list"},
         MsgId::kCmdFollowUpList,
         MsgId::kUsageFolioOptions,
         MsgId::kDetailsFollowUpList,
         {purpose, page_size, page_token, all},
         1,
         1,
         RunFollowUpList});
  r.Add({{"case", "measure", "add"},
         MsgId::kCmdMeasureAdd,
         MsgId::kUsageMeasureAdd,
         MsgId::kNone,
         {CodeFlag("type", v1::ProtectionMeasureType_descriptor(),
                   MsgId::kFlagMeasureType),
          CodeFlag("status", v1::ProtectionMeasureStatus_descriptor(),
                   MsgId::kFlagMeasureStatus),
          Flag("authority", FlagValue::kText, MsgId::kFlagAuthority),
          Flag("issued", FlagValue::kDate, MsgId::kFlagIssued),
          Flag("expires", FlagValue::kDate, MsgId::kFlagExpires), request_id},
         1,
         1,
         RunMeasureAdd});
  r.Add({{"case", "measure", "set"},
         MsgId::kCmdMeasureSet,
         MsgId::kUsageMeasureSet,
         MsgId::kDetailsMeasureSet,
         {CodeFlag("status", v1::ProtectionMeasureStatus_descriptor(),
                   MsgId::kFlagMeasureStatus),
          etag, Flag("expires", FlagValue::kDate, MsgId::kFlagNewExpiry)},
         2,
         2,
         RunMeasureSet});
  r.Add({{"case", "close"},
         MsgId::kCmdCaseClose,
         MsgId::kUsageCaseClose,
         MsgId::kNone,
         {etag, CodeFlag("reason", v1::ClosureReason_descriptor(),
                         MsgId::kFlagClosureReason)},
         1,
         1,
         RunClose});
  r.Add({{"case", "reopen"},
         MsgId::kCmdCaseReopen,
         MsgId::kUsageCaseReopen,
         MsgId::kNone,
         {etag},
         1,
         1,
         RunReopen});
  r.Add({{"case", "erase"},
         MsgId::kCmdCaseErase,
         MsgId::kUsageCaseErase,
         MsgId::kDetailsCaseErase,
         {etag,
          CodeFlag("reason", v1::ErasureReason_descriptor(),
                   MsgId::kFlagErasureReason),
          Flag("yes", FlagValue::kNone, MsgId::kFlagYes)},
         1,
         1,
         RunErase});
}

}  // namespace resguardo::cli
