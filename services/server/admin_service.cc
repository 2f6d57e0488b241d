#include "services/server/admin_service.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "services/admin/directory.h"
#include "services/admin/kek_rotations.h"
#include "services/api/resource_names.h"
#include "services/server/call_runner.h"

namespace resguardo::server {
namespace {

constexpr char kCreateInstitution[] =
    "/resguardo.v1.AdminService/CreateInstitution";
constexpr char kListInstitutions[] =
    "/resguardo.v1.AdminService/ListInstitutions";
constexpr char kCreateUser[] = "/resguardo.v1.AdminService/CreateUser";
constexpr char kSetUserRoles[] = "/resguardo.v1.AdminService/SetUserRoles";
constexpr char kDisableUser[] = "/resguardo.v1.AdminService/DisableUser";
constexpr char kEnableUser[] = "/resguardo.v1.AdminService/EnableUser";
constexpr char kListUsers[] = "/resguardo.v1.AdminService/ListUsers";
constexpr char kGetCurrentUser[] = "/resguardo.v1.AdminService/GetCurrentUser";
constexpr char kStartKeyRotation[] =
    "/resguardo.v1.AdminService/StartKeyRotation";
constexpr char kGetKeyRotation[] = "/resguardo.v1.AdminService/GetKeyRotation";

using store::ReadTxn;
using store::WriteTxn;
using Caller = const auth::Principal&;

// The role change of a user, into the call's audit entry.
void RecordRoleChange(const admin::RoleChange& change, AuditFacts& audit) {
  if (!change.known) return;
  audit.subject_roles_before.assign(change.before.begin(), change.before.end());
  audit.subject_roles_after.assign(change.after.begin(), change.after.end());
}

}  // namespace

AdminService::AdminService(CallRunner* runner, MethodTable* methods,
                           admin::Directory* directory,
                           admin::KekRotations* rotations)
    : runner_(runner), directory_(directory), rotations_(rotations) {
  methods->Unary(kCreateInstitution, this, &AdminService::CreateInstitution);
  methods->Unary(kListInstitutions, this, &AdminService::ListInstitutions);
  methods->Unary(kCreateUser, this, &AdminService::CreateUser);
  methods->Unary(kSetUserRoles, this, &AdminService::SetUserRoles);
  methods->Unary(kDisableUser, this, &AdminService::DisableUser);
  methods->Unary(kEnableUser, this, &AdminService::EnableUser);
  methods->Unary(kListUsers, this, &AdminService::ListUsers);
  methods->Unary(kGetCurrentUser, this, &AdminService::GetCurrentUser);
  methods->Unary(kStartKeyRotation, this, &AdminService::StartKeyRotation);
  methods->Unary(kGetKeyRotation, this, &AdminService::GetKeyRotation);
}

void AdminService::CreateInstitution(
    CallRunner::Handle call, const v1::CreateInstitutionRequest* request,
    v1::Institution* response) {
  AuditFacts facts{
      absl::StrCat("institutions/", request->institution().institution_id())};
  runner_->Write(
      std::move(call), std::move(facts), response,
      [this, request](WriteTxn& txn, Caller caller,
                      AuditFacts& audit) -> absl::StatusOr<v1::Institution> {
        ASSIGN_OR_RETURN(v1::Institution created,
                         directory_->CreateInstitution(txn, caller, *request));
        audit.resource = created.name();
        return created;
      });
}

void AdminService::ListInstitutions(CallRunner::Handle call,
                                    const v1::ListInstitutionsRequest* request,
                                    v1::ListInstitutionsResponse* response) {
  runner_->Read(std::move(call), {}, response,
                [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
                  return directory_->ListInstitutions(txn, caller, *request);
                });
}

void AdminService::CreateUser(CallRunner::Handle call,
                              const v1::CreateUserRequest* request,
                              v1::User* response) {
  runner_->Write(
      std::move(call), {request->parent()}, response,
      [this, request](WriteTxn& txn, Caller caller,
                      AuditFacts& audit) -> absl::StatusOr<v1::User> {
        admin::RoleChange change;
        absl::StatusOr<v1::User> created =
            directory_->CreateUser(txn, caller, *request, &change);
        RecordRoleChange(change, audit);
        if (created.ok()) audit.resource = created->name();
        return created;
      });
}

void AdminService::SetUserRoles(CallRunner::Handle call,
                                const v1::SetUserRolesRequest* request,
                                v1::User* response) {
  runner_->Write(
      std::move(call), {request->name()}, response,
      [this, request](WriteTxn& txn, Caller caller, AuditFacts& audit) {
        admin::RoleChange change;
        absl::StatusOr<v1::User> user =
            directory_->SetUserRoles(txn, caller, *request, &change);
        RecordRoleChange(change, audit);
        return user;
      });
}

void AdminService::DisableUser(CallRunner::Handle call,
                               const v1::DisableUserRequest* request,
                               v1::User* response) {
  runner_->Write(std::move(call), {request->name()}, response,
                 [this, request](WriteTxn& txn, Caller caller, AuditFacts&) {
                   return directory_->DisableUser(txn, caller, *request);
                 });
}

void AdminService::EnableUser(CallRunner::Handle call,
                              const v1::EnableUserRequest* request,
                              v1::User* response) {
  runner_->Write(std::move(call), {request->name()}, response,
                 [this, request](WriteTxn& txn, Caller caller, AuditFacts&) {
                   return directory_->EnableUser(txn, caller, *request);
                 });
}

void AdminService::ListUsers(CallRunner::Handle call,
                             const v1::ListUsersRequest* request,
                             v1::ListUsersResponse* response) {
  runner_->Read(std::move(call), {request->parent()}, response,
                [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
                  return directory_->ListUsers(txn, caller, *request);
                });
}

void AdminService::GetCurrentUser(CallRunner::Handle call,
                                  const v1::GetCurrentUserRequest* /*request*/,
                                  v1::CurrentUser* response) {
  runner_->Read(std::move(call), {}, response,
                [this](ReadTxn& txn, Caller caller, AuditFacts& audit) {
                  audit.resource =
                      api::UserResourceName(caller.institution, caller.user);
                  return directory_->GetCurrentUser(txn, caller);
                });
}

void AdminService::StartKeyRotation(CallRunner::Handle call,
                                    const v1::StartKeyRotationRequest* request,
                                    v1::KeyRotation* response) {
  runner_->Write(
      std::move(call), {request->parent()}, response,
      [this, request](WriteTxn& txn, Caller caller,
                      AuditFacts& audit) -> absl::StatusOr<v1::KeyRotation> {
        ASSIGN_OR_RETURN(v1::KeyRotation started,
                         rotations_->Start(txn, caller, *request));
        audit.resource = started.name();
        return started;
      });
}

void AdminService::GetKeyRotation(CallRunner::Handle call,
                                  const v1::GetKeyRotationRequest* request,
                                  v1::KeyRotation* response) {
  runner_->Read(std::move(call), {request->name()}, response,
                [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
                  return rotations_->Get(txn, caller, *request);
                });
}

}  // namespace resguardo::server
