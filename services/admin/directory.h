// Directory: the node's institutions, their key-encryption keys (KEKs), and
// their users and roles. Backs AdminService, maps a caller's certificate
// identity to a Principal, and hands out each institution's Envelope.
//
// Every operation runs in the caller's store transaction (ReadTxn or
// WriteTxn), so that the server can commit a write and its audit entry
// together (audit/audit_log.h). Writes bump the row's version; etags are the
// version as a decimal string.
//
// Authorisation. The server checks the role × method table
// (auth::AccessPolicy) before calling. The Directory checks again what
// depends on data: the caller must be an admin, and may act only for her own
// institution unless she is an admin of the node's operator institution
// (auth::CanActFor with admin_method = true). Another institution's users
// are refused with PERMISSION_DENIED ("the caller may not manage users of
// this institution") BEFORE any lookup, so the answer reveals nothing about
// what exists there (institutions themselves are public to every
// authenticated user through ListInstitutions).
//
// Role separation (DESIGN.md §1: no role reads everything). A request may
// not combine ADMIN or AUDITOR with REGISTRAR, CASEWORKER or SUPERVISOR
// (INVALID_ARGUMENT), and the separation holds over time: the directory
// keeps every role a user has ever held (users.held_roles), and a user who
// has ever held ADMIN or AUDITOR never receives a case role, nor the reverse
// (FAILED_PRECONDITION, naming "roles"). Without it, two admins could give
// each other SUPERVISOR and read every case; an admin cannot change her own
// roles. Users are never deleted (only disabled), so the record lasts. A
// person who needs both kinds of work gets two users, each with its own
// certificate, which the deployment's CA (not the node) issues.
//
// Validation: every request field is checked first; INVALID_ARGUMENT names
// the field (services/api/field_violations.h) and never repeats its value.
// Ids follow services/api/resource_names.h; display_name is 1–200
// characters; kinds and roles are catalogue values other than UNSPECIFIED,
// without repeats; page_size 0 means 50 and above 500 means 500 (AIP-158),
// a negative one is refused; page tokens are opaque
// (api/page_token.h) and checked.
//
// KEKs. Each institution has a KekRing, created with it and kept by
// KeyRings (admin/key_rings.h); EnvelopeFor hands out its Envelope.
//
// Errors never contain personal data or key material. Staff user and
// institution ids are not victims' data, but messages here avoid repeating
// them anyway.
//
// Thread safety: thread-safe. Ownership: the clock is not owned and must
// outlive the Directory; the KeyProvider is used only in New().
#ifndef RESGUARDO_SERVICES_ADMIN_DIRECTORY_H_
#define RESGUARDO_SERVICES_ADMIN_DIRECTORY_H_

#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/clock.h"
#include "crypto/envelope.h"
#include "crypto/key_provider.h"
#include "resguardo/v1/admin_service.pb.h"
#include "services/admin/key_rings.h"
#include "services/auth/access_policy.h"
#include "services/auth/spiffe_id.h"
#include "services/store/snapshot_cache.h"
#include "services/store/transaction.h"

namespace resguardo::admin {

// The node's operator institution, created by `resguardod init`.
struct OperatorInstitution {
  std::string institution_id;  // e.g. "IEEPCO"
  std::string display_name;    // 1–200 characters
  v1::InstitutionKind kind = v1::INSTITUTION_KIND_UNSPECIFIED;
  std::string state_code;  // "" or two digits
};

// What a CreateUser or SetUserRoles call did or tried to do to a user's
// roles, for its audit entry (role numbers only).
struct RoleChange {
  bool known = false;  // false: refused before the user was looked up
  std::set<v1::Role> before;
  std::set<v1::Role> after;
};

class Directory {
 public:
  // Derives the KEK-wrapping key from `keys` (KeyRings::New). Errors: the
  // provider's (UNAVAILABLE, INTERNAL); INVALID_ARGUMENT if clock is null.
  static absl::StatusOr<std::unique_ptr<Directory>> New(
      const crypto::KeyProvider& keys, const Clock* clock);

  Directory(const Directory&) = delete;
  Directory& operator=(const Directory&) = delete;

  // Creates the operator institution (with its KEK ring, version 1) and its
  // first admin (roles {ADMIN}). Idempotent: when they already exist it
  // changes nothing and returns OK (an existing user is left as is, even if
  // disabled or without ADMIN). Errors: INVALID_ARGUMENT for a bad field
  // (names "institution_id", "display_name", "kind", "state_code",
  // "user_id"); FAILED_PRECONDITION if the node already has another operator
  // institution, or `institution_id` exists and is not the operator.
  absl::Status Bootstrap(store::WriteTxn& txn,
                         const OperatorInstitution& institution,
                         absl::string_view first_admin_user_id);

