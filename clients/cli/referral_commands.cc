// One piece (about 500 lines): the `resguardo referral` commands share
// their flag tables, the consent and override checks and the referral
// printer; split by command they would each repeat them. The `alerts`
// commands are in alert_commands.cc.
#include "clients/cli/referral_commands.h"

#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "clients/cli/case_view.h"
#include "clients/cli/catalogue_codes.h"
#include "clients/cli/command_registry.h"
#include "clients/cli/dates.h"
#include "clients/cli/exit_codes.h"
#include "clients/cli/flag_values.h"
#include "clients/cli/follow_up_input.h"
#include "clients/cli/input_files.h"
#include "clients/cli/json_output.h"
#include "clients/cli/messages.h"
#include "clients/cli/paging.h"
#include "clients/cli/read_view.h"
#include "clients/cli/resource_names.h"
#include "clients/cli/table.h"
#include "clients/cli/terminal_text.h"
#include "resguardo/v1/referral_service.grpc.pb.h"

namespace resguardo::cli {
namespace {

namespace v1 = resguardo::v1;
using Stub = v1::ReferralService::Stub;

std::string Time(const google::protobuf::Timestamp& t, absl::TimeZone zone) {
  if (t.seconds() == 0 && t.nanos() == 0) return "";
  return FormatTimestamp(t, zone);
}

std::string RenderReferral(const v1::Referral& r, Lang lang,
                           absl::TimeZone zone) {
  auto t = [lang](MsgId id) { return std::string(Text(lang, id)); };
  std::string consent;
  if (r.risk_override()) {
    consent = t(MsgId::kReferralOverride);
  } else if (r.has_consent()) {
    consent = absl::StrCat(
        LabelOf(v1::ConsentGiver_descriptor(), r.consent().given_by(), lang),
        "; ",
        LabelOf(v1::ConsentMethod_descriptor(), r.consent().method(), lang),
        "; ", Time(r.consent().give_time(), zone));
  }
  std::vector<std::pair<std::string, std::string>> fields = {
      {t(MsgId::kFieldName), r.name()},
      {t(MsgId::kFieldEtag), r.etag()},
      {t(MsgId::kFieldReferralCase), r.case_()},
      {t(MsgId::kFieldReferralFrom), r.sending_institution()},
      {t(MsgId::kFieldReferralTo), r.receiving_institution()},
      {t(MsgId::kFieldReferralServices),
       JoinLabels(v1::ReferralServiceKind_descriptor(), r.services(), lang)},
      {t(MsgId::kFieldStatus),
       LabelOf(v1::ReferralStatus_descriptor(), r.status(), lang)},
      {t(MsgId::kFieldRisk),
       LabelOf(v1::RiskLevel_descriptor(), r.risk_level(), lang)},
      {t(MsgId::kFieldReferralConsent), consent},
      {t(MsgId::kFieldReferralScope),
       LabelOf(v1::SharingScope_descriptor(), r.scope(), lang)},
      {t(MsgId::kFieldReferralDeadline),
       absl::StrCat(
           Time(r.accept_deadline(), zone),
           r.overdue() ? absl::StrCat("  ", t(MsgId::kReferralOverdue)) : "")},
      {t(MsgId::kFieldReferralOutcome),
       absl::StrCat(
           LabelOf(v1::ReferralRejectReason_descriptor(), r.reject_reason(),
                   lang),
           LabelOf(v1::ReferralOutcome_descriptor(), r.outcome(), lang),
           LabelOf(v1::ReferralWithdrawalReason_descriptor(),
                   r.withdrawal_reason(), lang))},
      {t(MsgId::kFieldCreated), Time(r.create_time(), zone)},
      {t(MsgId::kFieldUpdated), Time(r.update_time(), zone)},
  };
  if (r.shared_data_destroyed()) {
    fields.push_back({t(MsgId::kFieldErased), t(MsgId::kYes)});
  }
  if (r.has_shared_data()) {
    const v1::CasePersonalData& p = r.shared_data();
    const std::vector<std::pair<std::string, std::string>> personal = {
        {t(MsgId::kFieldVictimName), TerminalSafe(p.victim_name())},
        {t(MsgId::kFieldCurp), TerminalSafe(p.victim_curp())},
        {t(MsgId::kFieldBirthDate), FormatDate(p.victim_birth_date())},
        {t(MsgId::kFieldPhone), TerminalSafe(p.contact_phone())},
        {t(MsgId::kFieldEmail), TerminalSafe(p.contact_email())},
        {t(MsgId::kFieldAddress), TerminalSafe(p.address())},
        {t(MsgId::kFieldAggressorNames),
         TerminalSafe(absl::StrJoin(p.aggressor_names(), "; "))},
        {t(MsgId::kFieldParty), TerminalSafe(p.political_party())},
        {t(MsgId::kFieldNarrative), TerminalSafeMultiline(p.narrative())},
        {t(MsgId::kFieldEvidenceNotes),
         TerminalSafeMultiline(p.evidence_notes())},
        {t(MsgId::kFieldNotes), TerminalSafeMultiline(r.note())},
    };
    fields.insert(fields.end(), personal.begin(), personal.end());
  }
  return RenderRecord(fields);
}

int PrintReferral(Invocation& inv, const v1::Referral& r, MsgId heading) {
  return inv.PrintHeaded(r, heading, r.name(), [&] {
    return RenderReferral(r, inv.lang(), inv.zone());
  });
}

// An open referral (pending or accepted) of `wanted`'s case to the same
// institution for one of the same services, from the caller's outbox, into
// `found` (left empty if none). Returns kExitOk or the exit code of the
// failed look-up, which it has reported.
int FindOpenDuplicate(Invocation& inv, const v1::Referral& wanted,
                      std::optional<v1::Referral>* found) {
  absl::StatusOr<std::string> institution = inv.Institution();
  if (!institution.ok()) return inv.LocalError(institution.status());
  int rc = kExitOk;
  std::unique_ptr<Stub> stub = inv.NewStub<v1::ReferralService>(&rc);
  if (!stub) return rc;
  v1::ListReferralsRequest request;
  request.set_parent(InstitutionName(*institution));
  request.set_box(v1::REFERRAL_BOX_OUTBOX);
  request.set_page_size(500);
  request.add_statuses(v1::REFERRAL_STATUS_PENDING);
  request.add_statuses(v1::REFERRAL_STATUS_ACCEPTED);
  *request.mutable_services() = wanted.services();
  // Bounded: a case has a handful of referrals; an outbox of more than
  // 10,000 open ones for these services is not searched further.
  for (int page = 0; page < 20; ++page) {
    v1::ListReferralsResponse response;
    rc = inv.Call([&](grpc::ClientContext* ctx) {
      return stub->ListReferrals(ctx, request, &response);
    });
    if (rc != kExitOk) return rc;
    for (const v1::Referral& r : response.referrals()) {
      if (r.case_() == wanted.case_() &&
          r.receiving_institution() == wanted.receiving_institution()) {
        *found = r;
        return kExitOk;
      }
    }
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  return kExitOk;
}

int RunCreate(Invocation& inv) {
  const Lang lang = inv.lang();
  int rc = kExitOk;
  absl::StatusOr<std::string> case_name = CaseNameFromArg(inv.args()[0]);
  if (!case_name.ok()) return inv.UsageError(Text(lang, MsgId::kErrNotAFolio));
  std::optional<std::string> to = inv.RequiredFlag("to", &rc);
  if (!to) return rc;
  v1::CreateReferralRequest request;
  v1::Referral* r = request.mutable_referral();
  r->set_case_(*case_name);
  r->set_receiving_institution(*to);
  absl::StatusOr<std::vector<int>> services = GetCodes(
      inv.flags(), "service", v1::ReferralServiceKind_descriptor(), lang);
  if (!services.ok()) return inv.LocalError(services.status());
  if (services->empty()) {
    return inv.UsageError(Msg(lang, MsgId::kErrMissingFlags, "--service"));
  }
  for (int s : *services) {
    r->add_services(static_cast<v1::ReferralServiceKind>(s));
  }
  if (std::optional<std::string> note = inv.flags().Get("note-file")) {
    absl::StatusOr<std::string> text = ReadTextFile(*note, inv.in(), lang);
    if (!text.ok()) return inv.LocalError(text.status());
    r->set_note(*text);
  }
  std::optional<int> scope =
      inv.RequiredCode("scope", v1::SharingScope_descriptor(), &rc);
  if (!scope) return rc;
  // Exactly one of the victim's consent and a risk override: an override
  // typed beside a consent would drop the consent and audit an exception
  // nobody needed, and a referral without either is refused by the node.
  const bool consent_given = inv.flags().Has("consent-by") ||
                             inv.flags().Has("consent-method") ||
                             inv.flags().Has("consent-time");
  const bool override_given = inv.flags().Has("override-reason-file");
  if (consent_given && override_given) {
    return inv.UsageError(Msg(lang, MsgId::kErrFlagsExclusive,
                              "--consent-by/--consent-method",
                              "--override-reason-file"));
  }
  if (!consent_given && !override_given) {
    return inv.UsageError(
        Msg(lang, MsgId::kErrMissingFlags,
            Msg(lang, MsgId::kErrEitherFlags, "--consent-by --consent-method",
                "--override-reason-file")));
  }
  if (std::optional<std::string> reason =
          inv.flags().Get("override-reason-file")) {
    absl::StatusOr<std::string> text = ReadTextFile(*reason, inv.in(), lang);
    if (!text.ok()) return inv.LocalError(text.status());
    request.mutable_risk_override()->set_reason(*text);
    request.mutable_risk_override()->set_scope(
        static_cast<v1::SharingScope>(*scope));
  } else {
    v1::Consent* c = request.mutable_consent();
    std::optional<int> by =
        inv.RequiredCode("consent-by", v1::ConsentGiver_descriptor(), &rc);
    if (!by) return rc;
    std::optional<int> how =
        inv.RequiredCode("consent-method", v1::ConsentMethod_descriptor(), &rc);
    if (!how) return rc;
    c->set_given_by(static_cast<v1::ConsentGiver>(*by));
    c->set_method(static_cast<v1::ConsentMethod>(*how));
    c->set_scope(static_cast<v1::SharingScope>(*scope));
    absl::StatusOr<std::optional<google::protobuf::Timestamp>> when =
        GetTimestamp(inv.flags(), "consent-time", inv.zone(), lang);
    if (!when.ok()) return inv.LocalError(when.status());
    if (when->has_value()) {
      *c->mutable_give_time() = **when;
    } else {
      c->mutable_give_time()->set_seconds(absl::ToUnixSeconds(absl::Now()));
    }
  }
  request.set_request_id(inv.flags().Get("request-id").value_or(""));
  // The same case, receiver and service once more is most often a slip: say
  // so before creating it; a person at a terminal decides, a script goes on
  // (its retry with the same --request-id gets the same referral).
  std::optional<v1::Referral> duplicate;
  rc = FindOpenDuplicate(inv, *r, &duplicate);
  if (rc != kExitOk) return rc;
  if (duplicate.has_value()) {
    inv.Note(Msg(
        lang, MsgId::kWarnDuplicateReferral, *to,
        duplicate->name().substr(duplicate->name().rfind('/') + 1),
        LabelOf(v1::ReferralStatus_descriptor(), duplicate->status(), lang)));
    if (inv.prompter() != nullptr) {
      absl::StatusOr<bool> go_on =
          inv.prompter()->AskYesNo(Text(lang, MsgId::kAskDuplicateReferral));
      if (!go_on.ok()) return inv.LocalError(go_on.status());
      if (!*go_on) {
        inv.Note(Text(lang, MsgId::kNothingDone));
        return kExitUsage;
      }
    }
  }
  v1::Referral response;
  rc = inv.CallOnce(&Stub::CreateReferral, request, &response);
  if (rc != kExitOk) return rc;
  return PrintReferral(inv, response, MsgId::kDoneReferralCreated);
}

int RunList(Invocation& inv, v1::ReferralBox box) {
  const Lang lang = inv.lang();
  v1::ListReferralsRequest request;
  absl::StatusOr<std::string> institution = inv.Institution();
  if (!institution.ok()) return inv.LocalError(institution.status());
  request.set_parent(InstitutionName(*institution));
  request.set_box(box);
  absl::StatusOr<std::vector<int>> statuses =
      GetCodes(inv.flags(), "status", v1::ReferralStatus_descriptor(), lang);
  if (!statuses.ok()) return inv.LocalError(statuses.status());
  for (int s : *statuses) {
    request.add_statuses(static_cast<v1::ReferralStatus>(s));
  }
  absl::StatusOr<std::vector<int>> services = GetCodes(
      inv.flags(), "service", v1::ReferralServiceKind_descriptor(), lang);
  if (!services.ok()) return inv.LocalError(services.status());
  for (int s : *services) {
    request.add_services(static_cast<v1::ReferralServiceKind>(s));
  }
  request.set_overdue_only(inv.flags().Has("overdue"));
  v1::ListReferralsResponse all;
  if (int rc = FetchList<v1::ReferralService>(inv, 500, request,
                                              &Stub::ListReferrals, all);
      rc != kExitOk) {
    return rc;
  }
  return PrintList(inv, all, [&] {
    auto t = [lang](MsgId id) { return std::string(Text(lang, id)); };
    Table table({"", t(MsgId::kFieldName),
                 t(box == v1::REFERRAL_BOX_INBOX ? MsgId::kFieldReferralFrom
                                                 : MsgId::kFieldReferralTo),
                 t(MsgId::kFieldReferralServices), t(MsgId::kFieldStatus),
                 t(MsgId::kFieldRisk), t(MsgId::kFieldReferralDeadline)});
    for (const v1::Referral& r : all.referrals()) {
      table.AddRow(
          {r.overdue() ? "!" : "", r.name(),
           box == v1::REFERRAL_BOX_INBOX ? r.sending_institution()
                                         : r.receiving_institution(),
           JoinLabels(v1::ReferralServiceKind_descriptor(), r.services(), lang),
           LabelOf(v1::ReferralStatus_descriptor(), r.status(), lang),
           LabelOf(v1::RiskLevel_descriptor(), r.risk_level(), lang),
           absl::StrCat(Time(r.accept_deadline(), inv.zone()),
                        r.overdue()
                            ? absl::StrCat(" ", t(MsgId::kReferralOverdue))
                            : "")});
    }
    return table.empty() ? absl::StrCat(t(MsgId::kReferralNone), "\n")
                         : table.Render();
  });
}

// The referral named by the first argument: its number within the caller's
// institution, or its full name.
std::optional<std::string> ReferralArg(Invocation& inv, int* exit_code) {
  absl::string_view arg = inv.args()[0];
  std::string institution;
  if (!absl::StartsWith(absl::StripAsciiWhitespace(arg), "institutions/")) {
    absl::StatusOr<std::string> own = inv.Institution();
    if (!own.ok()) {
      *exit_code = inv.LocalError(own.status());
      return std::nullopt;
    }
    institution = *own;
  }
  absl::StatusOr<std::string> name = ReferralNameFromArg(arg, institution);
  if (!name.ok()) {
    *exit_code = inv.UsageError(Text(inv.lang(), MsgId::kErrNotAReferral));
    return std::nullopt;
  }
  return *name;
}

int RunShow(Invocation& inv) {
  int rc = kExitOk;
  std::optional<std::string> name = ReferralArg(inv, &rc);
  if (!name) return rc;
  v1::GetReferralRequest request;
  request.set_name(*name);
  if (!SetReadView(inv, v1::REFERRAL_VIEW_BASIC, v1::REFERRAL_VIEW_FULL,
                   request, &rc)) {
    return rc;
  }
  v1::Referral response;
  rc = inv.CallOnce(&Stub::GetReferral, request, &response);
  if (rc != kExitOk) return rc;
  return PrintReferral(inv, response, MsgId::kNone);
}

// The follow-ups of a referral as a table: when, what, who, and the notes
// (empty without a purpose; the node does not send them).
std::string RenderReferralFollowUps(
    const google::protobuf::RepeatedPtrField<v1::ReferralFollowUp>& all,
    Lang lang, absl::TimeZone zone) {
  auto t = [lang](MsgId id) { return std::string(Text(lang, id)); };
  Table table({t(MsgId::kFieldOccurred), t(MsgId::kFieldKind),
               t(MsgId::kFieldAuthor), t(MsgId::kFieldNotes)});
  for (const v1::ReferralFollowUp& f : all) {
    table.AddRow({Time(f.occur_time(), zone),
                  LabelOf(v1::FollowUpKind_descriptor(), f.kind(), lang),
                  TerminalSafe(f.author()), TerminalSafe(f.notes())});
  }
  return table.empty() ? absl::StrCat(t(MsgId::kNoResults), "\n")
                       : table.Render();
}

// referral follow-up add REFERRAL --kind K [--occurred T] [--notes-file F]:
// the receiving institution records what it did.
int RunFollowUpAdd(Invocation& inv) {
  const Lang lang = inv.lang();
  int rc = kExitOk;
  std::optional<std::string> name = ReferralArg(inv, &rc);
  if (!name) return rc;
  std::optional<int> kind =
      inv.RequiredCode("kind", v1::FollowUpKind_descriptor(), &rc);
  if (!kind) return rc;
  v1::AddReferralFollowUpRequest request;
  request.set_parent(*name);
  v1::ReferralFollowUp* f = request.mutable_follow_up();
  f->set_kind(static_cast<v1::FollowUpKind>(*kind));
  absl::StatusOr<FollowUpInput> input = ReadFollowUpInput(inv);
  if (!input.ok()) return inv.LocalError(input.status());
  *f->mutable_occur_time() = input->occur_time;
  f->set_notes(input->notes);
  v1::ReferralFollowUp response;
  rc = inv.CallOnce(&Stub::AddReferralFollowUp, request, &response);
  if (rc != kExitOk) return rc;
  return inv.Print(response, [&] {
    google::protobuf::RepeatedPtrField<v1::ReferralFollowUp> one;
    *one.Add() = response;
    return absl::StrCat(Text(lang, MsgId::kDoneFollowUpAdded), "\n\n",
                        RenderReferralFollowUps(one, lang, inv.zone()));
  });
}

// referral follow-up list REFERRAL [--purpose P]: notes need a purpose.
int RunFollowUpList(Invocation& inv) {
  const Lang lang = inv.lang();
  int rc = kExitOk;
  std::optional<std::string> name = ReferralArg(inv, &rc);
  if (!name) return rc;
  v1::ListReferralFollowUpsRequest request;
  request.set_parent(*name);
  if (!SetPurpose(inv, request, &rc)) return rc;
  v1::ListReferralFollowUpsResponse all;
  rc = FetchList<v1::ReferralService>(inv, 500, request,
                                      &Stub::ListReferralFollowUps, all);
  if (rc != kExitOk) return rc;
  return PrintList(inv, all, [&] {
    return absl::StrCat(
        RenderReferralFollowUps(all.follow_ups(), lang, inv.zone()),
        NotesWithheldLine(request.purpose() == v1::ACCESS_PURPOSE_UNSPECIFIED &&
                              !all.follow_ups().empty(),
                          "referral", lang));
  });
}

// accept / reject / complete / withdraw: name, etag and one code.
template <typename Request>
int RunTransition(Invocation& inv, const char* code_flag,
                  const google::protobuf::EnumDescriptor* codes,
                  void (*set_code)(Request&, int),
                  grpc::Status (Stub::*rpc)(grpc::ClientContext*,
                                            const Request&, v1::Referral*)) {
  int rc = kExitOk;
  std::optional<std::string> etag = inv.RequiredFlag("etag", &rc);
  if (!etag) return rc;
  std::optional<std::string> name = ReferralArg(inv, &rc);
  if (!name) return rc;
  Request request;
  request.set_name(*name);
  request.set_etag(*etag);
  if (code_flag != nullptr) {
    std::optional<int> code = inv.RequiredCode(code_flag, codes, &rc);
    if (!code) return rc;
    set_code(request, *code);
  }
  v1::Referral response;
  rc = inv.CallOnce(rpc, request, &response);
  if (rc != kExitOk) return rc;
  return PrintReferral(inv, response, MsgId::kDoneReferralUpdated);
}

}  // namespace

void RegisterReferralCommands(CommandRegistry& r) {
  r.AddGroup({{"referral"}, MsgId::kGroupReferral});
  const FlagSpec etag = Flag("etag", FlagValue::kText, MsgId::kFlagEtag);
  const FlagSpec page_size =
      Flag("page-size", FlagValue::kNumber, MsgId::kFlagPageSize);
  const FlagSpec page_token =
      Flag("page-token", FlagValue::kText, MsgId::kFlagPageToken);
  const FlagSpec all = Flag("all", FlagValue::kNone, MsgId::kFlagAll);
  const std::vector<FlagSpec> list_flags = {
      CodeFlag("status", v1::ReferralStatus_descriptor(),
               MsgId::kFlagReferralStatus, true),
      CodeFlag("service", v1::ReferralServiceKind_descriptor(),
               MsgId::kFlagReferralService, true),
      Flag("overdue", FlagValue::kNone, MsgId::kFlagReferralOverdue),
      page_size,
      page_token,
      all};

  r.Add({{"referral", "create"},
         MsgId::kCmdReferralCreate,
         MsgId::kUsageReferralCreate,
         MsgId::kDetailsReferralCreate,
         {Flag("to", FlagValue::kText, MsgId::kFlagReferralTo),
          CodeFlag("service", v1::ReferralServiceKind_descriptor(),
                   MsgId::kFlagReferralService, true),
          CodeFlag("scope", v1::SharingScope_descriptor(),
                   MsgId::kFlagReferralScope),
          CodeFlag("consent-by", v1::ConsentGiver_descriptor(),
                   MsgId::kFlagConsentBy),
          CodeFlag("consent-method", v1::ConsentMethod_descriptor(),
                   MsgId::kFlagConsentMethod),
          Flag("consent-time", FlagValue::kTime, MsgId::kFlagConsentTime),
          Flag("override-reason-file", FlagValue::kFile,
               MsgId::kFlagOverrideReasonFile),
          Flag("note-file", FlagValue::kFile, MsgId::kFlagReferralNoteFile),
          Flag("request-id", FlagValue::kText, MsgId::kFlagRequestId)},
         1,
         1,
         RunCreate});
  r.Add({{"referral", "inbox"},
         MsgId::kCmdReferralInbox,
         MsgId::kUsageOptionsOnly,
         MsgId::kNone,
         list_flags,
         0,
         0,
         [](Invocation& inv) { return RunList(inv, v1::REFERRAL_BOX_INBOX); }});
  r.Add(
      {{"referral", "outbox"},
       MsgId::kCmdReferralOutbox,
       MsgId::kUsageOptionsOnly,
       MsgId::kNone,
       list_flags,
       0,
       0,
       [](Invocation& inv) { return RunList(inv, v1::REFERRAL_BOX_OUTBOX); }});
  r.Add({{"referral", "show"},
         MsgId::kCmdReferralShow,
         MsgId::kUsageReferralShow,
         MsgId::kNone,
         {Flag("view", FlagValue::kText, MsgId::kFlagView),
          CodeFlag("purpose", v1::AccessPurpose_descriptor(),
                   MsgId::kFlagPurpose)},
         1,
         1,
         RunShow});
  r.Add({{"referral", "follow-up", "add"},
         MsgId::kCmdReferralFollowUpAdd,
         MsgId::kUsageReferralFollowUpAdd,
         MsgId::kNone,
         {CodeFlag("kind", v1::FollowUpKind_descriptor(),
                   MsgId::kFlagFollowUpKind),
          Flag("occurred", FlagValue::kTime, MsgId::kFlagOccurred),
          Flag("notes-file", FlagValue::kFile, MsgId::kFlagNotesFile)},
         1,
         1,
         RunFollowUpAdd});
  r.Add({{"referral", "follow-up", "list"},
         MsgId::kCmdReferralFollowUpList,
         MsgId::kUsageReferralShow,
         MsgId::kNone,
         {CodeFlag("purpose", v1::AccessPurpose_descriptor(),
                   MsgId::kFlagPurpose),
          page_size, page_token, all},
         1,
         1,
         RunFollowUpList});
  r.Add({{"referral", "accept"},
         MsgId::kCmdReferralAccept,
         MsgId::kUsageReferralEtag,
         MsgId::kNone,
         {etag},
         1,
         1,
         [](Invocation& inv) {
           return RunTransition<v1::AcceptReferralRequest>(
               inv, nullptr, nullptr, nullptr, &Stub::AcceptReferral);
         }});
  r.Add({{"referral", "reject"},
         MsgId::kCmdReferralReject,
         MsgId::kUsageReferralEtag,
         MsgId::kNone,
         {etag, CodeFlag("reason", v1::ReferralRejectReason_descriptor(),
                         MsgId::kFlagReferralRejectReason)},
         1,
         1,
         [](Invocation& inv) {
           return RunTransition<v1::RejectReferralRequest>(
               inv, "reason", v1::ReferralRejectReason_descriptor(),
               [](v1::RejectReferralRequest& q, int c) {
                 q.set_reason(static_cast<v1::ReferralRejectReason>(c));
               },
               &Stub::RejectReferral);
         }});
  r.Add({{"referral", "complete"},
         MsgId::kCmdReferralComplete,
         MsgId::kUsageReferralEtag,
         MsgId::kNone,
         {etag, CodeFlag("outcome", v1::ReferralOutcome_descriptor(),
                         MsgId::kFlagReferralOutcome)},
         1,
         1,
         [](Invocation& inv) {
           return RunTransition<v1::CompleteReferralRequest>(
               inv, "outcome", v1::ReferralOutcome_descriptor(),
               [](v1::CompleteReferralRequest& q, int c) {
                 q.set_outcome(static_cast<v1::ReferralOutcome>(c));
               },
               &Stub::CompleteReferral);
         }});
  r.Add({{"referral", "withdraw"},
         MsgId::kCmdReferralWithdraw,
         MsgId::kUsageReferralEtag,
         MsgId::kDetailsReferralWithdraw,
         {etag, CodeFlag("reason", v1::ReferralWithdrawalReason_descriptor(),
                         MsgId::kFlagReferralWithdrawReason)},
         1,
         1,
         [](Invocation& inv) {
           return RunTransition<v1::WithdrawReferralRequest>(
               inv, "reason", v1::ReferralWithdrawalReason_descriptor(),
               [](v1::WithdrawReferralRequest& q, int c) {
                 q.set_reason(static_cast<v1::ReferralWithdrawalReason>(c));
               },
               &Stub::WithdrawReferral);
         }});
}

}  // namespace resguardo::cli
