#include "clients/cli/related_case_commands.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "clients/cli/case_view.h"
#include "clients/cli/catalogue_codes.h"
#include "clients/cli/command_registry.h"
#include "clients/cli/dates.h"
#include "clients/cli/exit_codes.h"
#include "clients/cli/flag_values.h"
#include "clients/cli/messages.h"
#include "clients/cli/read_view.h"
#include "clients/cli/resource_names.h"
#include "clients/cli/table.h"
#include "clients/cli/terminal_text.h"
#include "resguardo/v1/admin_service.grpc.pb.h"
#include "resguardo/v1/case_service.grpc.pb.h"

namespace resguardo::cli {
namespace {

namespace v1 = resguardo::v1;
using Stub = v1::CaseService::Stub;

std::optional<std::string> CaseArg(Invocation& inv, int* exit_code) {
  absl::StatusOr<std::string> name = CaseNameFromArg(inv.args()[0]);
  if (!name.ok()) {
    *exit_code = inv.UsageError(Text(inv.lang(), MsgId::kErrNotAFolio));
    return std::nullopt;
  }
  return *name;
}

std::string Folio(const std::string& name) {
  return name.substr(name.rfind('/') + 1);
}

std::string Time(const google::protobuf::Timestamp& t, absl::TimeZone zone) {
  if (t.seconds() == 0 && t.nanos() == 0) return "";
  return FormatTimestamp(t, zone);
}

std::string RenderConsent(const v1::CoordinationConsent& c, Lang lang,
                          absl::TimeZone zone) {
  return absl::StrCat(
      LabelOf(v1::ConsentGiver_descriptor(), c.given_by(), lang), "; ",
      LabelOf(v1::ConsentMethod_descriptor(), c.method(), lang), "; ",
      Time(c.give_time(), zone), "; ",
      c.all_institutions()
          ? Text(lang, MsgId::kRelatedAllInstitutions)
          : TerminalSafe(absl::StrJoin(c.institutions(), ", ")));
}

// `told_elsewhere`: the caller is one the node tells of other
// institutions' cases and of her consent (caseworker, supervisor). The count
// has no field presence (a registrar gets 0), so for anyone else only the
// own-institution answer is shown: never a count the node did not give.
std::string RenderRelated(const v1::RelatedCases& r, bool told_elsewhere,
                          Lang lang, absl::TimeZone zone) {
  auto t = [lang](MsgId id) { return std::string(Text(lang, id)); };
  std::vector<std::pair<std::string, std::string>> fields = {
      {t(MsgId::kFieldRelatedOwn),
       t(r.related_case_at_own_institution() ? MsgId::kYes : MsgId::kNo)}};
  if (!told_elsewhere) return RenderRecord(fields);
  fields.push_back({t(MsgId::kFieldRelatedElsewhere),
                    absl::StrCat(r.other_institutions_case_count())});
  fields.push_back({t(MsgId::kFieldRelatedConsent),
                    r.has_coordination_consent()
                        ? RenderConsent(r.coordination_consent(), lang, zone)
                        : ""});
  std::string out = RenderRecord(fields);
  if (r.other_institutions_case_count() == 0) return out;
  if (!r.has_coordination_consent()) {
    return absl::StrCat(out, "\n", t(MsgId::kRelatedNoConsent), "\n");
  }
  if (r.related_cases().empty()) {
    return absl::StrCat(out, "\n", t(MsgId::kRelatedNamedNone), "\n");
  }
  Table table({t(MsgId::kFieldRelatedInstitution), t(MsgId::kFieldKind),
               t(MsgId::kFieldStatus), t(MsgId::kFieldReported),
               t(MsgId::kFieldCreated), t(MsgId::kFieldUpdated)});
  for (const v1::RelatedCase& c : r.related_cases()) {
    table.AddRow(
        {TerminalSafe(c.institution_display_name()),
         LabelOf(v1::InstitutionKind_descriptor(), c.institution_kind(), lang),
         LabelOf(v1::CaseStatus_descriptor(), c.status(), lang),
         FormatDate(c.reported_date()), Time(c.create_time(), zone),
         Time(c.update_time(), zone)});
  }
  return absl::StrCat(out, "\n", table.Render());
}

int RunRelated(Invocation& inv) {
  int rc = kExitOk;
  std::optional<std::string> name = CaseArg(inv, &rc);
  if (!name) return rc;
  v1::GetRelatedCasesRequest request;
  request.set_name(*name);
  std::optional<std::optional<int>> purpose = ParsePurpose(inv, &rc);
  if (!purpose) return rc;
  if (!purpose->has_value()) {
    return inv.UsageError(
        Msg(inv.lang(), MsgId::kErrMissingFlags, "--purpose"));
  }
  request.set_purpose(static_cast<v1::AccessPurpose>(**purpose));
  v1::RelatedCases response;
  rc = inv.CallOnce(&Stub::GetRelatedCases, request, &response);
  if (rc != kExitOk) return rc;
  // The table shows the count and the consent only to the roles the node
  // gives them to (GetRelatedCases, case_service.proto); --json prints what
  // the node sent.
  bool told_elsewhere = false;
  if (!inv.json()) {
    v1::CurrentUser me;
    rc = inv.CallOnce(&v1::AdminService::Stub::GetCurrentUser,
                      v1::GetCurrentUserRequest(), &me);
    if (rc != kExitOk) return rc;
    for (int role : me.roles()) {
      told_elsewhere |=
          role == v1::ROLE_CASEWORKER || role == v1::ROLE_SUPERVISOR;
    }
  }
  return inv.PrintHeaded(response, MsgId::kRelatedHeading, Folio(*name), [&] {
    return RenderRelated(response, told_elsewhere, inv.lang(), inv.zone());
  });
}

int PrintCase(Invocation& inv, const v1::Case& c, MsgId heading) {
  return inv.PrintHeaded(c, heading, c.folio(),
                         [&] { return RenderCase(c, inv.lang(), inv.zone()); });
}

int RunConsent(Invocation& inv) {
  const Lang lang = inv.lang();
  int rc = kExitOk;
  std::optional<std::string> name = CaseArg(inv, &rc);
  if (!name) return rc;
  v1::RecordCoordinationConsentRequest request;
  request.set_name(*name);
  std::optional<std::string> etag = inv.RequiredFlag("etag", &rc);
  if (!etag) return rc;
  request.set_etag(*etag);
  const std::vector<std::string> with = inv.flags().GetAll("with");
  const bool all = inv.flags().Has("with-all");
  if (all && !with.empty()) {
    return inv.UsageError(
        Msg(lang, MsgId::kErrFlagsExclusive, "--with", "--with-all"));
  }
  if (!all && with.empty()) {
    return inv.UsageError(
        Msg(lang, MsgId::kErrMissingFlags,
            Msg(lang, MsgId::kErrEitherFlags, "--with", "--with-all")));
  }
  v1::CoordinationConsent* c = request.mutable_consent();
  std::optional<int> by =
      inv.RequiredCode("consent-by", v1::ConsentGiver_descriptor(), &rc);
  if (!by) return rc;
  std::optional<int> how =
      inv.RequiredCode("consent-method", v1::ConsentMethod_descriptor(), &rc);
  if (!how) return rc;
  c->set_given_by(static_cast<v1::ConsentGiver>(*by));
  c->set_method(static_cast<v1::ConsentMethod>(*how));
  absl::StatusOr<std::optional<google::protobuf::Timestamp>> when =
      GetTimestamp(inv.flags(), "consent-time", inv.zone(), lang);
  if (!when.ok()) return inv.LocalError(when.status());
  if (when->has_value()) {
    *c->mutable_give_time() = **when;
  } else {
    c->mutable_give_time()->set_seconds(absl::ToUnixSeconds(absl::Now()));
  }
  c->set_all_institutions(all);
  for (const std::string& id : with) c->add_institutions(id);
  v1::Case response;
  rc = inv.CallOnce(&Stub::RecordCoordinationConsent, request, &response);
  if (rc != kExitOk) return rc;
  return PrintCase(inv, response, MsgId::kDoneConsentRecorded);
}

int RunConsentWithdraw(Invocation& inv) {
  int rc = kExitOk;
  std::optional<std::string> name = CaseArg(inv, &rc);
  if (!name) return rc;
  v1::WithdrawCoordinationConsentRequest request;
  request.set_name(*name);
  std::optional<std::string> etag = inv.RequiredFlag("etag", &rc);
  if (!etag) return rc;
  request.set_etag(*etag);
  v1::Case response;
  rc = inv.CallOnce(&Stub::WithdrawCoordinationConsent, request, &response);
  if (rc != kExitOk) return rc;
  return PrintCase(inv, response, MsgId::kDoneConsentWithdrawn);
}

}  // namespace

void NoteRelatedCases(Invocation& inv, const std::string& case_name,
                      int purpose) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = inv.Channel();
  if (!channel.ok()) return;
  Stub stub(*channel);
  v1::GetRelatedCasesRequest request;
  request.set_name(case_name);
  request.set_purpose(static_cast<v1::AccessPurpose>(purpose));
  v1::RelatedCases related;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  if (!stub.GetRelatedCases(&context, request, &related).ok()) return;
  const Lang lang = inv.lang();
  if (related.related_case_at_own_institution()) {
    inv.Note(Text(lang, MsgId::kRelatedHintOwn));
  }
  if (related.other_institutions_case_count() > 0) {
    inv.Note(Msg(lang, MsgId::kRelatedHint,
                 related.other_institutions_case_count(), Folio(case_name),
                 CodeOf(v1::AccessPurpose_descriptor(), purpose)));
  }
}

