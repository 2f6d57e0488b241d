// One piece (about 700 lines): the users and institutions of the node and
// their one principal cache, which every write here must invalidate in the
// same transaction; the KEK rings live in key_rings.cc.
#include "services/admin/directory.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "base/status_macros.h"
#include "services/api/error_catalogue.h"
#include "services/api/field_violations.h"
#include "services/api/page_token.h"
#include "services/api/resource_names.h"
#include "services/api/text_rules.h"
#include "services/api/timestamps.h"
#include "services/store/page_query.h"
#include "services/store/statement.h"

namespace resguardo::admin {
namespace {

using api::EncodePageToken;
using api::ErrorId;
using api::FieldViolations;
using api::kMaxPageTokenSize;

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;

constexpr char kUnknownUser[] = "unknown user";
constexpr char kUserDisabled[] = "user disabled";
constexpr char kUserNotFound[] = "user not found";
constexpr char kInstitutionNotFound[] = "institution not found";
constexpr char kNotYourInstitution[] =
    "the caller may not manage users of this institution";
constexpr char kNotAdmin[] = "only administrators may manage users";
constexpr char kUserChanged[] =
    "the user changed since you read it: read it again and retry";

int64_t Micros(const Clock* clock) { return absl::ToUnixMicros(clock->Now()); }

bool IsValidStateCode(absl::string_view code) {
  if (code.size() != 2 || !absl::ascii_isdigit(code[0]) ||
      !absl::ascii_isdigit(code[1])) {
    return false;
  }
  const int n = (code[0] - '0') * 10 + (code[1] - '0');
  return n >= 1 && n <= 32;  // INEGI: 01 Aguascalientes … 32 Zacatecas
}

void CheckInstitutionFields(FieldViolations& v, const std::string& prefix,
                            absl::string_view id,
                            absl::string_view display_name, int kind,
                            absl::string_view state_code) {
  if (!api::IsValidInstitutionId(id)) {
    v.Add(prefix + "institution_id", {ErrorId::kInstitutionIdForm, {2, 32}});
  }
  api::CheckText(v, prefix + "display_name", display_name, 1, 200);
  if (kind == v1::INSTITUTION_KIND_UNSPECIFIED ||
      !v1::InstitutionKind_IsValid(kind)) {
    v.Add(prefix + "kind", ErrorId::kInstitutionKind);
  }
  if (!state_code.empty() && !IsValidStateCode(state_code)) {
    v.Add(prefix + "state_code", ErrorId::kStateCode);
  }
}

void CheckUserId(FieldViolations& v, const std::string& field,
                 absl::string_view id) {
  if (!api::IsValidUserId(id)) {
    v.Add(field, {ErrorId::kUserIdForm, {1, 63}});
  }
}

bool Oversees(const std::set<v1::Role>& roles) {
  return roles.count(v1::ROLE_ADMIN) || roles.count(v1::ROLE_AUDITOR);
}

bool WorksCases(const std::set<v1::Role>& roles) {
  return roles.count(v1::ROLE_REGISTRAR) || roles.count(v1::ROLE_CASEWORKER) ||
         roles.count(v1::ROLE_SUPERVISOR);
}

// Role separation over time (directory.h): `requested` may not add a case
// role to a user who has held ADMIN or AUDITOR, nor the reverse.
absl::Status CheckSeparation(const std::set<v1::Role>& held,
                             const std::set<v1::Role>& requested) {
  if (Oversees(held) && WorksCases(requested)) {
    return api::WithErrorText(
        absl::FailedPreconditionError(
            "roles: this user has held ADMIN or AUDITOR, so she may never "
            "receive REGISTRAR, CASEWORKER or SUPERVISOR (role separation); "
            "case work needs another user"),
        ErrorId::kRoleSeparationOverTime);
  }
  if (WorksCases(held) && Oversees(requested)) {
    return api::WithErrorText(
        absl::FailedPreconditionError(
            "roles: this user has held REGISTRAR, CASEWORKER or SUPERVISOR, so "
            "she may never receive ADMIN or AUDITOR (role separation); "
            "administration or audit needs another user"),
        ErrorId::kRoleSeparationOverTime);
  }
  return absl::OkStatus();
}

template <typename Roles>
void CheckRoles(FieldViolations& v, const std::string& field,
                const Roles& roles) {
  if (roles.empty()) {
    v.Add(field, ErrorId::kRolesRequired);
    return;
  }
  std::set<int> seen;
  for (int i = 0; i < roles.size(); ++i) {
    const int role = roles.Get(i);
    const std::string f = absl::StrCat(field, "[", i, "]");
    if (role == v1::ROLE_UNSPECIFIED || !v1::Role_IsValid(role)) {
      v.Add(f, ErrorId::kNotARole);
    } else if (!seen.insert(role).second) {
      v.Add(f, ErrorId::kRepeatedRole);
    }
  }
  // Who manages users or reads the audit log must not read cases (DESIGN.md
  // §1: no role reads everything): otherwise an admin could give herself
  // access to case content.
  std::set<v1::Role> requested;
  for (int r : seen) requested.insert(static_cast<v1::Role>(r));
  if (Oversees(requested) && WorksCases(requested)) {
    v.Add(field, ErrorId::kRolesSeparated);
  }
  // The monitor role is a scraper's (auth/access_policy.h): alone, so that
  // its certificate, kept on the monitoring server, opens nothing else.
  if (requested.count(v1::ROLE_MONITOR) && requested.size() > 1) {
    v.Add(field, ErrorId::kMonitorAlone);
  }
}

void CheckPaging(FieldViolations& v, int32_t page_size,
                 absl::string_view page_token) {
  if (page_size < 0) v.Add("page_size", ErrorId::kPageSizeNegative);
  if (page_token.size() > kMaxPageTokenSize) {
    v.Add("page_token", ErrorId::kPageTokenForm);
  }
}

void CheckEtag(FieldViolations& v, absl::string_view etag) {
  if (etag.empty()) {
    v.Add("etag", ErrorId::kEtagRequired);
  } else if (etag.size() > 20 ||
             !std::all_of(etag.begin(), etag.end(), absl::ascii_isdigit)) {
    v.Add("etag", ErrorId::kEtagForm);
  }
}

std::string EncodeRoles(const std::set<v1::Role>& roles) {
  return absl::StrJoin(roles, ",", [](std::string* out, v1::Role r) {
    absl::StrAppend(out, static_cast<int>(r));
  });
}

absl::StatusOr<std::set<v1::Role>> DecodeRoles(absl::string_view text) {
  std::set<v1::Role> roles;
  if (text.empty()) return roles;
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    int value = 0;
    if (!absl::SimpleAtoi(part, &value) || !v1::Role_IsValid(value)) {
      return absl::DataLossError("a stored user has a malformed role list");
    }
    roles.insert(static_cast<v1::Role>(value));
  }
  return roles;
}

template <typename Roles>
std::set<v1::Role> RoleSet(const Roles& roles) {
  std::set<v1::Role> out;
  for (int r : roles) out.insert(static_cast<v1::Role>(r));
  return out;
}

int EffectivePageSize(int32_t page_size) {
  return api::EffectivePageSize(page_size, kDefaultPageSize, kMaxPageSize);
}

// The stored row of a user.
struct UserRow {
  std::string institution;
  std::string user_id;
  std::set<v1::Role> roles;
  // Every role she has ever held (roles included).
  std::set<v1::Role> held_roles;
  bool disabled = false;
  int64_t version = 0;
  int64_t create_time = 0;
};

constexpr char kUserColumns[] =
    "institution, user_id, roles, disabled, version, create_time, held_roles";

absl::StatusOr<UserRow> ReadUserRow(const store::Statement& s) {
  UserRow row;
  ASSIGN_OR_RETURN(absl::string_view institution, s.ColumnText(0));
  row.institution = std::string(institution);
  ASSIGN_OR_RETURN(absl::string_view user, s.ColumnText(1));
  row.user_id = std::string(user);
  ASSIGN_OR_RETURN(absl::string_view roles, s.ColumnText(2));
  ASSIGN_OR_RETURN(row.roles, DecodeRoles(roles));
  ASSIGN_OR_RETURN(int64_t disabled, s.ColumnInt64(3));
  row.disabled = disabled != 0;
  ASSIGN_OR_RETURN(row.version, s.ColumnInt64(4));
  ASSIGN_OR_RETURN(row.create_time, s.ColumnInt64(5));
  ASSIGN_OR_RETURN(absl::string_view held, s.ColumnText(6));
  ASSIGN_OR_RETURN(row.held_roles, DecodeRoles(held));
  // A row written before held roles were kept has held its roles at least.
  row.held_roles.insert(row.roles.begin(), row.roles.end());
  return row;
}

absl::StatusOr<std::optional<UserRow>> FindUser(store::ReadTxn& txn,
                                                absl::string_view institution,
                                                absl::string_view user) {
  ASSIGN_OR_RETURN(store::Statement s,
                   txn.Prepare(absl::StrCat("SELECT ", kUserColumns,
                                            " FROM users WHERE institution = "
                                            "?1 AND user_id = ?2")));
  RETURN_IF_ERROR(s.BindText(1, institution));
  RETURN_IF_ERROR(s.BindText(2, user));
  ASSIGN_OR_RETURN(bool found, s.Step());
  if (!found) return std::optional<UserRow>();
  ASSIGN_OR_RETURN(UserRow row, ReadUserRow(s));
  return std::optional<UserRow>(std::move(row));
}

v1::User ToProto(const UserRow& row) {
  v1::User user;
  user.set_name(api::UserResourceName(row.institution, row.user_id));
  user.set_user_id(row.user_id);
  for (v1::Role r : row.roles) user.add_roles(r);
  user.set_disabled(row.disabled);
  api::SetTimestamp(row.create_time, user.mutable_create_time());
  user.set_etag(absl::StrCat(row.version));
  return user;
}

struct InstitutionRow {
  std::string id;
  std::string display_name;
  int kind = 0;
  std::string state_code;
  bool is_operator = false;
  int64_t create_time = 0;
};

constexpr char kInstitutionColumns[] =
    "id, display_name, kind, state_code, is_operator, create_time";

absl::StatusOr<InstitutionRow> ReadInstitutionRow(const store::Statement& s) {
  InstitutionRow row;
  ASSIGN_OR_RETURN(absl::string_view id, s.ColumnText(0));
  row.id = std::string(id);
  ASSIGN_OR_RETURN(absl::string_view display_name, s.ColumnText(1));
  row.display_name = std::string(display_name);
  ASSIGN_OR_RETURN(int64_t kind, s.ColumnInt64(2));
  row.kind = static_cast<int>(kind);
  ASSIGN_OR_RETURN(absl::string_view state_code, s.ColumnText(3));
  row.state_code = std::string(state_code);
  ASSIGN_OR_RETURN(int64_t is_operator, s.ColumnInt64(4));
  row.is_operator = is_operator != 0;
  ASSIGN_OR_RETURN(row.create_time, s.ColumnInt64(5));
  return row;
}

absl::StatusOr<std::optional<InstitutionRow>> FindInstitution(
    store::ReadTxn& txn, absl::string_view id) {
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare(absl::StrCat("SELECT ", kInstitutionColumns,
                               " FROM institutions WHERE id = ?1")));
  RETURN_IF_ERROR(s.BindText(1, id));
  ASSIGN_OR_RETURN(bool found, s.Step());
  if (!found) return std::optional<InstitutionRow>();
  ASSIGN_OR_RETURN(InstitutionRow row, ReadInstitutionRow(s));
  return std::optional<InstitutionRow>(std::move(row));
}

