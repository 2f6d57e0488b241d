#include "services/admin/page_token.h"

#include <openssl/sha.h>

#include <optional>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"

namespace resguardo::admin {
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

}  // namespace resguardo::admin
