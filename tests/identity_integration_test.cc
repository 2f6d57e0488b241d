// Identity and roles over real mTLS (issue 13, items 4 and 10): the real
// resguardod, each user with her own certificate.
//   - role separation holds between two administrators, and over time: a
//     user who has held ADMIN or AUDITOR never receives a case role, nor the
//     reverse; role changes are audited with the roles before and after;
//   - the audit entry of a caller the directory did not accept records the
//     identity her certificate claims, marked unverified;
//   - a disabled user enabled again (EnableUser, issue 17) is accepted
//     again with her roles; the call is audited like DisableUser.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resguardo/v1/admin_service.grpc.pb.h"
#include "resguardo/v1/audit.pb.h"
#include "resguardo/v1/case_service.grpc.pb.h"
#include "tests/testing/test_node.h"

namespace resguardo {
namespace {

using ::resguardo::testing::TestNode;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kInstitution[] = "IEEPCO";

class IdentityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<TestNode>> node = TestNode::Create();
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = node->release();
    for (const char* user : {"admin.b", "cw", "ghost", "gone", "back"}) {
      ASSERT_TRUE(node_->IssueClientCert(kInstitution, user).ok());
    }
    absl::Status started = node_->Start();
    ASSERT_TRUE(started.ok()) << started;
    ASSERT_TRUE(CreateUser("admin.b", v1::ROLE_ADMIN, &admin_b_).ok());
    ASSERT_TRUE(CreateUser("cw", v1::ROLE_CASEWORKER, &caseworker_).ok());
    v1::User gone;
    ASSERT_TRUE(CreateUser("gone", v1::ROLE_REGISTRAR, &gone).ok());
    v1::DisableUserRequest disable;
    disable.set_name(gone.name());
    disable.set_etag(gone.etag());
    v1::User disabled;
    grpc::Status s =
        Admin(testing::kOperatorAdmin)
            ->DisableUser(TestNode::Context().get(), disable, &disabled);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  static void TearDownTestSuite() {
    if (node_ == nullptr) return;
    absl::StatusOr<int> code = node_->Stop();
    EXPECT_TRUE(code.ok());
    delete node_;
    node_ = nullptr;
  }

  void SetUp() override {
    if (node_ == nullptr) GTEST_SKIP() << "the node did not start";
  }

  static std::unique_ptr<v1::AdminService::Stub> Admin(const char* user) {
    return v1::AdminService::NewStub(node_->Channel(kInstitution, user));
  }
  static std::unique_ptr<v1::CaseService::Stub> Cases(const char* user) {
    return v1::CaseService::NewStub(node_->Channel(kInstitution, user));
  }

  static grpc::Status CreateUser(const char* user, v1::Role role,
                                 v1::User* out) {
    v1::CreateUserRequest request;
    request.set_parent(absl::StrCat("institutions/", kInstitution));
    request.mutable_user()->set_user_id(user);
    request.mutable_user()->add_roles(role);
    return Admin(testing::kOperatorAdmin)
        ->CreateUser(TestNode::Context(absl::StrCat("create-", user)).get(),
                     request, out);
  }

  // `by` sets `user`'s roles; `rid` is the request id.
  static grpc::Status SetRoles(const char* by, v1::User& user,
                               std::vector<v1::Role> roles,
                               const std::string& rid) {
    v1::SetUserRolesRequest request;
    request.set_name(user.name());
    request.set_etag(user.etag());
    for (v1::Role role : roles) request.add_roles(role);
    v1::User changed;
    grpc::Status s = Admin(by)->SetUserRoles(TestNode::Context(rid).get(),
                                             request, &changed);
    if (s.ok()) user = changed;
    return s;
  }

  static grpc::Status ListCases(const char* user, const std::string& rid) {
    v1::ListCasesRequest request;
    request.set_parent(absl::StrCat("institutions/", kInstitution));
    v1::ListCasesResponse response;
    return Cases(user)->ListCases(TestNode::Context(rid).get(), request,
                                  &response);
  }

  static v1::AuditEntry EntryOf(const std::string& request_id) {
    absl::StatusOr<std::vector<v1::AuditEntry>> entries = node_->AuditEntries();
    EXPECT_TRUE(entries.ok()) << entries.status();
    std::vector<v1::AuditEntry> found;
    if (entries.ok()) {
      for (const v1::AuditEntry& e : *entries) {
        if (e.request_id() == request_id) found.push_back(e);
      }
    }
    EXPECT_EQ(found.size(), 1u) << request_id;
    return found.empty() ? v1::AuditEntry() : found[0];
  }