v1::Institution ToProto(const InstitutionRow& row) {
  v1::Institution out;
  out.set_name(api::InstitutionName(row.id));
  out.set_institution_id(row.id);
  out.set_display_name(row.display_name);
  out.set_kind(static_cast<v1::InstitutionKind>(row.kind));
  out.set_state_code(row.state_code);
  out.set_operator_(row.is_operator);
  api::SetTimestamp(row.create_time, out.mutable_create_time());
  return out;
}

absl::Status InsertInstitution(store::WriteTxn& txn,
                               const InstitutionRow& row) {
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare("INSERT INTO institutions(id, display_name, kind, "
                  "state_code, is_operator, create_time) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  RETURN_IF_ERROR(s.BindText(1, row.id));
  RETURN_IF_ERROR(s.BindText(2, row.display_name));
  RETURN_IF_ERROR(s.BindInt64(3, row.kind));
  RETURN_IF_ERROR(s.BindText(4, row.state_code));
  RETURN_IF_ERROR(s.BindInt64(5, row.is_operator ? 1 : 0));
  RETURN_IF_ERROR(s.BindInt64(6, row.create_time));
  return s.Run();
}

absl::Status InsertUser(store::WriteTxn& txn, const UserRow& row) {
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare("INSERT INTO users(institution, user_id, roles, disabled, "
                  "version, create_time, update_time, held_roles) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)"));
  RETURN_IF_ERROR(s.BindText(1, row.institution));
  RETURN_IF_ERROR(s.BindText(2, row.user_id));
  RETURN_IF_ERROR(s.BindText(3, EncodeRoles(row.roles)));
  RETURN_IF_ERROR(s.BindInt64(4, row.disabled ? 1 : 0));
  RETURN_IF_ERROR(s.BindInt64(5, row.version));
  RETURN_IF_ERROR(s.BindInt64(6, row.create_time));
  std::set<v1::Role> held = row.held_roles;
  held.insert(row.roles.begin(), row.roles.end());
  RETURN_IF_ERROR(s.BindText(7, EncodeRoles(held)));
  return s.Run();
}

