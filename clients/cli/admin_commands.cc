#include "clients/cli/admin_commands.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "clients/cli/catalogue_codes.h"
#include "clients/cli/command_registry.h"
#include "clients/cli/dates.h"
#include "clients/cli/exit_codes.h"
#include "clients/cli/flag_values.h"
#include "clients/cli/messages.h"
#include "clients/cli/paging.h"
#include "clients/cli/resource_names.h"
#include "clients/cli/table.h"
#include "resguardo/v1/admin_service.grpc.pb.h"
#include "resguardo/v1/catalogues.pb.h"

namespace resguardo::cli {
namespace {

namespace v1 = resguardo::v1;
using Stub = v1::AdminService::Stub;

std::string RoleLabels(const google::protobuf::RepeatedField<int>& roles,
                       Lang lang) {
  std::vector<std::string> labels;
  for (int r : roles) labels.push_back(LabelOf(v1::Role_descriptor(), r, lang));
  return absl::StrJoin(labels, ", ");
}

std::string RenderInstitutions(const v1::ListInstitutionsResponse& list,
                               Lang lang, absl::TimeZone zone) {
  if (list.institutions().empty()) {
    return absl::StrCat(Text(lang, MsgId::kNoResults), "\n");
  }
  Table table(
      {Text(lang, MsgId::kFieldInstitutionId),
       Text(lang, MsgId::kFieldDisplayName),
       Text(lang, MsgId::kFieldInstitutionKind), Text(lang, MsgId::kFieldState),
       Text(lang, MsgId::kFieldOperator), Text(lang, MsgId::kFieldCreated)});
  for (const v1::Institution& i : list.institutions()) {
    table.AddRow({i.institution_id(), i.display_name(),
                  LabelOf(v1::InstitutionKind_descriptor(), i.kind(), lang),
                  i.state_code(), i.operator_() ? Text(lang, MsgId::kYes) : "",
                  FormatTimestamp(i.create_time(), zone)});
  }
  return table.Render();
}

std::string RenderUsers(
    const google::protobuf::RepeatedPtrField<v1::User>& users, Lang lang,
    absl::TimeZone zone) {
  if (users.empty()) return absl::StrCat(Text(lang, MsgId::kNoResults), "\n");
  Table table({Text(lang, MsgId::kFieldUser), Text(lang, MsgId::kFieldRoles),
               Text(lang, MsgId::kFieldUserState),
               Text(lang, MsgId::kFieldCreated),
               Text(lang, MsgId::kFieldEtag)});
  for (const v1::User& u : users) {
    table.AddRow(
        {u.user_id(), RoleLabels(u.roles(), lang),
         Text(lang, u.disabled() ? MsgId::kUserDisabled : MsgId::kUserActive),
         FormatTimestamp(u.create_time(), zone), u.etag()});
  }
  return table.Render();
}

int PrintUser(Invocation& inv, const v1::User& user, MsgId heading) {
  return inv.PrintHeaded(user, heading, user.name(), [&] {
    google::protobuf::RepeatedPtrField<v1::User> one;
    *one.Add() = user;
    return RenderUsers(one, inv.lang(), inv.zone());
  });
}

// The roles of --role (at least one).
absl::StatusOr<std::vector<int>> Roles(Invocation& inv) {
  absl::StatusOr<std::vector<int>> roles =
      GetCodes(inv.flags(), "role", v1::Role_descriptor(), inv.lang());
  if (!roles.ok()) return roles.status();
  if (roles->empty()) {
    return absl::InvalidArgumentError(
        Msg(inv.lang(), MsgId::kErrMissingFlags, "--role"));
  }
  return roles;
}

// The user named by the first argument, in --institution by default.
absl::StatusOr<std::string> UserArg(Invocation& inv) {
  const std::string& arg = inv.args()[0];
  std::string institution;
  if (arg.rfind("institutions/", 0) != 0) {
    absl::StatusOr<std::string> own = inv.Institution();
    if (!own.ok()) return own.status();
    institution = *own;
  }
  absl::StatusOr<std::string> name = UserNameFromArg(arg, institution);
  if (!name.ok()) {
    return absl::InvalidArgumentError(Text(inv.lang(), MsgId::kErrNotAUser));
  }
  return name;
}

int RunInstitutionCreate(Invocation& inv) {
  const Lang lang = inv.lang();
  v1::CreateInstitutionRequest request;
  v1::Institution* i = request.mutable_institution();
  std::vector<std::string> missing;
  if (auto id = inv.flags().Get("id")) {
    i->set_institution_id(*id);
  } else {
    missing.push_back("--id");
  }
  if (auto name = inv.flags().Get("display-name")) {
    i->set_display_name(*name);
  } else {
    missing.push_back("--display-name");
  }
  absl::StatusOr<std::optional<int>> kind =
      GetCode(inv.flags(), "kind", v1::InstitutionKind_descriptor(), lang);
  if (!kind.ok()) return inv.LocalError(kind.status());
  if (kind->has_value()) {
    i->set_kind(static_cast<v1::InstitutionKind>(**kind));
  } else {
    missing.push_back("--kind");
  }
  absl::StatusOr<std::optional<std::string>> state =
      GetStateCode(inv.flags(), "state", lang);
  if (!state.ok()) return inv.LocalError(state.status());
  if (state->has_value()) i->set_state_code(**state);
  if (!missing.empty()) {
    return inv.UsageError(
        Msg(lang, MsgId::kErrMissingFlags, absl::StrJoin(missing, ", ")));
  }
  int rc = kExitOk;
  v1::Institution response;
  rc = inv.CallOnce(&Stub::CreateInstitution, request, &response);
  if (rc != kExitOk) return rc;
  return inv.Print(response, [&] {
    v1::ListInstitutionsResponse one;
    *one.add_institutions() = response;
    return absl::StrCat(
        Msg(lang, MsgId::kDoneInstitutionCreated, response.institution_id()),
        "\n\n", RenderInstitutions(one, lang, inv.zone()));
  });
}

int RunInstitutionList(Invocation& inv) {
  const Lang lang = inv.lang();
  v1::ListInstitutionsRequest request;
  v1::ListInstitutionsResponse all;
  if (int rc = FetchList<v1::AdminService>(inv, 500, request,
                                           &Stub::ListInstitutions, all);
      rc != kExitOk) {
    return rc;
  }
  return PrintList(inv, all,
                   [&] { return RenderInstitutions(all, lang, inv.zone()); });
}

int RunUserCreate(Invocation& inv) {
  // USER is an id in --institution, or institutions/X/users/Y (an operator
  // admin creating a user of another institution).
  absl::StatusOr<std::string> name = UserArg(inv);
  if (!name.ok()) return inv.LocalError(name.status());
  absl::StatusOr<std::vector<int>> roles = Roles(inv);
  if (!roles.ok()) return inv.LocalError(roles.status());
  std::vector<std::string> parts = absl::StrSplit(*name, '/');
  v1::CreateUserRequest request;
  request.set_parent(InstitutionName(parts[1]));
  request.mutable_user()->set_user_id(parts[3]);
  for (int r : *roles)
    request.mutable_user()->add_roles(static_cast<v1::Role>(r));
  int rc = kExitOk;
  v1::User response;
  rc = inv.CallOnce(&Stub::CreateUser, request, &response);
  if (rc != kExitOk) return rc;
  return PrintUser(inv, response, MsgId::kDoneUserCreated);
}

int RunUserList(Invocation& inv) {
  const Lang lang = inv.lang();
  absl::StatusOr<std::string> institution = inv.Institution();
  if (!institution.ok()) return inv.LocalError(institution.status());
  v1::ListUsersRequest request;
  request.set_parent(InstitutionName(*institution));
  v1::ListUsersResponse all;
  if (int rc =
          FetchList<v1::AdminService>(inv, 500, request, &Stub::ListUsers, all);
      rc != kExitOk) {
    return rc;
  }
  return PrintList(inv, all,
                   [&] { return RenderUsers(all.users(), lang, inv.zone()); });
}

int RunUserSetRoles(Invocation& inv) {
  absl::StatusOr<std::string> name = UserArg(inv);
  if (!name.ok()) return inv.LocalError(name.status());
  absl::StatusOr<std::vector<int>> roles = Roles(inv);
  if (!roles.ok()) return inv.LocalError(roles.status());
  std::optional<std::string> etag = inv.flags().Get("etag");
  if (!etag.has_value()) {
    return inv.UsageError(Msg(inv.lang(), MsgId::kErrMissingFlags, "--etag"));
  }
  v1::SetUserRolesRequest request;
  request.set_name(*name);
  request.set_etag(*etag);
  for (int r : *roles) request.add_roles(static_cast<v1::Role>(r));
  int rc = kExitOk;
  v1::User response;
  rc = inv.CallOnce(&Stub::SetUserRoles, request, &response);
  if (rc != kExitOk) return rc;
  return PrintUser(inv, response, MsgId::kDoneUserUpdated);
}

// `admin user disable` and `admin user enable`: a user's name and etag, one
// call, the user as the node returns her.
template <typename Request>
int RunUserSwitch(Invocation& inv,
                  grpc::Status (Stub::*method)(grpc::ClientContext*,
                                               const Request&, v1::User*),
                  MsgId done) {
  absl::StatusOr<std::string> name = UserArg(inv);
  if (!name.ok()) return inv.LocalError(name.status());
  std::optional<std::string> etag = inv.flags().Get("etag");
  if (!etag.has_value()) {
    return inv.UsageError(Msg(inv.lang(), MsgId::kErrMissingFlags, "--etag"));
  }
  Request request;
  request.set_name(*name);
  request.set_etag(*etag);
  v1::User response;
  if (int rc = inv.CallOnce(method, request, &response); rc != kExitOk) {
    return rc;
  }
  return PrintUser(inv, response, done);
}

int RunUserDisable(Invocation& inv) {
  return RunUserSwitch(inv, &Stub::DisableUser, MsgId::kDoneUserDisabled);
}

int RunUserEnable(Invocation& inv) {
  return RunUserSwitch(inv, &Stub::EnableUser, MsgId::kDoneUserEnabled);
}

// Who the node says the caller is: her institution, user and roles.
int RunWhoami(Invocation& inv) {
  const Lang lang = inv.lang();
  v1::CurrentUser me;
  if (int rc =
          inv.CallOnce(&Stub::GetCurrentUser, v1::GetCurrentUserRequest(), &me);
      rc != kExitOk) {
    return rc;
  }
  return inv.Print(me, [&] {
    const v1::Institution& i = me.institution();
    std::vector<std::string> roles;
    for (int role : me.roles()) {
      roles.push_back(LabelOf(v1::Role_descriptor(), role, lang));
    }
    return RenderRecord({
        {Text(lang, MsgId::kFieldInstitutionId), i.institution_id()},
        {Text(lang, MsgId::kFieldDisplayName), i.display_name()},
        {Text(lang, MsgId::kFieldInstitutionKind),
         LabelOf(v1::InstitutionKind_descriptor(), i.kind(), lang)},
        {Text(lang, MsgId::kFieldOperator),
         i.operator_() ? Text(lang, MsgId::kYes) : ""},
        {Text(lang, MsgId::kFieldUser), me.user_id()},
        {Text(lang, MsgId::kFieldRoles), absl::StrJoin(roles, "; ")},
    });
  });
}

}  // namespace

void RegisterAdminCommands(CommandRegistry& r) {
  r.AddGroup({{"admin"}, MsgId::kGroupAdmin});
  r.AddGroup({{"admin", "institution"}, MsgId::kGroupInstitution});
  r.AddGroup({{"admin", "user"}, MsgId::kGroupUser});
  const FlagSpec etag = Flag("etag", FlagValue::kText, MsgId::kFlagUserEtag);
  const FlagSpec page_size =
      Flag("page-size", FlagValue::kNumber, MsgId::kFlagPageSize);
  const FlagSpec page_token =
      Flag("page-token", FlagValue::kText, MsgId::kFlagPageToken);
  const FlagSpec all = Flag("all", FlagValue::kNone, MsgId::kFlagAll);
  const FlagSpec roles =
      CodeFlag("role", v1::Role_descriptor(), MsgId::kFlagRole, true);

  r.Add({{"whoami"},
         MsgId::kCmdWhoami,
         MsgId::kUsageOptionsOnly,
         MsgId::kNone,
         {},
         0,
         0,
         RunWhoami});
  r.Add({{"admin", "institution", "create"},
         MsgId::kCmdInstitutionCreate,
         MsgId::kUsageInstitutionCreate,
         MsgId::kNone,
         {Flag("id", FlagValue::kText, MsgId::kFlagInstitutionId),
          Flag("display-name", FlagValue::kText, MsgId::kFlagDisplayName),
          CodeFlag("kind", v1::InstitutionKind_descriptor(),
                   MsgId::kFlagInstitutionKind),
          Flag("state", FlagValue::kText, MsgId::kFlagInstitutionState)},
         0,
         0,
         RunInstitutionCreate});
  r.Add({{"admin", "institution", "list"},
         MsgId::kCmdInstitutionList,
         MsgId::kUsageOptionsOnly,
         MsgId::kNone,
         {page_size, page_token, all},
         0,
         0,
         RunInstitutionList});
  r.Add({{"admin", "user", "create"},
         MsgId::kCmdUserCreate,
         MsgId::kUsageUserCreate,
         MsgId::kDetailsUserCreate,
         {roles},
         1,
         1,
         RunUserCreate});
  r.Add({{"admin", "user", "list"},
         MsgId::kCmdUserList,
         MsgId::kUsageOptionsOnly,
         MsgId::kNone,
         {page_size, page_token, all},
         0,
         0,
         RunUserList});
  r.Add({{"admin", "user", "set-roles"},
         MsgId::kCmdUserSetRoles,
         MsgId::kUsageUserSetRoles,
         MsgId::kNone,
         {roles, etag},
         1,
         1,
         RunUserSetRoles});
  r.Add({{"admin", "user", "disable"},
         MsgId::kCmdUserDisable,
         MsgId::kUsageUserDisable,
         MsgId::kNone,
         {etag},
         1,
         1,
         RunUserDisable});
  r.Add({{"admin", "user", "enable"},
         MsgId::kCmdUserEnable,
         MsgId::kUsageUserEnable,
         MsgId::kNone,
         {etag},
         1,
         1,
         RunUserEnable});
}

}  // namespace resguardo::cli
