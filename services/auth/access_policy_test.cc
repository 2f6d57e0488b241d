#include "services/auth/access_policy.h"

#include "absl/strings/str_cat.h"
#include "base/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "resguardo/v1/admin_service.pb.h"
#include "resguardo/v1/audit_service.pb.h"
#include "resguardo/v1/case_service.pb.h"
#include "resguardo/v1/referral_service.pb.h"

namespace resguardo::auth {
namespace {

using ::resguardo::testing::IsOk;
using ::resguardo::testing::StatusIs;
using ::testing::HasSubstr;

Principal As(std::set<v1::Role> roles, bool of_operator = false) {
  return Principal{"IEEPCO", "u1", std::move(roles), of_operator};
}

std::vector<std::string> MethodsOf(absl::string_view service) {
  // Linking the request messages registers their files' descriptors.
  (void)v1::CreateCaseRequest::descriptor();
  (void)v1::CreateUserRequest::descriptor();
  const auto* s =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          std::string(service));
  EXPECT_NE(s, nullptr) << service;
  std::vector<std::string> out;
  if (s == nullptr) return out;
  for (int i = 0; i < s->method_count(); ++i) {
    out.push_back(absl::StrCat("/", s->full_name(), "/", s->method(i)->name()));
  }
  return out;
}

TEST(AccessPolicyTest, EveryServedMethodHasARule) {
  const auto& policy = AccessPolicy::Default();
  for (const char* service :
       {"resguardo.v1.CaseService", "resguardo.v1.AdminService"}) {
    for (const std::string& m : MethodsOf(service)) {
      EXPECT_FALSE(policy.RolesFor(m).empty()) << m << " has no rule";
    }
  }
}

TEST(AccessPolicyTest, UnknownMethodsAreDenied) {
  EXPECT_THAT(AccessPolicy::Default().Check(
                  As({v1::ROLE_SUPERVISOR, v1::ROLE_ADMIN}, true),
                  "/resguardo.v1.CaseService/DropEverything"),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("no role may call")));
}

TEST(AccessPolicyTest, AnalystsAuditorsAndAdminsNeverReachCases) {
  for (v1::Role role : {v1::ROLE_ANALYST, v1::ROLE_AUDITOR, v1::ROLE_ADMIN}) {
    for (const std::string& m : MethodsOf("resguardo.v1.CaseService")) {
      EXPECT_THAT(AccessPolicy::Default().Check(As({role}), m),
                  StatusIs(absl::StatusCode::kPermissionDenied))
          << v1::Role_Name(role) << " " << m;
    }
  }
}