// Caller checks shared by the user-management methods: an admin, acting for
// her own institution. The operator's admins may also act for another
// institution, but only to create its administrators (`creates_admin_only`):
// they bootstrap a new institution, and never give themselves a way into
// its cases by creating, re-rolling or disabling its staff.
absl::Status CheckUserManager(const auth::Principal& caller,
                              absl::string_view institution,
                              bool creates_admin_only = false) {
  if (!caller.Has(v1::ROLE_ADMIN))
    return api::WithErrorText(absl::PermissionDeniedError(kNotAdmin),
                              api::ErrorId::kDeniedRole);
  if (!auth::CanActFor(caller, institution,
                       /*admin_method=*/creates_admin_only)) {
    return api::WithErrorText(absl::PermissionDeniedError(kNotYourInstitution),
                              api::ErrorId::kDeniedOtherInstitutionUsers);
  }
  return absl::OkStatus();
}

bool OnlyAdminRole(const google::protobuf::RepeatedField<int>& roles) {
  return roles.size() == 1 && roles.Get(0) == v1::ROLE_ADMIN;
}

// Loads the user for an etag-guarded write.
absl::StatusOr<UserRow> LoadForWrite(store::ReadTxn& txn,
                                     const api::UserName& name,
                                     absl::string_view etag) {
  ASSIGN_OR_RETURN(std::optional<UserRow> row,
                   FindUser(txn, name.institution, name.user));
  if (!row) return absl::NotFoundError(kUserNotFound);
  if (etag != absl::StrCat(row->version)) {
    return api::WithErrorText(absl::AbortedError(kUserChanged),
                              ErrorId::kUserChanged);
  }
  return *std::move(row);
}

