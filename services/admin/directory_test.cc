#include "services/admin/directory.h"

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "base/status_macros.h"
#include "base/testing/status_matchers.h"
#include "crypto/key_provider.h"
#include "crypto/secret_data.h"
#include "crypto/testing/fixed_key_provider.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/admin/testing/test_institutions.h"
#include "services/api/error_catalogue.h"
#include "services/api/field_violations.h"
#include "services/schema/node_schema.h"
#include "services/store/database.h"
#include "services/store/testing/temp_dir.h"

namespace resguardo::admin {
namespace {

using ::resguardo::admin::testing::Caller;
using ::resguardo::testing::IsOk;
using ::resguardo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

OperatorInstitution Operator() {
  return {"IEEPCO", "Instituto Estatal Electoral de Oaxaca",
          v1::INSTITUTION_KIND_ELECTORAL_INSTITUTE, "20"};
}

class DirectoryTest : public ::testing::Test {
 protected:
  template <typename Fn>
  auto Write(Fn fn) {
    return db_->Write([&](store::WriteTxn& txn) { return fn(txn); });
  }
  template <typename Fn>
  auto Read(Fn fn) {
    return db_->Read([&](store::ReadTxn& txn) { return fn(txn); });
  }

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(Open(true));
    ASSERT_OK(db_->Write([&](store::WriteTxn& txn) {
      return directory_->Bootstrap(txn, Operator(), "admin");
    }));
    ASSERT_OK(Write([&](store::WriteTxn& txn) {
      v1::CreateInstitutionRequest r;
      r.mutable_institution()->set_institution_id("FGEO");
      r.mutable_institution()->set_display_name("Fiscalía General de Oaxaca");
      r.mutable_institution()->set_kind(v1::INSTITUTION_KIND_PROSECUTOR);
      r.mutable_institution()->set_state_code("20");
      return directory_->CreateInstitution(txn, op_admin_, r);
    }));
  }

  void Open(bool create) {
    store::Database::Options options;
    options.create_if_missing = create;
    options.read_connections = 2;
    options.migrations = schema::NodeMigrations();
    ASSERT_OK_AND_ASSIGN(
        db_, store::Database::Open(dir_.File("node.db"), db_key_, options));
    ASSERT_OK_AND_ASSIGN(directory_, Directory::New(keys_, &clock_));
  }

  absl::StatusOr<v1::User> CreateUser(const auth::Principal& caller,
                                      std::string parent, std::string user,
                                      std::vector<v1::Role> roles) {
    v1::CreateUserRequest r;
    r.set_parent(parent);
    r.mutable_user()->set_user_id(user);
    for (v1::Role role : roles) r.mutable_user()->add_roles(role);
    return Write([&](store::WriteTxn& txn) {
      return directory_->CreateUser(txn, caller, r);
    });
  }

  absl::StatusOr<auth::Principal> Authenticate(std::string institution,
                                               std::string user) {
    return Read([&](store::ReadTxn& txn) {
      return directory_->Authenticate(txn, {institution, user});
    });
  }