  // Maps a verified certificate identity to the caller.
  // Errors: UNAUTHENTICATED "unknown user" (institution or user not in the
  // directory); PERMISSION_DENIED "user disabled". Messages carry no ids.
  absl::StatusOr<auth::Principal> Authenticate(
      store::ReadTxn& txn, const auth::PeerIdentity& peer) const;

  // Operator's admins only (else PERMISSION_DENIED). Creates the
  // institution and its KEK ring (version 1). ALREADY_EXISTS if the id is
  // taken. `operator` and `create_time` are output only.
  absl::StatusOr<v1::Institution> CreateInstitution(
      store::WriteTxn& txn, const auth::Principal& caller,
      const v1::CreateInstitutionRequest& request);

  // Every authenticated caller; ordered by institution_id.
  absl::StatusOr<v1::ListInstitutionsResponse> ListInstitutions(
      store::ReadTxn& txn, const auth::Principal& caller,
      const v1::ListInstitutionsRequest& request) const;

  // Admins of request.parent, or the operator's admins. NOT_FOUND if the
  // institution does not exist (operator's admins only can tell);
  // ALREADY_EXISTS if the user id is taken there. `change`, if not null,
  // gets the roles requested once the institution is found.
  absl::StatusOr<v1::User> CreateUser(store::WriteTxn& txn,
                                      const auth::Principal& caller,
                                      const v1::CreateUserRequest& request,
                                      RoleChange* change = nullptr);

  // Replaces the user's roles. etag required; ABORTED "the user changed since
  // you read it" when stale; NOT_FOUND "user not found"; FAILED_PRECONDITION
  // when she is the caller, or role separation over time forbids the roles
  // (see above). `change`, if not null, gets her roles and the roles
  // requested once she is found, refused or not.
  absl::StatusOr<v1::User> SetUserRoles(store::WriteTxn& txn,
                                        const auth::Principal& caller,
                                        const v1::SetUserRolesRequest& request,
                                        RoleChange* change = nullptr);

  // Disables the user (her certificate stops working at once). etag as
  // SetUserRoles. FAILED_PRECONDITION if she is the caller, or already
  // disabled.
  absl::StatusOr<v1::User> DisableUser(store::WriteTxn& txn,
                                       const auth::Principal& caller,
                                       const v1::DisableUserRequest& request);

  // Enables a disabled user again: her certificate is accepted again, with
  // the roles she had (role separation is not touched). etag as
  // SetUserRoles. FAILED_PRECONDITION if she is not disabled.
  absl::StatusOr<v1::User> EnableUser(store::WriteTxn& txn,
                                      const auth::Principal& caller,
                                      const v1::EnableUserRequest& request);

  // Ordered by user_id.
  absl::StatusOr<v1::ListUsersResponse> ListUsers(
      store::ReadTxn& txn, const auth::Principal& caller,
      const v1::ListUsersRequest& request) const;

  // The caller herself (GetCurrentUser): her user, roles (as Authenticate
  // found them for this call) and institution, without its create_time.
  // Any authenticated caller.
  absl::StatusOr<v1::CurrentUser> GetCurrentUser(
      store::ReadTxn& txn, const auth::Principal& caller) const;

  // The Envelope of `institution_id`: KeyRings::EnvelopeFor, which states
  // its errors.
  absl::StatusOr<std::shared_ptr<const crypto::Envelope>> EnvelopeFor(
      store::ReadTxn& txn, absl::string_view institution_id);

  // The institutions' key rings, for key rotation (admin/kek_rotations.h).
  KeyRings* key_rings() const { return key_rings_.get(); }

 private:
  Directory(std::unique_ptr<KeyRings> key_rings, const Clock* clock);

  const std::unique_ptr<KeyRings> key_rings_;
  const Clock* const clock_;

  // For reads (store/snapshot_cache.h), keyed "institution/user": dropped
  // by every write to the users table (SetUserRoles, DisableUser,
  // EnableUser; a new
  // user was never cached). Unknown and disabled users are not cached.
  mutable store::SnapshotCache<std::string, auth::Principal> principals_{4096};
};

}  // namespace resguardo::admin

#endif  // RESGUARDO_SERVICES_ADMIN_DIRECTORY_H_