// The user named by a disable or enable request (her name and etag
// checked), loaded for the write of an admin who may manage her.
absl::StatusOr<UserRow> LoadForSwitch(store::ReadTxn& txn,
                                      const auth::Principal& caller,
                                      const std::string& user_name,
                                      const std::string& etag) {
  FieldViolations v;
  std::optional<api::UserName> name = api::ParseUserName(user_name);
  if (!name) v.Add("name", ErrorId::kUserName);
  CheckEtag(v, etag);
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(CheckUserManager(caller, name->institution));
  return LoadForWrite(txn, *name, etag);
}

absl::Status UpdateUser(store::WriteTxn& txn, const UserRow& row, int64_t now) {
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare("UPDATE users SET roles = ?3, disabled = ?4, version = ?5, "
                  "update_time = ?6, held_roles = ?7 "
                  "WHERE institution = ?1 AND user_id = ?2"));
  RETURN_IF_ERROR(s.BindText(1, row.institution));
  RETURN_IF_ERROR(s.BindText(2, row.user_id));
  RETURN_IF_ERROR(s.BindText(3, EncodeRoles(row.roles)));
  RETURN_IF_ERROR(s.BindInt64(4, row.disabled ? 1 : 0));
  RETURN_IF_ERROR(s.BindInt64(5, row.version));
  RETURN_IF_ERROR(s.BindInt64(6, now));
  std::set<v1::Role> held = row.held_roles;
  held.insert(row.roles.begin(), row.roles.end());
  RETURN_IF_ERROR(s.BindText(7, EncodeRoles(held)));
  return s.Run();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Directory>> Directory::New(
    const crypto::KeyProvider& keys, const Clock* clock) {
  if (clock == nullptr) {
    return absl::InvalidArgumentError("Directory needs a clock");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<KeyRings> key_rings,
                   KeyRings::New(keys, clock));
  return std::unique_ptr<Directory>(new Directory(std::move(key_rings), clock));
}