  store::testing::TempDir dir_;
  crypto::SecretData db_key_{std::string(32, 'd')};
  crypto::testing::FixedKeyProvider keys_{'m'};
  FakeClock clock_{absl::FromUnixSeconds(1767225600)};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<Directory> directory_;
  auth::Principal op_admin_ =
      Caller("IEEPCO", "admin", {v1::ROLE_ADMIN}, /*of_operator=*/true);
  auth::Principal fgeo_admin_ =
      Caller("FGEO", "boss", {v1::ROLE_ADMIN}, /*of_operator=*/false);
};

TEST_F(DirectoryTest, BootstrapCreatesTheOperatorAndItsFirstAdmin) {
  ASSERT_OK_AND_ASSIGN(auth::Principal p, Authenticate("IEEPCO", "admin"));
  EXPECT_EQ(p.institution, "IEEPCO");
  EXPECT_EQ(p.user, "admin");
  EXPECT_TRUE(p.of_operator);
  EXPECT_THAT(p.roles, ElementsAre(v1::ROLE_ADMIN));
}

TEST_F(DirectoryTest, BootstrapIsIdempotent) {
  auto count = [&](const char* table) {
    return Read([&](store::ReadTxn& txn) -> absl::StatusOr<int64_t> {
      ASSIGN_OR_RETURN(
          store::Statement s,
          txn.Prepare(absl::StrCat("SELECT count(*) FROM ", table)));
      ASSIGN_OR_RETURN(bool row, s.Step());
      (void)row;
      return s.ColumnInt64(0);
    });
  };
  ASSERT_OK_AND_ASSIGN(int64_t users, count("users"));
  ASSERT_OK_AND_ASSIGN(int64_t keks, count("kek_versions"));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const crypto::Envelope> before,
                       Read([&](store::ReadTxn& txn) {
                         return directory_->EnvelopeFor(txn, "IEEPCO");
                       }));
  ASSERT_OK(Write([&](store::WriteTxn& txn) {
    return directory_->Bootstrap(txn, Operator(), "admin");
  }));
  ASSERT_OK_AND_ASSIGN(int64_t users_after, count("users"));
  ASSERT_OK_AND_ASSIGN(int64_t keks_after, count("kek_versions"));
  EXPECT_EQ(users_after, users);
  EXPECT_EQ(keks_after, keks);
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const crypto::Envelope> after,
                       Read([&](store::ReadTxn& txn) {
                         return directory_->EnvelopeFor(txn, "IEEPCO");
                       }));
  EXPECT_EQ(before, after);  // same rows: the cached ring
}

TEST_F(DirectoryTest, BootstrapRefusesASecondOperator) {
  OperatorInstitution other = Operator();
  other.institution_id = "INE";
  EXPECT_THAT(Write([&](store::WriteTxn& txn) {
                return directory_->Bootstrap(txn, other, "admin");
              }),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("another operator")));
}

