// AesGcm256: the raw AES-256-GCM primitive with an explicit nonce.
//
// Internal to crypto/. Callers outside crypto/ use an Aead (aead.h), which
// picks the nonce itself; the only other users are the vector tests. Only
// 32-byte keys, 12-byte nonces and 16-byte tags are accepted, so parameters
// that weaken GCM (short tags, non-96-bit nonces hashed through GHASH) cannot
// be reached.
//
// The key schedule and GHASH table are computed once, in New(), into a keyed
// EVP_CIPHER_CTX; every call copies that context (EVP_CIPHER_CTX_copy), so no
// call re-fetches the cipher or re-expands the key.
//
// Thread safety: all methods are const and may be called concurrently.
// Errors: INVALID_ARGUMENT for a bad key/nonce/tag size, an oversized input,
// or (Open) a tag that does not verify; INTERNAL if OpenSSL fails.
#ifndef RESGUARDO_CRYPTO_INTERNAL_AES_GCM_H_
#define RESGUARDO_CRYPTO_INTERNAL_AES_GCM_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "crypto/internal/openssl_util.h"
#include "crypto/secret_data.h"

namespace resguardo::crypto::internal {

class AesGcm256 {
 public:
  static constexpr size_t kKeySize = 32;
  static constexpr size_t kNonceSize = 12;
  static constexpr size_t kTagSize = 16;
  // GCM's own limit is 2^36 - 32 bytes; 1 GiB is far above any record and
  // keeps every length within OpenSSL's int.
  static constexpr size_t kMaxInputSize = size_t{1} << 30;

  // Returns INVALID_ARGUMENT unless `key` is 32 bytes. The key bytes are
  // copied into OpenSSL's context (freed with OPENSSL_clear_free); `key` may
  // be destroyed afterwards.
  static absl::StatusOr<std::unique_ptr<const AesGcm256>> New(
      const SecretData& key);

  AesGcm256(const AesGcm256&) = delete;
  AesGcm256& operator=(const AesGcm256&) = delete;

  // Encrypts `plaintext` and writes ciphertext ‖ tag to `out`. The
  // associated data is the concatenation of `associated_data_parts` (so a
  // caller can prepend a header without copying).
  // REQUIRES: out.size() == plaintext.size() + kTagSize; `out` does not
  // overlap the inputs.
  absl::Status SealInto(
      absl::string_view nonce, absl::string_view plaintext,
      absl::Span<const absl::string_view> associated_data_parts,
      absl::Span<uint8_t> out) const;
  // Same, returning ciphertext ‖ tag.
  absl::StatusOr<std::string> Seal(absl::string_view nonce,
                                   absl::string_view plaintext,
                                   absl::string_view associated_data) const;

  // Verifies `tag` over `ciphertext` and the associated data (the
  // concatenation of `associated_data_parts`) and writes the plaintext to
  // `out`. On any failure `out` is wiped.
  // REQUIRES: out.size() == ciphertext.size(); no overlap.
  absl::Status OpenInto(
      absl::string_view nonce, absl::string_view ciphertext,
      absl::string_view tag,
      absl::Span<const absl::string_view> associated_data_parts,
      absl::Span<uint8_t> out) const;
  // Same, returning the plaintext.
  absl::StatusOr<std::string> Open(absl::string_view nonce,
                                   absl::string_view ciphertext,
                                   absl::string_view tag,
                                   absl::string_view associated_data) const;

 private:
  AesGcm256(CipherCtxPtr encrypt, CipherCtxPtr decrypt)
      : encrypt_(std::move(encrypt)), decrypt_(std::move(decrypt)) {}

  // Keyed, never used directly: only copied.
  CipherCtxPtr encrypt_;
  CipherCtxPtr decrypt_;
};

// Writes a fresh random 96-bit nonce to `out` (REQUIRES: out.size() ==
// AesGcm256::kNonceSize).
//
// The bytes come from OpenSSL's RAND (RAND_bytes) but are drawn in batches
// of 4 KiB per thread: a RAND_bytes call costs about a microsecond in
// OpenSSL 3.0, more than sealing a 1 KiB record. The batch lives in a page
// marked MADV_WIPEONFORK, so a forked child sees it empty and draws its own
// (a child reusing its parent's nonces under the same key would break GCM).
// Where the kernel lacks MADV_WIPEONFORK (Linux < 4.14) every nonce is one
// RAND_bytes call. Nonces are not secret; only their uniqueness matters.
//
// Thread-safe. INTERNAL if the random number generator fails.
absl::Status RandomNonce(absl::Span<uint8_t> out);

}  // namespace resguardo::crypto::internal

#endif  // RESGUARDO_CRYPTO_INTERNAL_AES_GCM_H_