Directory::Directory(std::unique_ptr<KeyRings> key_rings, const Clock* clock)
    : key_rings_(std::move(key_rings)), clock_(clock) {}

absl::Status Directory::Bootstrap(store::WriteTxn& txn,
                                  const OperatorInstitution& institution,
                                  absl::string_view first_admin_user_id) {
  FieldViolations v;
  CheckInstitutionFields(v, "", institution.institution_id,
                         institution.display_name, institution.kind,
                         institution.state_code);
  CheckUserId(v, "user_id", first_admin_user_id);
  RETURN_IF_ERROR(v.ToStatus());

  ASSIGN_OR_RETURN(store::Statement find_operator,
                   txn.Prepare("SELECT id FROM institutions "
                               "WHERE is_operator = 1"));
  ASSIGN_OR_RETURN(bool has_operator, find_operator.Step());
  if (has_operator) {
    ASSIGN_OR_RETURN(absl::string_view id, find_operator.ColumnText(0));
    if (id != institution.institution_id) {
      return absl::FailedPreconditionError(
          "the node already has another operator institution");
    }
  } else {
    ASSIGN_OR_RETURN(std::optional<InstitutionRow> existing,
                     FindInstitution(txn, institution.institution_id));
    if (existing) {
      return absl::FailedPreconditionError(
          "the institution exists and is not the node's operator");
    }
    InstitutionRow row;
    row.id = institution.institution_id;
    row.display_name = institution.display_name;
    row.kind = institution.kind;
    row.state_code = institution.state_code;
    row.is_operator = true;
    row.create_time = Micros(clock_);
    RETURN_IF_ERROR(InsertInstitution(txn, row));
  }
  // A ring for the operator, unless it has one.
  ASSIGN_OR_RETURN(store::Statement has_keys,
                   txn.Prepare("SELECT 1 FROM kek_versions "
                               "WHERE institution = ?1 LIMIT 1"));
  RETURN_IF_ERROR(has_keys.BindText(1, institution.institution_id));
  ASSIGN_OR_RETURN(bool keys_exist, has_keys.Step());
  if (!keys_exist) {
    RETURN_IF_ERROR(key_rings_->Create(txn, institution.institution_id));
  }
  ASSIGN_OR_RETURN(
      std::optional<UserRow> admin,
      FindUser(txn, institution.institution_id, first_admin_user_id));
  if (!admin) {
    UserRow row;
    row.institution = institution.institution_id;
    row.user_id = std::string(first_admin_user_id);
    row.roles = {v1::ROLE_ADMIN};
    row.version = 1;
    row.create_time = Micros(clock_);
    RETURN_IF_ERROR(InsertUser(txn, row));
  }
  return absl::OkStatus();
}

