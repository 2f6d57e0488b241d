// AccessPolicy: which roles may call which method. One table for every method
// of the node, checked once per call by the server's CallRunner
// (services/server/call_runner.h) after it authenticates the caller and
// before the handler's domain object runs; a method that is not in the
// table is refused (deny by default).
//
// Institution scoping is the other half, checked by the domain objects: a
// caller acts only for her own institution. The operator institution's
// admins also create institutions (CreateInstitution is operator-only here)
// and, through CanActFor with admin_method = true, may act for another
// institution on AdminService; admin::Directory narrows that to creating
// the other institution's administrators (never re-rolling or disabling its
// staff). A case or referral of another institution is answered NOT_FOUND,
// so that its existence is not revealed. IsOversight tells the oversight
// bodies, whose auditors and analysts read beyond their institution.
//
// AccessPolicy is immutable after construction; everything here is
// thread-safe.
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

// The node's metrics (GET /metrics on the web listener), as the call core
// and the audit log name that call. Only ROLE_MONITOR may read them, and a
// user whose only role is ROLE_MONITOR may call nothing else, not even the
// methods open to every user (who she is, the institutions): a scraper's
// certificate, if stolen, reads counters and nothing of the institutions.
inline constexpr char kMetricsMethod[] = "/metrics";

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