void RegisterRelatedCaseCommands(CommandRegistry& r) {
  const FlagSpec etag = Flag("etag", FlagValue::kText, MsgId::kFlagEtag);
  r.Add({{"case", "related"},
         MsgId::kCmdCaseRelated,
         MsgId::kUsageCaseRelated,
         MsgId::kDetailsCaseRelated,
         {CodeFlag("purpose", v1::AccessPurpose_descriptor(),
                   MsgId::kFlagPurpose)},
         1,
         1,
         RunRelated});
  r.Add({{"case", "consent"},
         MsgId::kCmdCaseConsent,
         MsgId::kUsageCaseConsent,
         MsgId::kDetailsCaseConsent,
         {etag,
          CodeFlag("consent-by", v1::ConsentGiver_descriptor(),
                   MsgId::kFlagConsentBy),
          CodeFlag("consent-method", v1::ConsentMethod_descriptor(),
                   MsgId::kFlagConsentMethod),
          Flag("consent-time", FlagValue::kTime, MsgId::kFlagConsentTime),
          Flag("with", FlagValue::kText, MsgId::kFlagConsentWith, true),
          Flag("with-all", FlagValue::kNone, MsgId::kFlagConsentWithAll)},
         1,
         1,
         RunConsent});
  r.Add({{"case", "consent-withdraw"},
         MsgId::kCmdCaseConsentWithdraw,
         MsgId::kUsageCaseConsentWithdraw,
         MsgId::kNone,
         {etag},
         1,
         1,
         RunConsentWithdraw});
}

}  // namespace resguardo::cli
