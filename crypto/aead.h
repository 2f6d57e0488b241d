// Aead: authenticated encryption with associated data, in the manner of
// Tink's crypto::tink::Aead.
//
// The interface takes no nonce and exposes no key: an implementation picks a
// fresh nonce for every Encrypt and puts whatever it needs to decrypt (format
// version, key id, nonce) into the ciphertext. `associated_data` is
// authenticated but not encrypted; Decrypt succeeds only with the same
// associated data that was given to Encrypt.
//
// Thread safety: implementations must allow concurrent calls of both methods.
#ifndef RESGUARDO_CRYPTO_AEAD_H_
#define RESGUARDO_CRYPTO_AEAD_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace resguardo::crypto {

class Aead {
 public:
  virtual ~Aead() = default;

  // Returns the ciphertext (owned by the caller). INVALID_ARGUMENT for an
  // input the implementation cannot take (too large); INTERNAL if the
  // underlying library fails.
  virtual absl::StatusOr<std::string> Encrypt(
      absl::string_view plaintext, absl::string_view associated_data) const = 0;

  // Returns the plaintext. INVALID_ARGUMENT if `ciphertext` is malformed, was
  // made by another key, or does not authenticate with `associated_data`;
  // the message never contains data bytes.
  virtual absl::StatusOr<std::string> Decrypt(
      absl::string_view ciphertext,
      absl::string_view associated_data) const = 0;
};

}  // namespace resguardo::crypto

#endif  // RESGUARDO_CRYPTO_AEAD_H_