absl::StatusOr<auth::Principal> Directory::Authenticate(
    store::ReadTxn& txn, const auth::PeerIdentity& peer) const {
  if (!api::IsValidInstitutionId(peer.institution) ||
      !api::IsValidUserId(peer.user)) {
    return absl::UnauthenticatedError(kUnknownUser);
  }
  // Reads use the cache; a write function looks at its own batch, which may
  // have just disabled the caller.
  const bool cacheable = txn.snapshot_floor().has_value();
  const std::string key = absl::StrCat(peer.institution, "/", peer.user);
  if (cacheable) {
    if (std::optional<auth::Principal> hit = principals_.Get(key)) return *hit;
  }
  ASSIGN_OR_RETURN(std::optional<InstitutionRow> institution,
                   FindInstitution(txn, peer.institution));
  if (!institution) return absl::UnauthenticatedError(kUnknownUser);
  ASSIGN_OR_RETURN(std::optional<UserRow> user,
                   FindUser(txn, peer.institution, peer.user));
  if (!user) return absl::UnauthenticatedError(kUnknownUser);
  if (user->disabled) {
    return api::WithErrorText(absl::PermissionDeniedError(kUserDisabled),
                              api::ErrorId::kDeniedUserDisabled);
  }
  auth::Principal principal;
  principal.institution = institution->id;
  principal.user = user->user_id;
  principal.roles = user->roles;
  principal.of_operator = institution->is_operator;
  if (cacheable) principals_.Offer(txn, key, principal);
  return principal;
}

absl::StatusOr<v1::Institution> Directory::CreateInstitution(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::CreateInstitutionRequest& request) {
  FieldViolations v;
  const v1::Institution& in = request.institution();
  if (!request.has_institution()) {
    v.Add("institution", ErrorId::kRequired);
  } else {
    CheckInstitutionFields(v, "institution.", in.institution_id(),
                           in.display_name(), in.kind(), in.state_code());
  }
  RETURN_IF_ERROR(v.ToStatus());
  if (!caller.of_operator || !caller.Has(v1::ROLE_ADMIN)) {
    return api::WithErrorText(
        absl::PermissionDeniedError(
            "only the node operator's administrators may create institutions"),
        ErrorId::kOperatorCreatesInstitutions);
  }
  ASSIGN_OR_RETURN(std::optional<InstitutionRow> existing,
                   FindInstitution(txn, in.institution_id()));
  if (existing) {
    return absl::AlreadyExistsError(
        "an institution with this id already exists");
  }
  InstitutionRow row;
  row.id = in.institution_id();
  row.display_name = in.display_name();
  row.kind = in.kind();
  row.state_code = in.state_code();
  row.is_operator = false;
  row.create_time = Micros(clock_);
  RETURN_IF_ERROR(InsertInstitution(txn, row));
  RETURN_IF_ERROR(key_rings_->Create(txn, row.id));
  return ToProto(row);
}

