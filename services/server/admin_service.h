// AdminService: the gRPC edge of resguardo.v1.AdminService — institutions,
// users and roles (admin::Directory). Thin, as case_service.h: the
// CallRunner authenticates, authorises, audits, converts and logs.
//
// Thread safety: thread-safe. Ownership: borrows the CallRunner and the
// Directory, which must outlive the gRPC server that serves this service.
#ifndef RESGUARDO_SERVICES_SERVER_ADMIN_SERVICE_H_
#define RESGUARDO_SERVICES_SERVER_ADMIN_SERVICE_H_

#include "resguardo/v1/admin_service.grpc.pb.h"
#include "services/server/decoded_service.h"

namespace resguardo::admin {
class Directory;
}  // namespace resguardo::admin

namespace resguardo::server {

class CallRunner;

class AdminService final
    : public DecodedService<v1::AdminService::CallbackService> {
 public:
  AdminService(CallRunner* runner, admin::Directory* directory);

  grpc::ServerUnaryReactor* CreateInstitution(
      grpc::CallbackServerContext* context,
      const v1::CreateInstitutionRequest* request,
      v1::Institution* response) override;
  grpc::ServerUnaryReactor* ListInstitutions(
      grpc::CallbackServerContext* context,
      const v1::ListInstitutionsRequest* request,
      v1::ListInstitutionsResponse* response) override;
  grpc::ServerUnaryReactor* CreateUser(grpc::CallbackServerContext* context,
                                       const v1::CreateUserRequest* request,
                                       v1::User* response) override;
  grpc::ServerUnaryReactor* SetUserRoles(grpc::CallbackServerContext* context,
                                         const v1::SetUserRolesRequest* request,
                                         v1::User* response) override;
  grpc::ServerUnaryReactor* DisableUser(grpc::CallbackServerContext* context,
                                        const v1::DisableUserRequest* request,
                                        v1::User* response) override;
  grpc::ServerUnaryReactor* ListUsers(grpc::CallbackServerContext* context,
                                      const v1::ListUsersRequest* request,
                                      v1::ListUsersResponse* response) override;

 private:
  CallRunner* const runner_;
  admin::Directory* const directory_;
};

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_ADMIN_SERVICE_H_