TEST_F(DirectoryTest, BootstrapValidatesItsFields) {
  OperatorInstitution bad = Operator();
  bad.institution_id = "ieepco";
  EXPECT_THAT(Write([&](store::WriteTxn& txn) {
                return directory_->Bootstrap(txn, bad, "admin");
              }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'institution_id'")));
  EXPECT_THAT(
      Write([&](store::WriteTxn& txn) {
        return directory_->Bootstrap(txn, Operator(), "Admin!");
      }),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'user_id'")));
}

TEST_F(DirectoryTest, UnknownUsersAndInstitutionsAreUnauthenticated) {
  EXPECT_THAT(Authenticate("IEEPCO", "nobody"),
              StatusIs(absl::StatusCode::kUnauthenticated, "unknown user"));
  EXPECT_THAT(Authenticate("NOWHERE", "admin"),
              StatusIs(absl::StatusCode::kUnauthenticated, "unknown user"));
}

TEST_F(DirectoryTest, DisabledUsersAreRefused) {
  ASSERT_OK_AND_ASSIGN(v1::User ana,
                       CreateUser(fgeo_admin_, "institutions/FGEO", "ana",
                                  {v1::ROLE_CASEWORKER}));
  ASSERT_OK_AND_ASSIGN(auth::Principal p, Authenticate("FGEO", "ana"));
  EXPECT_FALSE(p.of_operator);
  EXPECT_THAT(p.roles, ElementsAre(v1::ROLE_CASEWORKER));
  v1::DisableUserRequest r;
  r.set_name(ana.name());
  r.set_etag(ana.etag());
  ASSERT_OK_AND_ASSIGN(v1::User disabled, Write([&](store::WriteTxn& txn) {
                         return directory_->DisableUser(txn, fgeo_admin_, r);
                       }));
  EXPECT_TRUE(disabled.disabled());
  EXPECT_NE(disabled.etag(), ana.etag());
  EXPECT_THAT(Authenticate("FGEO", "ana"),
              StatusIs(absl::StatusCode::kPermissionDenied, "user disabled"));
  // Once more with the new etag: already disabled.
  r.set_etag(disabled.etag());
  EXPECT_THAT(Write([&](store::WriteTxn& txn) {
                return directory_->DisableUser(txn, fgeo_admin_, r);
              }),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("already disabled")));
}

TEST_F(DirectoryTest, ADisabledUserIsEnabledAgainWithHerRoles) {
  ASSERT_OK_AND_ASSIGN(v1::User ana,
                       CreateUser(fgeo_admin_, "institutions/FGEO", "ana",
                                  {v1::ROLE_CASEWORKER}));
  v1::EnableUserRequest enable;
  enable.set_name(ana.name());
  enable.set_etag(ana.etag());
  // Not disabled: nothing to enable, in the catalogue's words.
  absl::StatusOr<v1::User> refused = Write([&](store::WriteTxn& txn) {
    return directory_->EnableUser(txn, fgeo_admin_, enable);
  });
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition,
                                "the user is not disabled"));
  EXPECT_EQ(api::ErrorTextOf(refused.status()),
            api::ErrorText(api::ErrorId::kUserNotDisabled));
  v1::DisableUserRequest disable;
  disable.set_name(ana.name());
  disable.set_etag(ana.etag());
  ASSERT_OK_AND_ASSIGN(v1::User disabled, Write([&](store::WriteTxn& txn) {
                         return directory_->DisableUser(txn, fgeo_admin_,
                                                        disable);
                       }));
  ASSERT_THAT(Authenticate("FGEO", "ana"),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // The etag read before the disabling is stale.
  EXPECT_THAT(Write([&](store::WriteTxn& txn) {
                return directory_->EnableUser(txn, fgeo_admin_, enable);
              }),
              StatusIs(absl::StatusCode::kAborted));
  // Another institution's admin is refused before any lookup.
  enable.set_etag(disabled.etag());
  EXPECT_THAT(Write([&](store::WriteTxn& txn) {
                return directory_->EnableUser(
                    txn, Caller("IEEPCO", "otra", {v1::ROLE_ADMIN}, false),
                    enable);
              }),
              StatusIs(absl::StatusCode::kPermissionDenied));
  ASSERT_OK_AND_ASSIGN(v1::User enabled, Write([&](store::WriteTxn& txn) {
                         return directory_->EnableUser(txn, fgeo_admin_,
                                                       enable);
                       }));
  EXPECT_FALSE(enabled.disabled());
  EXPECT_NE(enabled.etag(), disabled.etag());
  ASSERT_OK_AND_ASSIGN(auth::Principal p, Authenticate("FGEO", "ana"));
  EXPECT_THAT(p.roles, ElementsAre(v1::ROLE_CASEWORKER));
}

TEST_F(DirectoryTest, GetCurrentUserIsTheCallerAndHerInstitutionOnly) {
  ASSERT_OK(CreateUser(fgeo_admin_, "institutions/FGEO", "ana",
                       {v1::ROLE_CASEWORKER, v1::ROLE_SUPERVISOR})
                .status());
  ASSERT_OK_AND_ASSIGN(auth::Principal p, Authenticate("FGEO", "ana"));
  ASSERT_OK_AND_ASSIGN(v1::CurrentUser me, Read([&](store::ReadTxn& txn) {
                         return directory_->GetCurrentUser(txn, p);
                       }));
  EXPECT_EQ(me.name(), "institutions/FGEO/users/ana");
  EXPECT_EQ(me.user_id(), "ana");
  EXPECT_THAT(me.roles(),
              ElementsAre(v1::ROLE_CASEWORKER, v1::ROLE_SUPERVISOR));
  EXPECT_EQ(me.institution().name(), "institutions/FGEO");
  EXPECT_EQ(me.institution().display_name(), "Fiscalía General de Oaxaca");
  EXPECT_EQ(me.institution().kind(), v1::INSTITUTION_KIND_PROSECUTOR);
  EXPECT_EQ(me.institution().state_code(), "20");
  EXPECT_FALSE(me.institution().operator_());
  EXPECT_FALSE(me.institution().has_create_time());
  ASSERT_OK_AND_ASSIGN(me, Read([&](store::ReadTxn& txn) {
                         return directory_->GetCurrentUser(txn, op_admin_);
                       }));
  EXPECT_TRUE(me.institution().operator_());
  // A principal whose institution is gone names nobody.
  EXPECT_THAT(Read([&](store::ReadTxn& txn) {
                return directory_->GetCurrentUser(
                    txn, Caller("NADA", "x", {}, false));
              }),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST_F(DirectoryTest, AnAdminCannotDisableHerself) {
  ASSERT_OK_AND_ASSIGN(v1::User boss, CreateUser(op_admin_, "institutions/FGEO",
                                                 "boss", {v1::ROLE_ADMIN}));
  v1::DisableUserRequest r;
  r.set_name(boss.name());
  r.set_etag(boss.etag());
  EXPECT_THAT(
      Write([&](store::WriteTxn& txn) {
        return directory_->DisableUser(txn, fgeo_admin_, r);
      }),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("herself")));
}

TEST_F(DirectoryTest, SetUserRolesWithAStaleEtagIsAborted) {
  ASSERT_OK_AND_ASSIGN(v1::User ana,
                       CreateUser(fgeo_admin_, "institutions/FGEO", "ana",
                                  {v1::ROLE_CASEWORKER}));
  v1::SetUserRolesRequest r;
  r.set_name(ana.name());
  r.add_roles(v1::ROLE_SUPERVISOR);
  r.add_roles(v1::ROLE_CASEWORKER);
  r.set_etag(ana.etag());
  ASSERT_OK_AND_ASSIGN(v1::User updated, Write([&](store::WriteTxn& txn) {
                         return directory_->SetUserRoles(txn, fgeo_admin_, r);
                       }));
  EXPECT_THAT(updated.roles(),
              ElementsAre(v1::ROLE_CASEWORKER, v1::ROLE_SUPERVISOR));
  r.clear_roles();
  r.add_roles(v1::ROLE_ANALYST);
  EXPECT_THAT(Write([&](store::WriteTxn& txn) {
                return directory_->SetUserRoles(txn, fgeo_admin_, r);
              }),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("changed")));
  ASSERT_OK_AND_ASSIGN(auth::Principal p, Authenticate("FGEO", "ana"));
  EXPECT_THAT(p.roles, ElementsAre(v1::ROLE_CASEWORKER, v1::ROLE_SUPERVISOR));
}

TEST_F(DirectoryTest, AReadAfterARoleChangeSeesTheNewRoles) {
  // Reads authenticate from a cache (store/snapshot_cache.h); a role change
  // must reach the very next read.
  ASSERT_OK_AND_ASSIGN(v1::User ana,
                       CreateUser(fgeo_admin_, "institutions/FGEO", "ana",
                                  {v1::ROLE_CASEWORKER}));
  ASSERT_OK_AND_ASSIGN(auth::Principal before, Authenticate("FGEO", "ana"));
  ASSERT_THAT(before.roles, ElementsAre(v1::ROLE_CASEWORKER));
  v1::SetUserRolesRequest r;
  r.set_name(ana.name());
  r.add_roles(v1::ROLE_ANALYST);
  r.set_etag(ana.etag());
  ASSERT_OK(Write([&](store::WriteTxn& txn) {
    return directory_->SetUserRoles(txn, fgeo_admin_, r);
  }));
  ASSERT_OK_AND_ASSIGN(auth::Principal after, Authenticate("FGEO", "ana"));
  EXPECT_THAT(after.roles, ElementsAre(v1::ROLE_ANALYST));
}

TEST_F(DirectoryTest, RequestFieldsAreValidated) {
  EXPECT_THAT(
      CreateUser(fgeo_admin_, "FGEO", "ana", {v1::ROLE_CASEWORKER}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'parent'")));
  EXPECT_THAT(CreateUser(fgeo_admin_, "institutions/FGEO", "Ana",
                         {v1::ROLE_CASEWORKER}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'user.user_id'")));
  EXPECT_THAT(
      CreateUser(fgeo_admin_, "institutions/FGEO", "ana", {}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'user.roles'")));
  EXPECT_THAT(CreateUser(fgeo_admin_, "institutions/FGEO", "ana",
                         {v1::ROLE_CASEWORKER, v1::ROLE_CASEWORKER}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'user.roles[1]': repeats")));
  EXPECT_THAT(CreateUser(fgeo_admin_, "institutions/FGEO", "ana",
                         {v1::ROLE_UNSPECIFIED}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'user.roles[0]'")));
  v1::CreateInstitutionRequest inst;
  inst.mutable_institution()->set_institution_id("CEAV");
  inst.mutable_institution()->set_display_name(std::string(201, 'x'));
  inst.mutable_institution()->set_kind(v1::INSTITUTION_KIND_SERVICE_PROVIDER);
  EXPECT_THAT(Write([&](store::WriteTxn& txn) {
                return directory_->CreateInstitution(txn, op_admin_, inst);
              }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'institution.display_name'")));
  inst.mutable_institution()->set_display_name("CEAV");
  inst.mutable_institution()->set_kind(v1::INSTITUTION_KIND_UNSPECIFIED);
  EXPECT_THAT(Write([&](store::WriteTxn& txn) {
                return directory_->CreateInstitution(txn, op_admin_, inst);
              }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'institution.kind'")));
  v1::ListUsersRequest list;
  list.set_parent("institutions/FGEO");
  list.set_page_size(-1);
  EXPECT_THAT(
      Read([&](store::ReadTxn& txn) {
        return directory_->ListUsers(txn, fgeo_admin_, list);
      }),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'page_size'")));
  // Above the maximum: coerced to it (AIP-158), not refused.
  list.set_page_size(501);
  EXPECT_TRUE(Read([&](store::ReadTxn& txn) {
                return directory_->ListUsers(txn, fgeo_admin_, list).status();
              }).ok());
  list.set_page_size(0);
  list.set_page_token("garbage");
  EXPECT_THAT(
      Read([&](store::ReadTxn& txn) {
        return directory_->ListUsers(txn, fgeo_admin_, list);
      }),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'page_token'")));
  v1::SetUserRolesRequest roles;
  roles.set_name("institutions/FGEO/users/boss");
  roles.add_roles(v1::ROLE_ADMIN);
  EXPECT_THAT(
      Write([&](store::WriteTxn& txn) {
        return directory_->SetUserRoles(txn, fgeo_admin_, roles);
      }),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'etag'")));
}

TEST_F(DirectoryTest, OnlyTheOperatorsAdminsCreateInstitutions) {
  v1::CreateInstitutionRequest r;
  r.mutable_institution()->set_institution_id("CEAV");
  r.mutable_institution()->set_display_name("Comisión de Víctimas");
  r.mutable_institution()->set_kind(v1::INSTITUTION_KIND_SERVICE_PROVIDER);
  EXPECT_THAT(Write([&](store::WriteTxn& txn) {
                return directory_->CreateInstitution(txn, fgeo_admin_, r);
              }),
              StatusIs(absl::StatusCode::kPermissionDenied));
  ASSERT_OK_AND_ASSIGN(
      v1::Institution created, Write([&](store::WriteTxn& txn) {
        return directory_->CreateInstitution(txn, op_admin_, r);
      }));
  EXPECT_EQ(created.name(), "institutions/CEAV");
  EXPECT_FALSE(created.operator_());
  EXPECT_EQ(created.create_time().seconds(), 1767225600);
  EXPECT_THAT(Write([&](store::WriteTxn& txn) {
                return directory_->CreateInstitution(txn, op_admin_, r);
              }),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST_F(DirectoryTest, AdminsManageOnlyTheirOwnInstitution) {
  // An admin of FGEO cannot create users at IEEPCO, nor at an institution
  // that does not exist: the same answer either way.
  EXPECT_THAT(CreateUser(fgeo_admin_, "institutions/IEEPCO", "eve",
                         {v1::ROLE_SUPERVISOR}),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       "the caller may not manage users of this institution"));
  EXPECT_THAT(CreateUser(fgeo_admin_, "institutions/NOWHERE", "eve",
                         {v1::ROLE_SUPERVISOR}),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       "the caller may not manage users of this institution"));
  v1::ListUsersRequest list;
  list.set_parent("institutions/IEEPCO");
  EXPECT_THAT(Read([&](store::ReadTxn& txn) {
                return directory_->ListUsers(txn, fgeo_admin_, list);
              }),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // A caseworker is not an admin.
  auth::Principal worker =
      Caller("FGEO", "ana", {v1::ROLE_CASEWORKER}, /*of_operator=*/false);
  EXPECT_THAT(
      CreateUser(worker, "institutions/FGEO", "eve", {v1::ROLE_SUPERVISOR}),
      StatusIs(absl::StatusCode::kPermissionDenied));
  // The operator's admins create another institution's administrators, and
  // nothing else there: no staff who read cases.
  EXPECT_THAT(
      CreateUser(op_admin_, "institutions/FGEO", "eve", {v1::ROLE_SUPERVISOR}),
      StatusIs(absl::StatusCode::kPermissionDenied,
               "the caller may not manage users of this institution"));
  EXPECT_OK(
      CreateUser(op_admin_, "institutions/FGEO", "eve", {v1::ROLE_ADMIN}));
  EXPECT_THAT(
      CreateUser(op_admin_, "institutions/NOWHERE", "eve", {v1::ROLE_ADMIN}),
      StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(
      CreateUser(op_admin_, "institutions/FGEO", "eve", {v1::ROLE_ADMIN}),
      StatusIs(absl::StatusCode::kAlreadyExists));
  v1::ListUsersRequest fgeo_list;
  fgeo_list.set_parent("institutions/FGEO");
  EXPECT_THAT(Read([&](store::ReadTxn& txn) {
                return directory_->ListUsers(txn, op_admin_, fgeo_list);
              }),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(DirectoryTest, AdministratorsAndAuditorsNeverHoldCaseRoles) {
  for (v1::Role oversight : {v1::ROLE_ADMIN, v1::ROLE_AUDITOR}) {
    for (v1::Role reader :
         {v1::ROLE_REGISTRAR, v1::ROLE_CASEWORKER, v1::ROLE_SUPERVISOR}) {
      EXPECT_THAT(CreateUser(fgeo_admin_, "institutions/FGEO", "mixed",
                             {oversight, reader}),
                  StatusIs(absl::StatusCode::kInvalidArgument,
                           HasSubstr("cannot be combined")));
    }
  }
  EXPECT_OK(CreateUser(fgeo_admin_, "institutions/FGEO", "both",
                       {v1::ROLE_ADMIN, v1::ROLE_AUDITOR}));
}

TEST_F(DirectoryTest, TheMonitorRoleCombinesWithNoOther) {
  for (int r = v1::Role_MIN; r <= v1::Role_MAX; ++r) {
    const auto other = static_cast<v1::Role>(r);
    if (!v1::Role_IsValid(r) || other == v1::ROLE_UNSPECIFIED ||
        other == v1::ROLE_MONITOR) {
      continue;
    }
    EXPECT_THAT(CreateUser(fgeo_admin_, "institutions/FGEO", "mixed",
                           {v1::ROLE_MONITOR, other}),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("monitor role cannot be combined")))
        << v1::Role_Name(other);
  }
  EXPECT_OK(CreateUser(fgeo_admin_, "institutions/FGEO", "prometheus",
                       {v1::ROLE_MONITOR}));
}

TEST_F(DirectoryTest, AnAdministratorCannotChangeHerOwnRoles) {
  ASSERT_OK_AND_ASSIGN(
      v1::User self,
      CreateUser(fgeo_admin_, "institutions/FGEO", "second", {v1::ROLE_ADMIN}));
  auth::Principal second =
      Caller("FGEO", "second", {v1::ROLE_ADMIN}, /*of_operator=*/false);
  v1::SetUserRolesRequest r;
  r.set_name(self.name());
  r.set_etag(self.etag());
  r.add_roles(v1::ROLE_ADMIN);
  r.add_roles(v1::ROLE_SUPERVISOR);
  EXPECT_THAT(Write([&](store::WriteTxn& txn) {
                return directory_->SetUserRoles(txn, second, r);
              }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("cannot be combined")));
  r.clear_roles();
  r.add_roles(v1::ROLE_AUDITOR);
  EXPECT_THAT(Write([&](store::WriteTxn& txn) {
                return directory_->SetUserRoles(txn, second, r);
              }),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "an administrator cannot change her own roles"));
}

// Issue 13, item 4: two administrators giving each other case roles, or a
// caseworker made administrator, one role change at a time.
TEST_F(DirectoryTest, RoleSeparationHoldsOverTime) {
  auto set_roles = [&](const v1::User& user, std::vector<v1::Role> roles,
                       RoleChange* change = nullptr) {
    v1::SetUserRolesRequest r;
    r.set_name(user.name());
    r.set_etag(user.etag());
    for (v1::Role role : roles) r.add_roles(role);
    return Write([&](store::WriteTxn& txn) {
      return directory_->SetUserRoles(txn, fgeo_admin_, r, change);
    });
  };
  ASSERT_OK_AND_ASSIGN(
      v1::User second,
      CreateUser(fgeo_admin_, "institutions/FGEO", "second", {v1::ROLE_ADMIN}));
  for (v1::Role reader :
       {v1::ROLE_REGISTRAR, v1::ROLE_CASEWORKER, v1::ROLE_SUPERVISOR}) {
    RoleChange change;
    EXPECT_THAT(set_roles(second, {reader}, &change),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         HasSubstr("roles: this user has held ADMIN or "
                                   "AUDITOR, so she may never receive")));
    EXPECT_TRUE(change.known);
    EXPECT_EQ(change.before, std::set<v1::Role>{v1::ROLE_ADMIN});
    EXPECT_EQ(change.after, std::set<v1::Role>{reader});
  }
  // Not through a neutral role either: the record of ADMIN stays.
  ASSERT_OK_AND_ASSIGN(second, set_roles(second, {v1::ROLE_ANALYST}));
  EXPECT_THAT(set_roles(second, {v1::ROLE_SUPERVISOR}),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("has held ADMIN or AUDITOR")));
  ASSERT_OK_AND_ASSIGN(auth::Principal p, Authenticate("FGEO", "second"));
  EXPECT_EQ(p.roles, std::set<v1::Role>{v1::ROLE_ANALYST});

  // The reverse: a caseworker never becomes administrator or auditor.
  ASSERT_OK_AND_ASSIGN(v1::User worker,
                       CreateUser(fgeo_admin_, "institutions/FGEO", "worker",
                                  {v1::ROLE_CASEWORKER}));
  for (v1::Role oversight : {v1::ROLE_ADMIN, v1::ROLE_AUDITOR}) {
    EXPECT_THAT(set_roles(worker, {oversight}),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         HasSubstr("has held REGISTRAR, CASEWORKER or "
                                   "SUPERVISOR, so she may never receive "
                                   "ADMIN or AUDITOR")));
  }
  // Case roles among themselves, and the record survives a reopen.
  ASSERT_OK_AND_ASSIGN(worker, set_roles(worker, {v1::ROLE_SUPERVISOR}));
  ASSERT_OK_AND_ASSIGN(worker, set_roles(worker, {v1::ROLE_ANALYST}));
  ASSERT_OK(db_->Close());
  db_.reset();
  directory_.reset();
  ASSERT_NO_FATAL_FAILURE(Open(false));
  EXPECT_THAT(set_roles(worker, {v1::ROLE_AUDITOR}),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(set_roles(second, {v1::ROLE_REGISTRAR}),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(DirectoryTest, ListUsersPagesCoverEveryUserOnce) {
  for (int i = 0; i < 7; ++i) {
    ASSERT_OK(CreateUser(fgeo_admin_, "institutions/FGEO",
                         absl::StrCat("user", i), {v1::ROLE_CASEWORKER}));
  }
  v1::ListUsersRequest r;
  r.set_parent("institutions/FGEO");
  r.set_page_size(3);
  std::vector<std::string> seen;
  int pages = 0;
  do {
    ASSERT_OK_AND_ASSIGN(v1::ListUsersResponse page,
                         Read([&](store::ReadTxn& txn) {
                           return directory_->ListUsers(txn, fgeo_admin_, r);
                         }));
    for (const v1::User& u : page.users()) seen.push_back(u.user_id());
    r.set_page_token(page.next_page_token());
    ++pages;
  } while (!r.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(seen, ElementsAre("user0", "user1", "user2", "user3", "user4",
                                "user5", "user6"));
  // A token of FGEO's list does not work for IEEPCO's.
  r.set_page_size(3);
  r.clear_page_token();
  ASSERT_OK_AND_ASSIGN(v1::ListUsersResponse first,
                       Read([&](store::ReadTxn& txn) {
                         return directory_->ListUsers(txn, fgeo_admin_, r);
                       }));
  r.set_parent("institutions/IEEPCO");
  r.set_page_token(first.next_page_token());
  EXPECT_THAT(
      Read([&](store::ReadTxn& txn) {
        return directory_->ListUsers(txn, op_admin_, r);
      }),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'page_token'")));
}

TEST_F(DirectoryTest, ListInstitutionsPages) {
  v1::ListInstitutionsRequest r;
  r.set_page_size(1);
  auth::Principal anyone =
      Caller("FGEO", "ana", {v1::ROLE_CASEWORKER}, /*of_operator=*/false);
  ASSERT_OK_AND_ASSIGN(v1::ListInstitutionsResponse page1,
                       Read([&](store::ReadTxn& txn) {
                         return directory_->ListInstitutions(txn, anyone, r);
                       }));
  ASSERT_EQ(page1.institutions_size(), 1);
  EXPECT_EQ(page1.institutions(0).institution_id(), "FGEO");
  r.set_page_token(page1.next_page_token());
  ASSERT_OK_AND_ASSIGN(v1::ListInstitutionsResponse page2,
                       Read([&](store::ReadTxn& txn) {
                         return directory_->ListInstitutions(txn, anyone, r);
                       }));
  ASSERT_EQ(page2.institutions_size(), 1);
  EXPECT_EQ(page2.institutions(0).institution_id(), "IEEPCO");
  EXPECT_TRUE(page2.institutions(0).operator_());
  EXPECT_TRUE(page2.next_page_token().empty());
}

TEST_F(DirectoryTest, KekRingSurvivesReopenAndOpensOldDataKeys) {
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const crypto::Envelope> envelope,
                       Read([&](store::ReadTxn& txn) {
                         return directory_->EnvelopeFor(txn, "FGEO");
                       }));
  ASSERT_OK_AND_ASSIGN(crypto::Envelope::NewKey key,
                       envelope->NewDataKey("institutions/FGEO/cases/X"));
  crypto::RecordContext context{"test", "FGEO", "institutions/FGEO/cases/X", 1};
  ASSERT_OK_AND_ASSIGN(std::string sealed, key.key.Seal("hola", context));
  ASSERT_OK(db_->Close());
  db_.reset();
  directory_.reset();
  ASSERT_NO_FATAL_FAILURE(Open(false));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const crypto::Envelope> reopened,
                       Read([&](store::ReadTxn& txn) {
                         return directory_->EnvelopeFor(txn, "FGEO");
                       }));
  ASSERT_OK_AND_ASSIGN(
      crypto::DataKey dek,
      reopened->Unwrap(key.wrapped, "institutions/FGEO/cases/X"));
  ASSERT_OK_AND_ASSIGN(std::string opened, dek.Open(sealed, context));
  EXPECT_EQ(opened, "hola");
}

TEST_F(DirectoryTest, AnotherMasterKeyDoesNotOpenTheRing) {
  crypto::testing::FixedKeyProvider other('x');
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Directory> wrong,
                       Directory::New(other, &clock_));
  EXPECT_THAT(Read([&](store::ReadTxn& txn) {
                return wrong->EnvelopeFor(txn, "FGEO");
              }),
              StatusIs(absl::StatusCode::kInternal,
                       HasSubstr("does not open with this node's master key")));
}

TEST_F(DirectoryTest, EnvelopeForAnInstitutionWithoutKeysIsNotFound) {
  EXPECT_THAT(Read([&](store::ReadTxn& txn) {
                return directory_->EnvelopeFor(txn, "NOWHERE");
              }),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(DirectoryTest, ARolledBackRingIsNotServedFromTheCache) {
  v1::CreateInstitutionRequest r;
  r.mutable_institution()->set_institution_id("CEAV");
  r.mutable_institution()->set_display_name("CEAV");
  r.mutable_institution()->set_kind(v1::INSTITUTION_KIND_SERVICE_PROVIDER);
  std::shared_ptr<const crypto::Envelope> rolled_back;
  EXPECT_THAT(Write([&](store::WriteTxn& txn) -> absl::Status {
                RETURN_IF_ERROR(
                    directory_->CreateInstitution(txn, op_admin_, r).status());
                ASSIGN_OR_RETURN(rolled_back,
                                 directory_->EnvelopeFor(txn, "CEAV"));
                return absl::AbortedError("rolled back");
              }),
              StatusIs(absl::StatusCode::kAborted));
  ASSERT_NE(rolled_back, nullptr);
  ASSERT_OK(Write([&](store::WriteTxn& txn) {
    return directory_->CreateInstitution(txn, op_admin_, r);
  }));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<const crypto::Envelope> current,
                       Read([&](store::ReadTxn& txn) {
                         return directory_->EnvelopeFor(txn, "CEAV");
                       }));
  EXPECT_NE(current, rolled_back);
  ASSERT_OK_AND_ASSIGN(crypto::Envelope::NewKey key,
                       current->NewDataKey("institutions/CEAV/cases/X"));
  EXPECT_THAT(rolled_back->Unwrap(key.wrapped, "institutions/CEAV/cases/X"),
              Not(IsOk()));
}

}  // namespace
}  // namespace resguardo::admin
