#include "services/auth/access_policy.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "services/api/error_catalogue.h"
#include "services/store/statement.h"

namespace resguardo::auth {
namespace {

using v1::Role;
constexpr Role kRegistrar = v1::ROLE_REGISTRAR;
constexpr Role kCaseworker = v1::ROLE_CASEWORKER;
constexpr Role kSupervisor = v1::ROLE_SUPERVISOR;
constexpr Role kAdmin = v1::ROLE_ADMIN;

constexpr char kCase[] = "/resguardo.v1.CaseService/";
constexpr char kAdminSvc[] = "/resguardo.v1.AdminService/";
constexpr char kAuditSvc[] = "/resguardo.v1.AuditService/";
constexpr char kReferral[] = "/resguardo.v1.ReferralService/";

}  // namespace

AccessPolicy::AccessPolicy() {
  auto allow = [this](absl::string_view service, absl::string_view method,
                      std::set<Role> roles) {
    rules_[absl::StrCat(service, method)] = Rule{std::move(roles)};
  };
  // CaseService: registrars register and request protection; caseworkers
  // follow up; supervisors also close, reopen and erase. Analysts, auditors
  // and admins never read a case.
  allow(kCase, "CreateCase", {kRegistrar, kCaseworker, kSupervisor});
  allow(kCase, "GetCase", {kRegistrar, kCaseworker, kSupervisor});
  allow(kCase, "ListCases", {kRegistrar, kCaseworker, kSupervisor});
  allow(kCase, "UpdateCase", {kCaseworker, kSupervisor});
  allow(kCase, "AddFollowUp", {kCaseworker, kSupervisor});
  allow(kCase, "ListFollowUps", {kCaseworker, kSupervisor});
  allow(kCase, "AddProtectionMeasure", {kRegistrar, kCaseworker, kSupervisor});
  allow(kCase, "SetProtectionMeasureStatus", {kCaseworker, kSupervisor});
  allow(kCase, "CloseCase", {kSupervisor});
  allow(kCase, "ReopenCase", {kSupervisor});
  allow(kCase, "EraseCasePersonalData", {kSupervisor});
  // Resolutions (issue 19): the institution's caseworkers and supervisors
  // record and correct the proceeding's outcome, its appeals and the
  // reparation measures' compliance, as they follow the case; declaring a
  // resolution final fixes it and opens the registry of sanctioned persons
  // to its inscription: supervisors only. Registrars register, they do not
  // follow the proceeding.
  for (const char* m :
       {"AddResolution", "UpdateResolution", "FileAppeal", "DecideAppeal",
        "AddReparationMeasure", "SetReparationMeasureStatus"}) {
    allow(kCase, m, {kCaseworker, kSupervisor});
  }
  allow(kCase, "SetResolutionFinal", {kSupervisor});
  // ReferralService: the sending institution's registrars, caseworkers and
  // supervisors refer a case (a consent override: supervisors only, checked
  // by the ReferralStore) and read their outbox; the receiving
  // institution's caseworkers and supervisors work the inbox (accept,
  // reject, complete) and read the shared data; either side withdraws
  // (sender, or the victim's withdrawal of consent). Which side may do what
  // is checked by the ReferralStore. Analysts, auditors and admins never
  // read a referral.
  allow(kReferral, "CreateReferral", {kRegistrar, kCaseworker, kSupervisor});
  allow(kReferral, "GetReferral", {kRegistrar, kCaseworker, kSupervisor});
  allow(kReferral, "ListReferrals", {kRegistrar, kCaseworker, kSupervisor});
  allow(kReferral, "AcceptReferral", {kCaseworker, kSupervisor});
  allow(kReferral, "RejectReferral", {kCaseworker, kSupervisor});
  allow(kReferral, "CompleteReferral", {kCaseworker, kSupervisor});
  allow(kReferral, "WithdrawReferral", {kCaseworker, kSupervisor});
  allow(kReferral, "WatchAlerts", {kCaseworker, kSupervisor});
  allow(kReferral, "ListAlerts", {kCaseworker, kSupervisor});
  allow(kReferral, "AddReferralFollowUp", {kCaseworker, kSupervisor});
  allow(kReferral, "ListReferralFollowUps", {kCaseworker, kSupervisor});
  // RegistryService: supervisors inscribe and delist (their institution's
  // cases, checked by registry::RegistryStore); caseworkers and supervisors
  // list their institution's entries; registrars, caseworkers and
  // supervisors search the registry in force and export it (public data).
  constexpr char kRegistry[] = "/resguardo.v1.RegistryService/";
  allow(kRegistry, "Inscribe", {kSupervisor});
  allow(kRegistry, "DelistRegistryEntry", {kSupervisor});
  allow(kRegistry, "ListRegistryEntries", {kCaseworker, kSupervisor});
  allow(kRegistry, "SearchRegistry", {kRegistrar, kCaseworker, kSupervisor});
  allow(kRegistry, "ExportRegistry", {kRegistrar, kCaseworker, kSupervisor});
  // AuditService: auditors only. Which entries an auditor sees (her
  // institution's, or all for an oversight institution) and who may export
  // the whole log (oversight auditors) is checked by audit::AuditReader.
  for (const char* m : {"GetCheckpoint", "ListEntries", "GetInclusionProof",
                        "GetConsistencyProof", "ExportLog"}) {
    allow(kAuditSvc, m, {v1::ROLE_AUDITOR});
  }
  // StatsService: analysts only (counts, never rows). Which institutions an
  // analyst may count (all for an oversight institution, else her own) is
  // checked by stats::StatsEngine::CheckScope. Caseworkers and supervisors
  // see their cases already; statistics are not their need to know.
  allow("/resguardo.v1.StatsService/", "Query", {v1::ROLE_ANALYST});
  allow("/resguardo.v1.StatsService/", "GetAllowance", {v1::ROLE_ANALYST});
  // AdminService: admins manage their own institution's users; the
  // operator's admins also create institutions.
  allow(kAdminSvc, "CreateUser", {kAdmin});
  allow(kAdminSvc, "SetUserRoles", {kAdmin});
  allow(kAdminSvc, "DisableUser", {kAdmin});
  allow(kAdminSvc, "EnableUser", {kAdmin});
  allow(kAdminSvc, "ListUsers", {kAdmin});
  rules_[absl::StrCat(kAdminSvc, "CreateInstitution")] =
      Rule{{kAdmin}, /*operator_only=*/true};
  rules_[absl::StrCat(kAdminSvc, "ListInstitutions")] =
      Rule{{}, false, /*any_authenticated=*/true};
  // Every enabled user reads who she is (her own user, roles, institution).
  rules_[absl::StrCat(kAdminSvc, "GetCurrentUser")] =
      Rule{{}, false, /*any_authenticated=*/true};
  // Health and reflection carry no case data: any authenticated user.
  for (const char* m :
       {"/grpc.health.v1.Health/Check", "/grpc.health.v1.Health/Watch",
        "/grpc.reflection.v1alpha.ServerReflection/"
        "ServerReflectionInfo"}) {
    rules_[m] = Rule{{}, false, /*any_authenticated=*/true};
  }
}

const AccessPolicy& AccessPolicy::Default() {
  static const AccessPolicy* policy = new AccessPolicy();
  return *policy;
}

absl::Status AccessPolicy::Check(const Principal& principal,
                                 absl::string_view full_method) const {
  auto it = rules_.find(full_method);
  if (it == rules_.end()) {
    return api::WithErrorText(absl::PermissionDeniedError(absl::StrCat(
                                  "no role may call ", full_method)),
                              api::ErrorId::kDeniedNoRoleMayCall);
  }
  const Rule& rule = it->second;
  if (rule.any_authenticated) return absl::OkStatus();
  if (rule.operator_only && !principal.of_operator) {
    return api::WithErrorText(
        absl::PermissionDeniedError(absl::StrCat(
            full_method, " is reserved to the node operator's administrators")),
        api::ErrorId::kDeniedOperatorOnly);
  }
  for (Role role : principal.roles) {
    if (rule.roles.count(role)) return absl::OkStatus();
  }
  return api::WithErrorText(
      absl::PermissionDeniedError(
          absl::StrCat("the caller's roles do not allow ", full_method)),
      api::ErrorId::kDeniedRole);
}

std::set<v1::Role> AccessPolicy::RolesFor(absl::string_view full_method) const {
  auto it = rules_.find(full_method);
  if (it == rules_.end()) return {};
  if (it->second.any_authenticated) {
    return {kRegistrar,       kCaseworker,      kSupervisor,
            v1::ROLE_ANALYST, v1::ROLE_AUDITOR, kAdmin};
  }
  return it->second.roles;
}

std::set<std::string> AccessPolicy::Methods() const {
  std::set<std::string> out;
  for (const auto& [method, rule] : rules_) out.insert(method);
  return out;
}

bool CanActFor(const Principal& principal, absl::string_view institution,
               bool admin_method) {
  if (principal.institution == institution) return true;
  return admin_method && principal.of_operator && principal.Has(kAdmin);
}

absl::StatusOr<bool> IsOversight(store::ReadTxn& txn,
                                 absl::string_view institution) {
  ASSIGN_OR_RETURN(store::Statement q,
                   txn.Prepare("SELECT kind FROM institutions WHERE id = ?1"));
  RETURN_IF_ERROR(q.BindText(1, institution));
  ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return false;
  ASSIGN_OR_RETURN(int64_t kind, q.ColumnInt64(0));
  return kind == v1::INSTITUTION_KIND_OVERSIGHT;
}

}  // namespace resguardo::auth
