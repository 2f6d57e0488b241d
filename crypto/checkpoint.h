// Checkpoints in the C2SP tlog-checkpoint format
// (https://c2sp.org/tlog-checkpoint): a signed note whose text is
//
//   <origin>\n
//   <tree size, decimal, no sign, no leading zero, fits uint64>\n
//   <base64 (standard, padded) of the 32-byte root hash>\n
//   [<extension line>\n]...
//
// The origin names the log (Resguardo signs with a key of the same name).
// Extension lines are opaque here and must be non-empty.
//
// Error codes: INVALID_ARGUMENT for a malformed body or note (and on
// Marshal/SignCheckpoint for fields that cannot be written); UNAUTHENTICATED
// for a note no known key verified, a failing signature by a known key, or an
// origin other than the expected one.
//
// Thread safety: Checkpoint is a plain value; the functions are thread-safe.
#ifndef RESGUARDO_CRYPTO_CHECKPOINT_H_
#define RESGUARDO_CRYPTO_CHECKPOINT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "crypto/signed_note.h"

namespace resguardo::crypto {

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  std::string root_hash;  // 32 raw bytes (RFC 9162 SHA-256 root).
  std::vector<std::string> extensions;

  // The note text. INVALID_ARGUMENT if a field cannot be written: an empty
  // origin or extension, a newline or other character not allowed in a note
  // text in one of them, or a root hash that is not 32 bytes.
  absl::StatusOr<std::string> Marshal() const;

  friend bool operator==(const Checkpoint& a, const Checkpoint& b) {
    return a.origin == b.origin && a.size == b.size &&
           a.root_hash == b.root_hash && a.extensions == b.extensions;
  }
};

// Parses a checkpoint body (the note text, unsigned). INVALID_ARGUMENT for an
// empty origin, a size with a leading zero, a sign, a non-digit or above
// UINT64_MAX, a root that is not valid base64 of 32 bytes, a missing line,
// a missing final newline, an empty extension line, or text a note may not
// carry (non-UTF-8, control characters).
absl::StatusOr<Checkpoint> ParseCheckpointBody(absl::string_view text);

// The signed note of `checkpoint`, signed by each of `signers` (not owned;
// their key names are the names on the signature lines).
absl::StatusOr<std::string> SignCheckpoint(
    const Checkpoint& checkpoint, absl::Span<const NoteSigner* const> signers);

// Opens a signed checkpoint: the note must verify under `known` (see
// OpenNote), its body must parse, and its origin must be `expected_origin`
// (else UNAUTHENTICATED: a checkpoint of another log proves nothing here).
absl::StatusOr<Checkpoint> OpenCheckpoint(
    absl::string_view note, absl::Span<const NoteVerifier* const> known,
    absl::string_view expected_origin);

}  // namespace resguardo::crypto

#endif  // RESGUARDO_CRYPTO_CHECKPOINT_H_
