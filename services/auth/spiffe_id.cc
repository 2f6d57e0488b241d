#include "services/auth/spiffe_id.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/api/resource_names.h"

namespace resguardo::auth {

absl::StatusOr<PeerIdentity> ParseSpiffeId(absl::string_view uri,
                                           absl::string_view trust_domain) {
  absl::string_view rest = uri;
  if (!absl::ConsumePrefix(&rest, "spiffe://")) {
    return absl::UnauthenticatedError(
        "the client certificate's URI SAN is not a SPIFFE ID");
  }
  std::vector<absl::string_view> parts = absl::StrSplit(rest, '/');
  if (parts.size() != 5 || parts[0] != trust_domain) {
    return absl::UnauthenticatedError(
        "the client certificate's SPIFFE ID is not of this node's trust "
        "domain and form spiffe://<trust-domain>/inst/<institution>/user/"
        "<user>");
  }
  if (parts[1] != "inst" || parts[3] != "user" ||
      !api::IsValidInstitutionId(parts[2]) || !api::IsValidUserId(parts[4])) {
    return absl::UnauthenticatedError(
        "the client certificate's SPIFFE ID is not of the form "
        "spiffe://<trust-domain>/inst/<institution>/user/<user>");
  }
  return PeerIdentity{std::string(parts[2]), std::string(parts[4])};
}

std::string FormatSpiffeId(absl::string_view trust_domain,
                           const PeerIdentity& identity) {
  return absl::StrCat("spiffe://", trust_domain, "/inst/", identity.institution,
                      "/user/", identity.user);
}

}  // namespace resguardo::auth