absl::StatusOr<v1::ListInstitutionsResponse> Directory::ListInstitutions(
    store::ReadTxn& txn, const auth::Principal& caller,
    const v1::ListInstitutionsRequest& request) const {
  FieldViolations v;
  CheckPaging(v, request.page_size(), request.page_token());
  RETURN_IF_ERROR(v.ToStatus());
  constexpr char kScope[] = "ListInstitutions";
  ASSIGN_OR_RETURN(const std::string after,
                   api::DecodeIdPosition(request.page_token(), kScope,
                                         api::IsValidInstitutionId));
  const int page_size = EffectivePageSize(request.page_size());
  ASSIGN_OR_RETURN(store::Statement s,
                   txn.Prepare(absl::StrCat("SELECT ", kInstitutionColumns,
                                            " FROM institutions WHERE id > ?1 "
                                            "ORDER BY id LIMIT ?2")));
  RETURN_IF_ERROR(s.BindText(1, after));
  v1::ListInstitutionsResponse response;
  std::string last;
  auto read_row = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(InstitutionRow r, ReadInstitutionRow(s));
    last = r.id;
    *response.add_institutions() = ToProto(r);
    return absl::OkStatus();
  };
  ASSIGN_OR_RETURN(const bool more, store::ReadPage(s, 2, page_size, read_row));
  if (more) {
    response.set_next_page_token(EncodePageToken(kScope, last));
  }
  return response;
}

absl::StatusOr<v1::User> Directory::CreateUser(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::CreateUserRequest& request, RoleChange* change) {
  FieldViolations v;
  std::optional<std::string> institution =
      api::ParseInstitutionName(request.parent());
  if (!institution) v.Add("parent", ErrorId::kInstitutionName);
  if (!request.has_user()) {
    v.Add("user", ErrorId::kRequired);
  } else {
    CheckUserId(v, "user.user_id", request.user().user_id());
    CheckRoles(v, "user.roles", request.user().roles());
  }
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(CheckUserManager(caller, *institution,
                                   OnlyAdminRole(request.user().roles())));
  ASSIGN_OR_RETURN(std::optional<InstitutionRow> inst,
                   FindInstitution(txn, *institution));
  if (!inst) return absl::NotFoundError(kInstitutionNotFound);
  if (change != nullptr) {
    change->known = true;
    change->before.clear();
    change->after = RoleSet(request.user().roles());
  }
  ASSIGN_OR_RETURN(std::optional<UserRow> existing,
                   FindUser(txn, *institution, request.user().user_id()));
  if (existing) {
    return absl::AlreadyExistsError(
        "a user with this id already exists in the institution");
  }
  UserRow row;
  row.institution = *institution;
  row.user_id = request.user().user_id();
  row.roles = RoleSet(request.user().roles());
  row.version = 1;
  row.create_time = Micros(clock_);
  RETURN_IF_ERROR(InsertUser(txn, row));
  return ToProto(row);
}

absl::StatusOr<v1::User> Directory::SetUserRoles(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::SetUserRolesRequest& request, RoleChange* change) {
  FieldViolations v;
  std::optional<api::UserName> name = api::ParseUserName(request.name());
  if (!name) v.Add("name", ErrorId::kUserName);
  CheckRoles(v, "roles", request.roles());
  CheckEtag(v, request.etag());
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(CheckUserManager(caller, name->institution));
  if (name->institution == caller.institution && name->user == caller.user) {
    return api::WithErrorText(
        absl::FailedPreconditionError(
            "an administrator cannot change her own roles"),
        ErrorId::kOwnRolesUnchangeable);
  }
  ASSIGN_OR_RETURN(UserRow row, LoadForWrite(txn, *name, request.etag()));
  const std::set<v1::Role> requested = RoleSet(request.roles());
  if (change != nullptr) {
    change->known = true;
    change->before = row.roles;
    change->after = requested;
  }
  RETURN_IF_ERROR(CheckSeparation(row.held_roles, requested));
  row.roles = requested;
  row.held_roles.insert(requested.begin(), requested.end());
  row.version += 1;
  RETURN_IF_ERROR(UpdateUser(txn, row, Micros(clock_)));
  principals_.InvalidateAll(txn);
  return ToProto(row);
}

