// HKDF-SHA-256 (RFC 5869), through OpenSSL 3's EVP_KDF "HKDF".
//
// Thread safety: a pure function; may be called concurrently.
#ifndef RESGUARDO_CRYPTO_HKDF_H_
#define RESGUARDO_CRYPTO_HKDF_H_

#include <cstddef>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "crypto/secret_data.h"

namespace resguardo::crypto {

// RFC 5869's bound: 255 hash lengths.
inline constexpr size_t kHkdfSha256MaxOutputSize = 255 * 32;
// OpenSSL 3.0 keeps `info` in a fixed 1024-byte buffer.
inline constexpr size_t kHkdfMaxInfoSize = 1024;

// Extract-then-expand: returns `out_len` bytes derived from `ikm`. An empty
// `salt` means RFC 5869's default (32 zero bytes).
// Errors: INVALID_ARGUMENT if out_len is 0 or above kHkdfSha256MaxOutputSize,
// or info exceeds kHkdfMaxInfoSize; INTERNAL if OpenSSL fails.
absl::StatusOr<SecretData> HkdfSha256(const SecretData& ikm,
                                      absl::string_view salt,
                                      absl::string_view info, size_t out_len);

}  // namespace resguardo::crypto

#endif  // RESGUARDO_CRYPTO_HKDF_H_
