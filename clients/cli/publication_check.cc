#include "clients/cli/publication_check.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "clients/cli/messages.h"
#include "clients/cli/terminal_text.h"

namespace resguardo::cli {
namespace {

// Whether a signature line of `note` ("— <name> <base64(key id ‖ sig)>",
// after the last blank line) is by one of the `known` keys, by name and key
// id. Only asked once OpenNote refused the note as unauthenticated: then a
// known key's line means that key's signature does not verify (*who is its
// name); none means no known key signed it.
bool SignedByAKnownKey(absl::string_view note,
                       absl::Span<const crypto::NoteVerifier* const> known,
                       std::string* who) {
  const size_t split = note.rfind("\n\n");
  if (split == absl::string_view::npos) return false;
  constexpr absl::string_view kDash = "\xe2\x80\x94 ";  // "— "
  for (absl::string_view line :
       absl::StrSplit(note.substr(split + 2), '\n', absl::SkipEmpty())) {
    if (!absl::ConsumePrefix(&line, kDash)) continue;
    const size_t space = line.rfind(' ');
    if (space == absl::string_view::npos) continue;
    std::string raw;
    if (!absl::Base64Unescape(line.substr(space + 1), &raw) || raw.size() < 4) {
      continue;
    }
    const uint32_t key_id = (static_cast<uint32_t>(uint8_t(raw[0])) << 24) |
                            (static_cast<uint32_t>(uint8_t(raw[1])) << 16) |
                            (static_cast<uint32_t>(uint8_t(raw[2])) << 8) |
                            static_cast<uint32_t>(uint8_t(raw[3]));
    for (const crypto::NoteVerifier* v : known) {
      if (v->name() == line.substr(0, space) && v->key_id() == key_id) {
        *who = v->name();
        return true;
      }
    }
  }
  return false;
}

PublicationCheck Failed(const char* code, std::string reason) {
  PublicationCheck out;
  out.reason_code = code;
  out.reason = std::move(reason);
  return out;
}

}  // namespace

PublicationCheck CheckPublication(
    absl::string_view note, absl::Span<const crypto::NoteVerifier* const> known,
    absl::string_view name, absl::string_view bytes, Lang lang) {
  absl::StatusOr<crypto::Publication> publication =
      crypto::OpenPublication(note, known, /*expected_origin=*/"");
  if (!publication.ok()) {
    if (publication.status().code() == absl::StatusCode::kInvalidArgument) {
      return Failed("NOTE_MALFORMED",
                    std::string(Text(lang, MsgId::kVerifyNoteMalformed)));
    }
    // OpenPublication refuses a note that verifies (OpenNote) but under no
    // key named after its origin.
    if (crypto::OpenNote(note, known).ok()) {
      return Failed("OTHER_ORIGIN",
                    std::string(Text(lang, MsgId::kVerifyOtherOrigin)));
    }
    std::string who;
    if (SignedByAKnownKey(note, known, &who)) {
      return Failed("BAD_SIGNATURE",
                    Msg(lang, MsgId::kVerifyBadSignature, TerminalSafe(who)));
    }
    return Failed("UNKNOWN_KEY",
                  std::string(Text(lang, MsgId::kVerifyUnknownKey)));
  }
  if (!crypto::CheckPublishedFile(*publication, name, bytes).ok()) {
    std::vector<std::string> names;
    for (const crypto::PublishedFile& f : publication->files) {
      if (f.name == name) {
        return Failed("FILE_CHANGED",
                      std::string(Text(lang, MsgId::kVerifyFileChanged)));
      }
      names.push_back(f.name);
    }
    // Published names are [A-Za-z0-9._-] (publication_note.h); the name
    // given is the reader's own, shown terminal-safe.
    return Failed("FILE_NOT_NAMED",
                  Msg(lang, MsgId::kVerifyFileNotNamed, TerminalSafe(name),
                      absl::StrJoin(names, ", ")));
  }
  PublicationCheck out;
  out.publication = *std::move(publication);
  return out;
}

}  // namespace resguardo::cli
