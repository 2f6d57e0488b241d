// Signed publications: a signed note (signed_note.h, C2SP signed-note
// format, Ed25519) that vouches for the exact bytes of published files, so
// that a reader who holds the publisher's verifier key can check, offline,
// that a file came from the publisher unchanged. The registry of
// sanctioned persons publishes its CSV and JSON export this way
// (services/registry/registry_export.h).
//
// The note's text is
//
//   <origin>\n
//   <publication time, RFC 3339 UTC with seconds, e.g. 2026-12-02T17:20:00Z>\n
//   <SHA-256 of the file, 64 lowercase hex digits>  <file name>\n   (1..16)
//
// (the file lines are sha256sum's), and it is signed under a key whose name
// is the origin. The signature is Ed25519 over the text, which holds each
// file's SHA-256: changing one byte of a file changes its hash, and no
// line of the note matches it any more.
//
// File names: 1–200 bytes of [A-Za-z0-9._-], not starting with '.'.
//
// Error codes: INVALID_ARGUMENT for a malformed body or note, or fields
// that cannot be written; UNAUTHENTICATED for a note no known key
// verified, a failing signature by a known key, an origin other than the
// expected one, and a file whose bytes are not those the note vouches for
// (or that it does not name).
//
// Thread safety: Publication is a plain value; the functions are
// thread-safe.
#ifndef RESGUARDO_CRYPTO_PUBLICATION_NOTE_H_
#define RESGUARDO_CRYPTO_PUBLICATION_NOTE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "crypto/signed_note.h"

namespace resguardo::crypto {

// A note vouches for at most this many files.
inline constexpr size_t kMaxPublishedFiles = 16;

struct PublishedFile {
  std::string name;
  std::string sha256;  // 32 raw bytes
};

struct Publication {
  std::string origin;
  absl::Time time;  // whole seconds (Marshal truncates)
  std::vector<PublishedFile> files;

  // The note text. INVALID_ARGUMENT for an origin a note cannot carry (empty,
  // with a newline or a control character), a bad file name, a hash that is
  // not 32 bytes, no file or more than kMaxPublishedFiles, or a time before
  // year 1 or after 9999.
  absl::StatusOr<std::string> Marshal() const;
};

// The SHA-256 of `bytes` (32 raw bytes).
std::string Sha256(absl::string_view bytes);

// A PublishedFile for `bytes` named `name` (the name is checked by
// Marshal).
PublishedFile DescribeFile(absl::string_view name, absl::string_view bytes);

// Parses a publication body (the note text, unsigned). INVALID_ARGUMENT as
// for Marshal, and for a missing line or final newline.
absl::StatusOr<Publication> ParsePublicationBody(absl::string_view text);

// The signed note of `publication`, signed by each of `signers` (not owned).
absl::StatusOr<std::string> SignPublication(
    const Publication& publication,
    absl::Span<const NoteSigner* const> signers);

// Opens a signed publication: the note must verify under `known` (OpenNote),
// its body must parse, and its origin must be `expected_origin` (else
// UNAUTHENTICATED) unless `expected_origin` is empty (any origin the known
// keys sign).
absl::StatusOr<Publication> OpenPublication(
    absl::string_view note, absl::Span<const NoteVerifier* const> known,
    absl::string_view expected_origin);

// OK if `publication` vouches for `bytes`: a file line with their SHA-256,
// named `name` when `name` is not empty. UNAUTHENTICATED otherwise, saying
// whether the name is unknown or its bytes changed.
absl::Status CheckPublishedFile(const Publication& publication,
                                absl::string_view name,
                                absl::string_view bytes);

}  // namespace resguardo::crypto

#endif  // RESGUARDO_CRYPTO_PUBLICATION_NOTE_H_
