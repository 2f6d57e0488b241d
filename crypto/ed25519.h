// Ed25519 signatures (RFC 8032, pure Ed25519, no context) over OpenSSL 3.
//
// Ed25519Signer holds a private key built from a 32-byte seed (RFC 8032
// §5.1.5); the seed lives only in a SecretData and in OpenSSL's key object.
// Ed25519Verifier holds a raw 32-byte public key.
//
// Thread safety: both classes are immutable after creation; their const
// methods may be called concurrently (each call uses its own EVP_MD_CTX).
//
// Error codes:
//   INVALID_ARGUMENT  a seed, public key or signature of the wrong size.
//   UNAUTHENTICATED   a signature that does not verify.
//   INTERNAL          OpenSSL failed (reasons drained from its error queue).
#ifndef RESGUARDO_CRYPTO_ED25519_H_
#define RESGUARDO_CRYPTO_ED25519_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "crypto/internal/openssl_util.h"
#include "crypto/secret_data.h"

namespace resguardo::crypto {

class Ed25519Signer {
 public:
  static constexpr size_t kSeedSize = 32;
  static constexpr size_t kPublicKeySize = 32;
  static constexpr size_t kSignatureSize = 64;

  // A signer for the private key whose RFC 8032 seed is `seed` (32 bytes,
  // else INVALID_ARGUMENT). The seed is copied into OpenSSL's key object; the
  // caller keeps ownership of `seed`.
  static absl::StatusOr<std::unique_ptr<Ed25519Signer>> New(
      const SecretData& seed);
  // A signer for a fresh key from OpenSSL's CSPRNG.
  static absl::StatusOr<std::unique_ptr<Ed25519Signer>> Generate();

  Ed25519Signer(const Ed25519Signer&) = delete;
  Ed25519Signer& operator=(const Ed25519Signer&) = delete;

  // The 64-byte signature of `message`. Deterministic (RFC 8032): the same
  // key and message always give the same signature.
  absl::StatusOr<std::string> Sign(absl::string_view message) const;

  // The 32 raw bytes of the public key (RFC 8032 encoding).
  const std::string& PublicKey() const { return public_key_; }

 private:
  Ed25519Signer(internal::PkeyPtr key, std::string public_key)
      : key_(std::move(key)), public_key_(std::move(public_key)) {}
  static absl::StatusOr<std::unique_ptr<Ed25519Signer>> FromKey(
      internal::PkeyPtr key);

  internal::PkeyPtr key_;
  std::string public_key_;
};

class Ed25519Verifier {
 public:
  // A verifier for the raw 32-byte public key `public_key`; any other size is
  // INVALID_ARGUMENT. OpenSSL may also refuse bytes that do not decode to a
  // curve point (INVALID_ARGUMENT).
  static absl::StatusOr<std::unique_ptr<Ed25519Verifier>> New(
      absl::string_view public_key);

  Ed25519Verifier(const Ed25519Verifier&) = delete;
  Ed25519Verifier& operator=(const Ed25519Verifier&) = delete;

  // OK if `signature` is a valid Ed25519 signature of `message` under this
  // key. A signature that is not 64 bytes is INVALID_ARGUMENT; one that does
  // not verify (including a non-canonical S) is UNAUTHENTICATED.
  absl::Status Verify(absl::string_view signature,
                      absl::string_view message) const;

  const std::string& PublicKey() const { return public_key_; }

 private:
  Ed25519Verifier(internal::PkeyPtr key, std::string public_key)
      : key_(std::move(key)), public_key_(std::move(public_key)) {}

  internal::PkeyPtr key_;
  std::string public_key_;
};

}  // namespace resguardo::crypto

#endif  // RESGUARDO_CRYPTO_ED25519_H_