TEST(AccessPolicyTest, RoleMatrixOfCaseService) {
  const auto& p = AccessPolicy::Default();
  const std::string c = "/resguardo.v1.CaseService/";
  EXPECT_THAT(p.Check(As({v1::ROLE_REGISTRAR}), c + "CreateCase"), IsOk());
  EXPECT_THAT(
      p.Check(As({v1::ROLE_REGISTRAR}), c + "AddFollowUp"),
      StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("AddFollowUp")));
  EXPECT_THAT(p.Check(As({v1::ROLE_CASEWORKER}), c + "AddFollowUp"), IsOk());
  EXPECT_THAT(p.Check(As({v1::ROLE_CASEWORKER}), c + "CloseCase"),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(p.Check(As({v1::ROLE_CASEWORKER}), c + "EraseCasePersonalData"),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(p.Check(As({v1::ROLE_SUPERVISOR}), c + "EraseCasePersonalData"),
              IsOk());
  EXPECT_THAT(p.Check(As({}), c + "GetCase"),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // Resolutions: caseworkers and supervisors record them; only a
  // supervisor declares one final; a registrar does neither.
  EXPECT_THAT(p.Check(As({v1::ROLE_CASEWORKER}), c + "AddResolution"), IsOk());
  EXPECT_THAT(p.Check(As({v1::ROLE_REGISTRAR}), c + "AddResolution"),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(p.Check(As({v1::ROLE_CASEWORKER}), c + "SetResolutionFinal"),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(p.Check(As({v1::ROLE_SUPERVISOR}), c + "SetResolutionFinal"),
              IsOk());
}

TEST(AccessPolicyTest, OnlyTheOperatorsAdminsCreateInstitutions) {
  const auto& p = AccessPolicy::Default();
  const std::string m = "/resguardo.v1.AdminService/CreateInstitution";
  EXPECT_THAT(
      p.Check(As({v1::ROLE_ADMIN}), m),
      StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("operator")));
  EXPECT_THAT(p.Check(As({v1::ROLE_ADMIN}, true), m), IsOk());
  EXPECT_THAT(p.Check(As({v1::ROLE_SUPERVISOR}, true), m),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST(AccessPolicyTest, InstitutionScoping) {
  Principal admin = As({v1::ROLE_ADMIN});
  EXPECT_TRUE(CanActFor(admin, "IEEPCO", true));
  EXPECT_FALSE(CanActFor(admin, "FGEO", true));
  Principal op_admin = As({v1::ROLE_ADMIN}, true);
  EXPECT_TRUE(CanActFor(op_admin, "FGEO", true));
  // Operator status never opens another institution's cases.
  Principal op_supervisor = As({v1::ROLE_SUPERVISOR, v1::ROLE_ADMIN}, true);
  EXPECT_FALSE(CanActFor(op_supervisor, "FGEO", false));
}

TEST(AccessPolicyTest, ReferralMethodsHaveRulesAndNeverReachOversightRoles) {
  (void)v1::CreateReferralRequest::descriptor();
  for (const std::string& m : MethodsOf("resguardo.v1.ReferralService")) {
    EXPECT_FALSE(AccessPolicy::Default().RolesFor(m).empty()) << m;
    for (v1::Role role : {v1::ROLE_ANALYST, v1::ROLE_AUDITOR, v1::ROLE_ADMIN}) {
      EXPECT_THAT(AccessPolicy::Default().Check(As({role}, true), m),
                  StatusIs(absl::StatusCode::kPermissionDenied))
          << v1::Role_Name(role) << " " << m;
    }
  }
  const std::string r = "/resguardo.v1.ReferralService/";
  EXPECT_THAT(AccessPolicy::Default().Check(As({v1::ROLE_REGISTRAR}),
                                            r + "CreateReferral"),
              IsOk());
  EXPECT_THAT(AccessPolicy::Default().Check(As({v1::ROLE_REGISTRAR}),
                                            r + "AcceptReferral"),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST(AccessPolicyTest, OnlyAuditorsReachTheAuditLog) {
  (void)v1::GetCheckpointRequest::descriptor();
  const std::vector<std::string> methods =
      MethodsOf("resguardo.v1.AuditService");
  ASSERT_EQ(methods.size(), 5u);
  for (const std::string& m : methods) {
    EXPECT_THAT(AccessPolicy::Default().Check(As({v1::ROLE_AUDITOR}), m),
                IsOk())
        << m;
    for (v1::Role role :
         {v1::ROLE_REGISTRAR, v1::ROLE_CASEWORKER, v1::ROLE_SUPERVISOR,
          v1::ROLE_ANALYST, v1::ROLE_ADMIN}) {
      EXPECT_THAT(AccessPolicy::Default().Check(As({role}, true), m),
                  StatusIs(absl::StatusCode::kPermissionDenied))
          << v1::Role_Name(role) << " " << m;
    }
  }
}

TEST(AccessPolicyTest, OnlyAnalystsQueryStatistics) {
  for (const std::string query : {"/resguardo.v1.StatsService/Query",
                                  "/resguardo.v1.StatsService/GetAllowance"}) {
    EXPECT_THAT(AccessPolicy::Default().Check(As({v1::ROLE_ANALYST}), query),
                IsOk());
    for (v1::Role role :
         {v1::ROLE_REGISTRAR, v1::ROLE_CASEWORKER, v1::ROLE_SUPERVISOR,
          v1::ROLE_AUDITOR, v1::ROLE_ADMIN}) {
      EXPECT_THAT(AccessPolicy::Default().Check(As({role}, true), query),
                  StatusIs(absl::StatusCode::kPermissionDenied))
          << v1::Role_Name(role) << " " << query;
    }
  }
}

}  // namespace
}  // namespace resguardo::auth
