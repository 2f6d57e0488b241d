// KeyProvider: where the node's purpose keys come from.
//
// A node has one master key. Nothing uses it directly: each use gets its own
// 256-bit key per purpose and generation, so that the SQLCipher key, the
// KEK-wrapping key, the pseudonym key and the audit-signing seed are
// independent and each can be rotated by bumping its generation. The node's
// provider (KeySetProvider) unwraps them from its key set (key_set.h), which
// the master key wraps; DeriveKeyFromMaster below is how nodes made before
// the key set derived them, and how their key set was first filled. A
// provider never hands out the master key itself, so an HSM-backed provider
// (PKCS#11, unwrapping inside the token) can implement this interface.
//
// Thread safety: implementations must allow concurrent DeriveKey calls.
#ifndef RESGUARDO_CRYPTO_KEY_PROVIDER_H_
#define RESGUARDO_CRYPTO_KEY_PROVIDER_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "crypto/secret_data.h"

namespace resguardo::crypto {

enum class KeyPurpose {
  kDatabase,            // the raw 256-bit SQLCipher key (PRAGMA key = "x'…'")
  kKekWrapping,         // wraps the institutions' KEKs (an AesGcmAead key)
  kPseudonym,           // keyed pseudonyms of identifiers
  kAuditSigning,        // the Ed25519 seed of the audit log's signing key
  kRequestFingerprint,  // keyed fingerprints of requests with a request id
  kPublication,  // the Ed25519 seed of the registry publications' signing key
  // Not a purpose: the number of purposes. A new purpose is one line above
  // this one and its label in KeyPurposeLabel; a node made before it gets a
  // random key for it in its key set at its next start.
  kCount,
};

// The label of `purpose` in the HKDF info (see DeriveKeyFromMaster).
absl::string_view KeyPurposeLabel(KeyPurpose purpose);

class KeyProvider {
 public:
  // Every derived key is this long.
  static constexpr size_t kKeySize = 32;

  virtual ~KeyProvider() = default;

  // The key for `purpose` at `generation` (>= 1), 32 bytes, owned by the
  // caller. The same provider returns the same key for the same arguments;
  // different purposes or generations give independent keys.
  // Errors: INVALID_ARGUMENT if generation is 0; implementations add
  // UNAVAILABLE (device not reachable) or INTERNAL.
  //
  // Non-virtual so that the argument check and the default generation live
  // in one place (Google style bans default arguments on virtual functions).
  absl::StatusOr<SecretData> DeriveKey(KeyPurpose purpose,
                                       uint32_t generation = 1) const;

 protected:
  // REQUIRES: generation >= 1. Must return kKeySize bytes.
  virtual absl::StatusOr<SecretData> DoDeriveKey(KeyPurpose purpose,
                                                 uint32_t generation) const = 0;
};

// HKDF-SHA-256 of a 32-byte master key, for software providers:
//   salt = "resguardo.master-key.v1"
//   info = "resguardo.purpose-key.v1" ‖ 0x00 ‖ KeyPurposeLabel(purpose) ‖
//          0x00 ‖ generation (4 bytes, big-endian)
// with labels "database", "kek-wrapping", "pseudonym", "audit-signing".
// (Labels contain no 0x00 and the generation has a fixed size, so the info
// strings of distinct (purpose, generation) pairs differ.)
// Errors: INVALID_ARGUMENT if `master` is not 32 bytes or generation is 0.
absl::StatusOr<SecretData> DeriveKeyFromMaster(const SecretData& master,
                                               KeyPurpose purpose,
                                               uint32_t generation);

}  // namespace resguardo::crypto

#endif  // RESGUARDO_CRYPTO_KEY_PROVIDER_H_
