// AesGcmAead: the project's Aead, AES-256-GCM with a random 96-bit nonce and
// a 128-bit tag.
//
// Wire format (version 1), all integers big-endian:
//
//   0x01 ‖ key id (4) ‖ nonce (12) ‖ ciphertext (= plaintext size) ‖ tag (16)
//
// The 5-byte header (format byte and key id) is authenticated: GCM's
// associated data is header ‖ associated_data (the header has a fixed size,
// so the concatenation is unambiguous). A ciphertext whose header names
// another key id is refused before any decryption.
//
// Nonces are random (RAND_bytes); with 96-bit random nonces a key must not
// encrypt more than 2^32 messages (NIST SP 800-38D, §8.3). Rotate keys well
// before that.
//
// Ownership: New() copies the key into a keyed OpenSSL context; the caller's
// SecretData may be destroyed afterwards.
// Thread safety: Encrypt and Decrypt may be called concurrently.
#ifndef RESGUARDO_CRYPTO_AES_GCM_AEAD_H_
#define RESGUARDO_CRYPTO_AES_GCM_AEAD_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "crypto/aead.h"
#include "crypto/internal/aes_gcm.h"
#include "crypto/secret_data.h"

namespace resguardo::crypto {

class AesGcmAead final : public Aead {
 public:
  static constexpr uint8_t kFormatV1 = 0x01;
  static constexpr size_t kKeySize = internal::AesGcm256::kKeySize;
  static constexpr size_t kNonceSize = internal::AesGcm256::kNonceSize;
  static constexpr size_t kTagSize = internal::AesGcm256::kTagSize;
  // Format byte and key id.
  static constexpr size_t kHeaderSize = 1 + 4;
  // Bytes added to the plaintext by Encrypt.
  static constexpr size_t kOverhead = kHeaderSize + kNonceSize + kTagSize;

  // INVALID_ARGUMENT unless `key` is 32 bytes; INTERNAL if OpenSSL fails.
  static absl::StatusOr<std::unique_ptr<AesGcmAead>> New(const SecretData& key,
                                                         uint32_t key_id);

  // Aead. Encrypt: INVALID_ARGUMENT if plaintext or associated data exceed
  // 1 GiB. Decrypt: INVALID_ARGUMENT for a short input, an unknown format
  // byte, another key id, or "decryption failed" when the tag does not verify.
  absl::StatusOr<std::string> Encrypt(
      absl::string_view plaintext,
      absl::string_view associated_data) const override;
  absl::StatusOr<std::string> Decrypt(
      absl::string_view ciphertext,
      absl::string_view associated_data) const override;

  uint32_t key_id() const { return key_id_; }

  // The key id in a ciphertext's header, without decrypting (to pick the key
  // out of a key set). INVALID_ARGUMENT if the input is shorter than
  // kOverhead or its format byte is unknown. Does not authenticate.
  static absl::StatusOr<uint32_t> KeyIdOf(absl::string_view ciphertext);

 private:
  AesGcmAead(std::unique_ptr<const internal::AesGcm256> cipher,
             uint32_t key_id);

  const std::unique_ptr<const internal::AesGcm256> cipher_;
  const uint32_t key_id_;
  const std::string header_;
};

}  // namespace resguardo::crypto

#endif  // RESGUARDO_CRYPTO_AES_GCM_AEAD_H_
