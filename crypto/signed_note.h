// Signed notes in the C2SP signed-note format (https://c2sp.org/signed-note),
// as used by golang.org/x/mod/sumdb/note, with Ed25519 keys.
//
// A note is its text followed by a blank line and one or more signature lines:
//
//   <text, UTF-8, each line ending in "\n">
//   "\n"
//   "— <key name> <base64(key id (4 bytes, big-endian) ‖ signature)>\n" ...
//
// The signature line starts with U+2014 EM DASH and a space. The signed
// message is the text including its final newline. For Ed25519 (algorithm
// byte 0x01) the key id is the first 4 bytes of
//   SHA-256(key name ‖ "\n" ‖ 0x01 ‖ 32-byte public key)
// and a verifier key is written "<name>+<8 lowercase hex key id>+<base64(0x01
// ‖ public key)>".
//
// Text rules: valid UTF-8, non-empty, ends in "\n", and no control character
// (U+0000..U+001F, U+007F) other than "\n". Key names: non-empty UTF-8 with no
// "+", no Unicode white space and no control character.
//
// Error codes:
//   INVALID_ARGUMENT  a malformed note, text, key name or verifier key, or a
//                     note with more than 100 signature lines.
//   UNAUTHENTICATED   a note that no known key verified, or one with a
//                     signature by a known key (same name and key id) that
//                     fails to verify.
//   INTERNAL          OpenSSL failed.
//
// Thread safety: NoteSigner and NoteVerifier are immutable; their const
// methods may be called concurrently. The free functions are thread-safe.
#ifndef RESGUARDO_CRYPTO_SIGNED_NOTE_H_
#define RESGUARDO_CRYPTO_SIGNED_NOTE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "crypto/ed25519.h"

namespace resguardo::crypto {

// The C2SP signature algorithm byte for Ed25519.
inline constexpr uint8_t kNoteAlgEd25519 = 0x01;
// Open refuses notes with more signature lines than this.
inline constexpr size_t kMaxNoteSignatures = 100;

// The key id of an Ed25519 key named `name` (see above). REQUIRES:
// public_key is 32 bytes (not checked; any bytes are hashed as given).
uint32_t NoteKeyId(absl::string_view name, absl::string_view public_key);

// OK if `name` is a valid key name, else INVALID_ARGUMENT.
absl::Status CheckNoteKeyName(absl::string_view name);
// OK if `text` is a valid note text, else INVALID_ARGUMENT.
absl::Status CheckNoteText(absl::string_view text);

// Signs notes under one key name. Owns its Ed25519Signer.
class NoteSigner {
 public:
  // INVALID_ARGUMENT for a bad key name or a null signer.
  static absl::StatusOr<std::unique_ptr<NoteSigner>> New(
      absl::string_view name, std::unique_ptr<Ed25519Signer> signer);

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  // The verifier key an auditor needs: "<name>+<hex id>+<base64 key>".
  std::string VerifierKey() const;

  // The raw 64-byte signature of `text` (the note's signed message).
  absl::StatusOr<std::string> Sign(absl::string_view text) const;

 private:
  NoteSigner(std::string name, std::unique_ptr<Ed25519Signer> signer);

  std::string name_;
  uint32_t key_id_;
  std::unique_ptr<Ed25519Signer> signer_;
};

// Verifies notes signed under one key name and key.
class NoteVerifier {
 public:
  // Parses a verifier key "<name>+<8 hex key id>+<base64(0x01 ‖ key)>".
  // INVALID_ARGUMENT for a malformed string, an unknown algorithm, a key of
  // the wrong size, or a key id that does not match the name and key.
  static absl::StatusOr<std::unique_ptr<NoteVerifier>> FromVerifierKey(
      absl::string_view vkey);
  // A verifier for the raw 32-byte Ed25519 `public_key` named `name`.
  static absl::StatusOr<std::unique_ptr<NoteVerifier>> New(
      absl::string_view name, absl::string_view public_key);

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  std::string VerifierKey() const;

  // OK if `signature` (without the key id) signs `text` under this key;
  // UNAUTHENTICATED otherwise (including a signature of the wrong size).
  absl::Status Verify(absl::string_view text,
                      absl::string_view signature) const;

 private:
  NoteVerifier(std::string name, std::unique_ptr<Ed25519Verifier> verifier);

  std::string name_;
  uint32_t key_id_;
  std::unique_ptr<Ed25519Verifier> verifier_;
};

// Signs `text` with each signer, in order. INVALID_ARGUMENT for an invalid
// text, no signer, a null signer, or more than kMaxNoteSignatures signers.
// The signers are not owned.
absl::StatusOr<std::string> SignNote(
    absl::string_view text, absl::Span<const NoteSigner* const> signers);

struct NoteSignature {
  std::string name;
  uint32_t key_id = 0;
};

struct OpenedNote {
  // The signed text, ending in "\n" (the blank line is not part of it).
  std::string text;
  // The known keys whose signatures verified, each once, in note order.
  std::vector<NoteSignature> verified;
  // Signatures by keys not in the known set, ignored (each distinct line
  // once).
  std::vector<NoteSignature> unknown;
};

// Parses `note` and verifies its signatures against `known` (not owned; two
// with the same name and key id are INVALID_ARGUMENT). Signatures by unknown
// keys (by name and key id) are ignored; every signature by a known key must
// verify, else UNAUTHENTICATED; at least one must, else UNAUTHENTICATED.
// A malformed note is INVALID_ARGUMENT whatever its signatures.
absl::StatusOr<OpenedNote> OpenNote(
    absl::string_view note, absl::Span<const NoteVerifier* const> known);

}  // namespace resguardo::crypto

#endif  // RESGUARDO_CRYPTO_SIGNED_NOTE_H_
