// AdminService: the handlers of resguardo.v1.AdminService — institutions,
// users and roles (admin::Directory). Thin, as case_service.h: the
// CallRunner authenticates, authorises, audits, converts and logs.
//
// Thread safety: thread-safe. Ownership: borrows the CallRunner, the
// Directory and the KekRotations, which must outlive the transports that serve
// this service.
#ifndef RESGUARDO_SERVICES_SERVER_ADMIN_SERVICE_H_
#define RESGUARDO_SERVICES_SERVER_ADMIN_SERVICE_H_

#include "resguardo/v1/admin_service.pb.h"
#include "services/server/call_runner.h"
#include "services/server/method_table.h"

namespace resguardo::admin {
class Directory;
class KekRotations;
}  // namespace resguardo::admin

namespace resguardo::server {

class AdminService final {
 public:
  AdminService(CallRunner* runner, MethodTable* methods,
               admin::Directory* directory, admin::KekRotations* rotations);

  void CreateInstitution(CallRunner::Handle call,
                         const v1::CreateInstitutionRequest* request,
                         v1::Institution* response);
  void ListInstitutions(CallRunner::Handle call,
                        const v1::ListInstitutionsRequest* request,
                        v1::ListInstitutionsResponse* response);
  void CreateUser(CallRunner::Handle call, const v1::CreateUserRequest* request,
                  v1::User* response);
  void SetUserRoles(CallRunner::Handle call,
                    const v1::SetUserRolesRequest* request, v1::User* response);
  void DisableUser(CallRunner::Handle call,
                   const v1::DisableUserRequest* request, v1::User* response);
  void EnableUser(CallRunner::Handle call, const v1::EnableUserRequest* request,
                  v1::User* response);
  void ListUsers(CallRunner::Handle call, const v1::ListUsersRequest* request,
                 v1::ListUsersResponse* response);
  void GetCurrentUser(CallRunner::Handle call,
                      const v1::GetCurrentUserRequest* request,
                      v1::CurrentUser* response);
  void StartKeyRotation(CallRunner::Handle call,
                        const v1::StartKeyRotationRequest* request,
                        v1::KeyRotation* response);
  void GetKeyRotation(CallRunner::Handle call,
                      const v1::GetKeyRotationRequest* request,
                      v1::KeyRotation* response);

 private:
  CallRunner* const runner_;
  admin::Directory* const directory_;
  admin::KekRotations* const rotations_;
};

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_ADMIN_SERVICE_H_
