// AccessPolicy: which roles may call which method. One table for every method
// of the node, checked in one place (the server's interceptor) before any
// handler runs; a method that is not in the table is refused (deny by
// default).
//
// Institution scoping is the other half: a caller acts only for her own
// institution, except the operator institution's admins, who create
// institutions and manage every institution's users. Handlers compare the
// resource's institution with the caller's through CanActFor(); a case of
// another institution is answered NOT_FOUND there, so that its existence is
// not revealed.
//
// Immutable after construction; thread-safe.
#ifndef RESGUARDO_SERVICES_AUTH_ACCESS_POLICY_H_
#define RESGUARDO_SERVICES_AUTH_ACCESS_POLICY_H_

#include <set>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "resguardo/v1/catalogues.pb.h"
#include "services/store/transaction.h"

namespace resguardo::auth {

// The authenticated caller of one call.
struct Principal {
  std::string institution;
  std::string user;
  std::set<v1::Role> roles;
  // The caller's institution is the node's operator institution.
  bool of_operator = false;

  bool Has(v1::Role role) const { return roles.count(role) > 0; }
};

class AccessPolicy {
 public:
  // The policy of DESIGN.md §1 for every method the node serves.
  static const AccessPolicy& Default();

  // OK if one of the principal's roles may call `full_method`
  // ("/resguardo.v1.CaseService/GetCase"); PERMISSION_DENIED otherwise,
  // naming the method (never the caller's data).
  absl::Status Check(const Principal& principal,
                     absl::string_view full_method) const;

  // The roles allowed to call `full_method`; empty if unknown.
  std::set<v1::Role> RolesFor(absl::string_view full_method) const;

  // Every method the table knows.
  std::set<std::string> Methods() const;

 private:
  struct Rule {
    std::set<v1::Role> roles;
    bool operator_only = false;
    bool any_authenticated = false;
  };
  AccessPolicy();
  absl::flat_hash_map<std::string, Rule> rules_;
};

// True if `principal` may act on resources of `institution`: her own, or any
// for the operator's admins on AdminService.
bool CanActFor(const Principal& principal, absl::string_view institution,
               bool admin_method);

// True if `institution` is an oversight body (INSTITUTION_KIND_OVERSIGHT in
// the institutions table), whose auditors read the whole audit log and whose
// analysts count every institution's cases; false for any other kind and
// for an institution that does not exist. Errors: the store's.
absl::StatusOr<bool> IsOversight(store::ReadTxn& txn,
                                 absl::string_view institution);

}  // namespace resguardo::auth

#endif  // RESGUARDO_SERVICES_AUTH_ACCESS_POLICY_H_