absl::StatusOr<v1::User> Directory::DisableUser(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::DisableUserRequest& request) {
  ASSIGN_OR_RETURN(UserRow row,
                   LoadForSwitch(txn, caller, request.name(), request.etag()));
  if (row.institution == caller.institution && row.user_id == caller.user) {
    return api::WithErrorText(absl::FailedPreconditionError(
                                  "an administrator cannot disable herself"),
                              ErrorId::kCannotDisableSelf);
  }
  if (row.disabled) {
    return api::WithErrorText(
        absl::FailedPreconditionError("the user is already disabled"),
        ErrorId::kUserAlreadyDisabled);
  }
  row.disabled = true;
  row.version += 1;
  RETURN_IF_ERROR(UpdateUser(txn, row, Micros(clock_)));
  principals_.InvalidateAll(txn);
  return ToProto(row);
}

absl::StatusOr<v1::User> Directory::EnableUser(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::EnableUserRequest& request) {
  ASSIGN_OR_RETURN(UserRow row,
                   LoadForSwitch(txn, caller, request.name(), request.etag()));
  // The caller is enabled (Authenticate refuses a disabled one), so she is
  // never the user enabled here.
  if (!row.disabled) {
    return api::WithErrorText(
        absl::FailedPreconditionError("the user is not disabled"),
        ErrorId::kUserNotDisabled);
  }
  row.disabled = false;
  row.version += 1;
  RETURN_IF_ERROR(UpdateUser(txn, row, Micros(clock_)));
  principals_.InvalidateAll(txn);
  return ToProto(row);
}

absl::StatusOr<v1::ListUsersResponse> Directory::ListUsers(
    store::ReadTxn& txn, const auth::Principal& caller,
    const v1::ListUsersRequest& request) const {
  FieldViolations v;
  std::optional<std::string> institution =
      api::ParseInstitutionName(request.parent());
  if (!institution) v.Add("parent", ErrorId::kInstitutionName);
  CheckPaging(v, request.page_size(), request.page_token());
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(CheckUserManager(caller, *institution));
  const std::string scope = absl::StrCat("ListUsers\n", *institution);
  ASSIGN_OR_RETURN(
      const std::string after,
      api::DecodeIdPosition(request.page_token(), scope, api::IsValidUserId));
  ASSIGN_OR_RETURN(std::optional<InstitutionRow> inst,
                   FindInstitution(txn, *institution));
  if (!inst) return absl::NotFoundError(kInstitutionNotFound);
  const int page_size = EffectivePageSize(request.page_size());
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare(absl::StrCat("SELECT ", kUserColumns,
                               " FROM users WHERE institution = ?1 AND "
                               "user_id > ?2 ORDER BY user_id LIMIT ?3")));
  RETURN_IF_ERROR(s.BindText(1, *institution));
  RETURN_IF_ERROR(s.BindText(2, after));
  v1::ListUsersResponse response;
  std::string last;
  auto read_row = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(UserRow r, ReadUserRow(s));
    last = r.user_id;
    *response.add_users() = ToProto(r);
    return absl::OkStatus();
  };
  ASSIGN_OR_RETURN(const bool more, store::ReadPage(s, 3, page_size, read_row));
  if (more) {
    response.set_next_page_token(EncodePageToken(scope, last));
  }
  return response;
}

absl::StatusOr<v1::CurrentUser> Directory::GetCurrentUser(
    store::ReadTxn& txn, const auth::Principal& caller) const {
  ASSIGN_OR_RETURN(std::optional<InstitutionRow> institution,
                   FindInstitution(txn, caller.institution));
  if (!institution) return absl::UnauthenticatedError(kUnknownUser);
  v1::CurrentUser out;
  out.set_name(api::UserResourceName(caller.institution, caller.user));
  out.set_user_id(caller.user);
  for (v1::Role role : caller.roles) out.add_roles(role);
  *out.mutable_institution() = ToProto(*institution);
  out.mutable_institution()->clear_create_time();
  return out;
}

absl::StatusOr<std::shared_ptr<const crypto::Envelope>> Directory::EnvelopeFor(
    store::ReadTxn& txn, absl::string_view institution_id) {
  return key_rings_->EnvelopeFor(txn, institution_id);
}

}  // namespace resguardo::admin
