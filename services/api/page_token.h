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
// Page sizes follow AIP-158 too: 0 means the method's default, a size above
// the method's maximum is coerced to it, and only a negative size is refused
// (INVALID_ARGUMENT naming page_size, ErrorId::kPageSizeNegative).
//
// Pure functions; thread-safe.
#ifndef RESGUARDO_SERVICES_API_PAGE_TOKEN_H_
#define RESGUARDO_SERVICES_API_PAGE_TOKEN_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/api/error_catalogue.h"

namespace resguardo::api {

// Longest token DecodePageToken accepts.
inline constexpr size_t kMaxPageTokenSize = 512;

std::string EncodePageToken(absl::string_view scope,
                            absl::string_view position);

// The position, or nullopt if `token` is malformed, too long, or was issued
// for another scope. An empty token is nullopt too: callers treat an empty
// page_token as "first page" before calling this.
std::optional<std::string> DecodePageToken(absl::string_view token,
                                           absl::string_view scope);

// The description of a page_token field violation for a token that
// DecodePageToken refused for `scope`: one that was issued for another
// query (ErrorId::kPageTokenOfAnotherQuery) or one the server never issued
// (ErrorId::kPageTokenForm).
ErrorId PageTokenViolation(absl::string_view token, absl::string_view scope);

// The position of `token` for `scope` when positions are row numbers (>= 1):
// 0 for an empty token (the first page); INVALID_ARGUMENT naming page_token
// (PageTokenViolation) for one DecodePageToken refuses or whose position is
// not a row number.
absl::StatusOr<int64_t> DecodeRowPosition(absl::string_view token,
                                          absl::string_view scope);

// As DecodeRowPosition when positions are ids (an institution id, a user
// id): "" for an empty token, INVALID_ARGUMENT naming page_token for one
// DecodePageToken refuses or whose position `is_valid_id` refuses.
absl::StatusOr<std::string> DecodeIdPosition(
    absl::string_view token, absl::string_view scope,
    bool (*is_valid_id)(absl::string_view));

// The number of items to return for `requested`: `default_size` for 0,
// `max_size` for anything above it (AIP-158 coercion).
// REQUIRES: requested >= 0, 0 < default_size <= max_size.
int EffectivePageSize(int32_t requested, int default_size, int max_size);

}  // namespace resguardo::api

#endif  // RESGUARDO_SERVICES_API_PAGE_TOKEN_H_