  static TestNode* node_;
  static v1::User admin_b_;
  static v1::User caseworker_;
};

TestNode* IdentityTest::node_ = nullptr;
v1::User IdentityTest::admin_b_;
v1::User IdentityTest::caseworker_;

TEST_F(IdentityTest, TwoAdministratorsCannotGiveEachOtherCaseRoles) {
  // Admin B holds no case role: she cannot list cases.
  EXPECT_EQ(ListCases("admin.b", "b-list-1").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // Admin A gives admin B SUPERVISOR: refused, and audited with B's roles
  // before and the roles asked for.
  grpc::Status s = SetRoles(testing::kOperatorAdmin, admin_b_,
                            {v1::ROLE_SUPERVISOR}, "a-b-supervisor");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(),
              HasSubstr("roles: this user has held ADMIN or AUDITOR, so she "
                        "may never receive REGISTRAR, CASEWORKER or "
                        "SUPERVISOR"));
  v1::AuditEntry refused = EntryOf("a-b-supervisor");
  EXPECT_EQ(refused.outcome(), 9);  // FAILED_PRECONDITION
  EXPECT_EQ(refused.resource(), admin_b_.name());
  EXPECT_THAT(refused.subject_roles_before(), ElementsAre(v1::ROLE_ADMIN));
  EXPECT_THAT(refused.subject_roles_after(), ElementsAre(v1::ROLE_SUPERVISOR));
  EXPECT_EQ(ListCases("admin.b", "b-list-2").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // Nor the other way: B gives A REGISTRAR.
  v1::ListUsersRequest list;
  list.set_parent(absl::StrCat("institutions/", kInstitution));
  v1::ListUsersResponse users;
  ASSERT_TRUE(Admin("admin.b")
                  ->ListUsers(TestNode::Context().get(), list, &users)
                  .ok());
  v1::User admin_a;
  for (const v1::User& u : users.users()) {
    if (u.user_id() == testing::kOperatorAdmin) admin_a = u;
  }
  ASSERT_FALSE(admin_a.name().empty());
  s = SetRoles("admin.b", admin_a, {v1::ROLE_REGISTRAR}, "b-a-registrar");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("has held ADMIN or AUDITOR"));

  // Through a neutral role: the record of ADMIN stays.
  ASSERT_TRUE(SetRoles(testing::kOperatorAdmin, admin_b_, {v1::ROLE_ANALYST},
                       "a-b-analyst")
                  .ok());
  v1::AuditEntry changed = EntryOf("a-b-analyst");
  EXPECT_EQ(changed.outcome(), 0);
  EXPECT_THAT(changed.subject_roles_before(), ElementsAre(v1::ROLE_ADMIN));
  EXPECT_THAT(changed.subject_roles_after(), ElementsAre(v1::ROLE_ANALYST));
  s = SetRoles(testing::kOperatorAdmin, admin_b_, {v1::ROLE_SUPERVISOR},
               "a-b-supervisor-2");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ListCases("admin.b", "b-list-3").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // The creation is audited with the roles given.
  v1::AuditEntry created = EntryOf("create-admin.b");
  EXPECT_THAT(created.subject_roles_before(), IsEmpty());
  EXPECT_THAT(created.subject_roles_after(), ElementsAre(v1::ROLE_ADMIN));
}

TEST_F(IdentityTest, ACaseworkerNeverBecomesAdministratorOrAuditor) {
  for (v1::Role oversight : {v1::ROLE_ADMIN, v1::ROLE_AUDITOR}) {
    const std::string rid = absl::StrCat("cw-", oversight);
    grpc::Status s =
        SetRoles(testing::kOperatorAdmin, caseworker_, {oversight}, rid);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_THAT(s.error_message(),
                HasSubstr("has held REGISTRAR, CASEWORKER or SUPERVISOR, so "
                          "she may never receive ADMIN or AUDITOR"));
    v1::AuditEntry entry = EntryOf(rid);
    EXPECT_THAT(entry.subject_roles_before(), ElementsAre(v1::ROLE_CASEWORKER));
    EXPECT_THAT(entry.subject_roles_after(), ElementsAre(oversight));
  }
  // Case roles among themselves are fine.
  EXPECT_TRUE(SetRoles(testing::kOperatorAdmin, caseworker_,
                       {v1::ROLE_SUPERVISOR}, "cw-supervisor")
                  .ok());
  EXPECT_TRUE(ListCases("cw", "cw-list").ok());
}

TEST_F(IdentityTest, AnUnknownUsersClaimedIdentityIsMarkedUnverified) {
  EXPECT_EQ(ListCases("ghost", "ghost-1").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  v1::AuditEntry ghost = EntryOf("ghost-1");
  EXPECT_EQ(ghost.note(), "unauthenticated:unknown-user");
  EXPECT_EQ(ghost.actor(), "institutions/IEEPCO/users/ghost");
  EXPECT_EQ(ghost.institution(), kInstitution);
  EXPECT_TRUE(ghost.actor_unverified());
  EXPECT_THAT(ghost.roles(), IsEmpty());

  EXPECT_EQ(ListCases("gone", "gone-1").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::AuditEntry gone = EntryOf("gone-1");
  EXPECT_EQ(gone.note(), "denied:user-disabled");
  EXPECT_EQ(gone.actor(), "institutions/IEEPCO/users/gone");
  EXPECT_TRUE(gone.actor_unverified());
  EXPECT_THAT(gone.roles(), IsEmpty());

  // An authenticated caller's entry is not marked, refused or not.
  EXPECT_EQ(ListCases(testing::kOperatorAdmin, "admin-list").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::AuditEntry admin = EntryOf("admin-list");
  EXPECT_EQ(admin.note(), "denied:role");
  EXPECT_EQ(admin.actor(), "institutions/IEEPCO/users/admin");
  EXPECT_FALSE(admin.actor_unverified());
  EXPECT_THAT(admin.roles(), ElementsAre(v1::ROLE_ADMIN));
}

TEST_F(IdentityTest, ADisabledUserEnabledAgainIsAcceptedAgain) {
  v1::User back;
  ASSERT_TRUE(CreateUser("back", v1::ROLE_REGISTRAR, &back).ok());
  EXPECT_TRUE(ListCases("back", "back-list-1").ok());
  v1::DisableUserRequest disable;
  disable.set_name(back.name());
  disable.set_etag(back.etag());
  v1::User disabled;
  grpc::Status s =
      Admin(testing::kOperatorAdmin)
          ->DisableUser(TestNode::Context().get(), disable, &disabled);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(ListCases("back", "back-list-2").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // Only an admin may enable: the role × method table refuses a case role.
  v1::EnableUserRequest enable;
  enable.set_name(back.name());
  enable.set_etag(disabled.etag());
  v1::User enabled;
  EXPECT_EQ(
      Admin("cw")
          ->EnableUser(TestNode::Context("cw-enable").get(), enable, &enabled)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(EntryOf("cw-enable").note(), "denied:role");

  // The etag read before the disabling is stale: ABORTED, audited.
  enable.set_etag(back.etag());
  EXPECT_EQ(Admin(testing::kOperatorAdmin)
                ->EnableUser(TestNode::Context("back-enable-stale").get(),
                             enable, &enabled)
                .error_code(),
            grpc::StatusCode::ABORTED);
  EXPECT_EQ(EntryOf("back-enable-stale").outcome(), 10);

  enable.set_etag(disabled.etag());
  s = Admin(testing::kOperatorAdmin)
          ->EnableUser(TestNode::Context("back-enable").get(), enable,
                       &enabled);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_FALSE(enabled.disabled());
  EXPECT_THAT(enabled.roles(), ElementsAre(v1::ROLE_REGISTRAR));
  v1::AuditEntry entry = EntryOf("back-enable");
  EXPECT_EQ(entry.outcome(), 0);
  EXPECT_EQ(entry.method(), "/resguardo.v1.AdminService/EnableUser");
  EXPECT_EQ(entry.resource(), back.name());
  EXPECT_EQ(entry.actor(), "institutions/IEEPCO/users/admin");

  // Her certificate works again, with her roles.
  EXPECT_TRUE(ListCases("back", "back-list-3").ok());

  // Once more: she is not disabled.
  enable.set_etag(enabled.etag());
  s = Admin(testing::kOperatorAdmin)
          ->EnableUser(TestNode::Context("back-enable-again").get(), enable,
                       &enabled);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("not disabled"));
  EXPECT_EQ(EntryOf("back-enable-again").outcome(), 9);
}

}  // namespace
}  // namespace resguardo
