#include "services/api/page_token.h"

#include <openssl/sha.h>

#include <optional>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"
#include "services/api/field_violations.h"

namespace resguardo::api {
namespace {

constexpr char kFormatV1 = 0x01;
constexpr size_t kFingerprintSize = 16;

std::string Fingerprint(absl::string_view scope) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(scope.data()), scope.size(),
         digest);
  return std::string(reinterpret_cast<const char*>(digest), kFingerprintSize);
}

}  // namespace

std::string EncodePageToken(absl::string_view scope,
                            absl::string_view position) {
  std::string raw(1, kFormatV1);
  raw += Fingerprint(scope);
  raw.append(position.data(), position.size());
  return absl::WebSafeBase64Escape(raw);
}

std::optional<std::string> DecodePageToken(absl::string_view token,
                                           absl::string_view scope) {
  if (token.empty() || token.size() > kMaxPageTokenSize) return std::nullopt;
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) return std::nullopt;
  // Only the canonical encoding: no padding, no trailing bits.
  if (absl::WebSafeBase64Escape(raw) != token) return std::nullopt;
  if (raw.size() < 1 + kFingerprintSize || raw[0] != kFormatV1) {
    return std::nullopt;
  }
  if (raw.compare(1, kFingerprintSize, Fingerprint(scope)) != 0) {
    return std::nullopt;
  }
  return raw.substr(1 + kFingerprintSize);
}

ErrorId PageTokenViolation(absl::string_view token, absl::string_view scope) {
  std::string raw;
  // Well formed, of this format, but fingerprinted for another scope.
  if (!token.empty() && token.size() <= kMaxPageTokenSize &&
      absl::WebSafeBase64Unescape(token, &raw) &&
      absl::WebSafeBase64Escape(raw) == token &&
      raw.size() >= 1 + kFingerprintSize && raw[0] == kFormatV1 &&
      raw.compare(1, kFingerprintSize, Fingerprint(scope)) != 0) {
    return ErrorId::kPageTokenOfAnotherQuery;
  }
  return ErrorId::kPageTokenForm;
}

absl::StatusOr<int64_t> DecodeRowPosition(absl::string_view token,
                                          absl::string_view scope) {
  if (token.empty()) return 0;
  std::optional<std::string> position = DecodePageToken(token, scope);
  int64_t row = 0;
  if (!position || !absl::SimpleAtoi(*position, &row) || row < 1) {
    api::FieldViolations v;
    v.Add("page_token", PageTokenViolation(token, scope));
    return v.ToStatus();
  }
  return row;
}

absl::StatusOr<std::string> DecodeIdPosition(
    absl::string_view token, absl::string_view scope,
    bool (*is_valid_id)(absl::string_view)) {
  if (token.empty()) return std::string();
  std::optional<std::string> position = DecodePageToken(token, scope);
  if (!position || !is_valid_id(*position)) {
    api::FieldViolations v;
    v.Add("page_token", PageTokenViolation(token, scope));
    return v.ToStatus();
  }
  return *std::move(position);
}

int EffectivePageSize(int32_t requested, int default_size, int max_size) {
  if (requested <= 0) return default_size;
  return requested > max_size ? max_size : static_cast<int>(requested);
}

}  // namespace resguardo::api
