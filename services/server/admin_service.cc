#include "services/server/admin_service.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "services/admin/directory.h"
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
constexpr char kListUsers[] = "/resguardo.v1.AdminService/ListUsers";

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

AdminService::AdminService(CallRunner* runner, admin::Directory* directory)
    : runner_(runner), directory_(directory) {
  Decode(runner, kCreateInstitution, &AdminService::CreateInstitution);
  Decode(runner, kListInstitutions, &AdminService::ListInstitutions);
  Decode(runner, kCreateUser, &AdminService::CreateUser);
  Decode(runner, kSetUserRoles, &AdminService::SetUserRoles);
  Decode(runner, kDisableUser, &AdminService::DisableUser);
  Decode(runner, kListUsers, &AdminService::ListUsers);
}

grpc::ServerUnaryReactor* AdminService::CreateInstitution(
    grpc::CallbackServerContext* context,
    const v1::CreateInstitutionRequest* request, v1::Institution* response) {
  AuditFacts facts{
      absl::StrCat("institutions/", request->institution().institution_id())};
  return runner_->Write(
      context, kCreateInstitution, std::move(facts), response,
      [this, request](WriteTxn& txn, Caller caller,
                      AuditFacts& audit) -> absl::StatusOr<v1::Institution> {
        ASSIGN_OR_RETURN(v1::Institution created,
                         directory_->CreateInstitution(txn, caller, *request));
        audit.resource = created.name();
        return created;
      });
}

grpc::ServerUnaryReactor* AdminService::ListInstitutions(
    grpc::CallbackServerContext* context,
    const v1::ListInstitutionsRequest* request,
    v1::ListInstitutionsResponse* response) {
  return runner_->Read(
      context, kListInstitutions, {}, response,
      [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
        return directory_->ListInstitutions(txn, caller, *request);
      });
}

grpc::ServerUnaryReactor* AdminService::CreateUser(
    grpc::CallbackServerContext* context, const v1::CreateUserRequest* request,
    v1::User* response) {
  return runner_->Write(
      context, kCreateUser, {request->parent()}, response,
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

grpc::ServerUnaryReactor* AdminService::SetUserRoles(
    grpc::CallbackServerContext* context,
    const v1::SetUserRolesRequest* request, v1::User* response) {
  return runner_->Write(
      context, kSetUserRoles, {request->name()}, response,
      [this, request](WriteTxn& txn, Caller caller, AuditFacts& audit) {
        admin::RoleChange change;
        absl::StatusOr<v1::User> user =
            directory_->SetUserRoles(txn, caller, *request, &change);
        RecordRoleChange(change, audit);
        return user;
      });
}

grpc::ServerUnaryReactor* AdminService::DisableUser(
    grpc::CallbackServerContext* context, const v1::DisableUserRequest* request,
    v1::User* response) {
  return runner_->Write(
      context, kDisableUser, {request->name()}, response,
      [this, request](WriteTxn& txn, Caller caller, AuditFacts&) {
        return directory_->DisableUser(txn, caller, *request);
      });
}

grpc::ServerUnaryReactor* AdminService::ListUsers(
    grpc::CallbackServerContext* context, const v1::ListUsersRequest* request,
    v1::ListUsersResponse* response) {
  return runner_->Read(
      context, kListUsers, {request->parent()}, response,
      [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
        return directory_->ListUsers(txn, caller, *request);
      });
}

}  // namespace resguardo::server
