// `registry verify`'s check of a published file against its signed note
// (crypto/publication_note.h), with the reason it fails told in the user's
// language: the crypto library's reasons are English, for logs and tests.
//
// The note binds each file by name and SHA-256 (the sha256sum lines it
// signs): a file renamed after the export is checked under its original
// name (`registry verify --name`), never under any name the note lists.
#ifndef RESGUARDO_CLIENTS_CLI_PUBLICATION_CHECK_H_
#define RESGUARDO_CLIENTS_CLI_PUBLICATION_CHECK_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "clients/cli/language.h"
#include "crypto/publication_note.h"
#include "crypto/signed_note.h"

namespace resguardo::cli {

struct PublicationCheck {
  // Set when the file verified.
  std::optional<crypto::Publication> publication;
  // When it did not: a stable code ("NOTE_MALFORMED", "UNKNOWN_KEY",
  // "BAD_SIGNATURE", "OTHER_ORIGIN", "FILE_NOT_NAMED", "FILE_CHANGED") and
  // the reason in the user's language.
  std::string reason_code;
  std::string reason;
};

// Opens `note` with the `known` keys (not owned) and checks that it vouches
// for `bytes` under the file name `name`.
PublicationCheck CheckPublication(
    absl::string_view note, absl::Span<const crypto::NoteVerifier* const> known,
    absl::string_view name, absl::string_view bytes, Lang lang);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_PUBLICATION_CHECK_H_
