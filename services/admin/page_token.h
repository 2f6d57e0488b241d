// Opaque page tokens for the node's List methods (AIP-158).
//
// A token carries the position after which the next page starts, bound to
// the query it was issued for: `scope` is a canonical string of the method,
// the parent and every filter. A token presented with another scope (other
// filters, another parent, another method) does not decode. The position is
// not secret (a sort key: an institution id, a user id, a row number), but
// clients must treat tokens as opaque: the format may change.
//
// Layout: base64url (no padding) of 0x01 ‖ SHA-256(scope)[0..16) ‖ position.
//
// Pure functions; thread-safe.
#ifndef RESGUARDO_SERVICES_ADMIN_PAGE_TOKEN_H_
#define RESGUARDO_SERVICES_ADMIN_PAGE_TOKEN_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace resguardo::admin {

// Longest token DecodePageToken accepts.
inline constexpr size_t kMaxPageTokenSize = 512;

std::string EncodePageToken(absl::string_view scope,
                            absl::string_view position);

// The position, or nullopt if `token` is malformed, too long, or was issued
// for another scope. An empty token is nullopt too: callers treat an empty
// page_token as "first page" before calling this.
std::optional<std::string> DecodePageToken(absl::string_view token,
                                           absl::string_view scope);

}  // namespace resguardo::admin

#endif  // RESGUARDO_SERVICES_ADMIN_PAGE_TOKEN_H_
