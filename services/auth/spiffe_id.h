// The caller's identity as carried by her client certificate: the URI SAN
//   spiffe://<trust-domain>/inst/<institution>/user/<user>
// Pure functions; thread-safe.
#ifndef RESGUARDO_SERVICES_AUTH_SPIFFE_ID_H_
#define RESGUARDO_SERVICES_AUTH_SPIFFE_ID_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace resguardo::auth {

struct PeerIdentity {
  std::string institution;
  std::string user;
};

// Parses `uri` and checks it belongs to `trust_domain`. Errors are
// UNAUTHENTICATED and do not repeat the URI (it names a person).
// REQUIRES: trust_domain is non-empty.
absl::StatusOr<PeerIdentity> ParseSpiffeId(absl::string_view uri,
                                           absl::string_view trust_domain);

std::string FormatSpiffeId(absl::string_view trust_domain,
                           const PeerIdentity& identity);

}  // namespace resguardo::auth

#endif  // RESGUARDO_SERVICES_AUTH_SPIFFE_ID_H_
