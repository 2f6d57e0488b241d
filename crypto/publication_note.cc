#include "crypto/publication_note.h"

#include <openssl/sha.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"

namespace resguardo::crypto {
namespace {

constexpr char kTimeFormat[] = "%Y-%m-%dT%H:%M:%SZ";
constexpr size_t kMaxFileName = 200;

absl::Status CheckFileName(absl::string_view name) {
  if (name.empty() || name.size() > kMaxFileName || name[0] == '.') {
    return absl::InvalidArgumentError(
        "a published file name is 1-200 characters and does not start with "
        "'.'");
  }
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' &&
        c != '_' && c != '-') {
      return absl::InvalidArgumentError(
          "a published file name holds only letters, digits, '.', '_' and "
          "'-'");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckOrigin(absl::string_view origin) {
  if (origin.empty() || absl::StrContains(origin, '\n')) {
    return absl::InvalidArgumentError(
        "a publication's origin is one non-empty line");
  }
  return CheckNoteText(absl::StrCat(origin, "\n"));
}

}  // namespace

std::string Sha256(absl::string_view bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
         digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof(digest));
}

PublishedFile DescribeFile(absl::string_view name, absl::string_view bytes) {
  return PublishedFile{std::string(name), Sha256(bytes)};
}

absl::StatusOr<std::string> Publication::Marshal() const {
  RETURN_IF_ERROR(CheckOrigin(origin));
  if (files.empty() || files.size() > kMaxPublishedFiles) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a publication vouches for 1 to ", kMaxPublishedFiles, " files"));
  }
  const absl::CivilSecond civil =
      absl::ToCivilSecond(time, absl::UTCTimeZone());
  if (civil.year() < 1 || civil.year() > 9999) {
    return absl::InvalidArgumentError(
        "a publication's time is between years 1 and 9999");
  }
  std::string text = absl::StrCat(
      origin, "\n", absl::FormatTime(kTimeFormat, time, absl::UTCTimeZone()),
      "\n");
  for (const PublishedFile& file : files) {
    RETURN_IF_ERROR(CheckFileName(file.name));
    if (file.sha256.size() != SHA256_DIGEST_LENGTH) {
      return absl::InvalidArgumentError("a file's SHA-256 is 32 bytes");
    }
    absl::StrAppend(&text, absl::BytesToHexString(file.sha256), "  ", file.name,
                    "\n");
  }
  return text;
}

absl::StatusOr<Publication> ParsePublicationBody(absl::string_view text) {
  RETURN_IF_ERROR(CheckNoteText(text));
  // CheckNoteText guarantees the final newline.
  std::vector<absl::string_view> lines =
      absl::StrSplit(text.substr(0, text.size() - 1), '\n');
  if (lines.size() < 3) {
    return absl::InvalidArgumentError(
        "a publication has an origin, a time and at least one file line");
  }
  Publication p;
  p.origin = std::string(lines[0]);
  RETURN_IF_ERROR(CheckOrigin(p.origin));
  std::string error;
  if (!absl::ParseTime(kTimeFormat, lines[1], absl::UTCTimeZone(), &p.time,
                       &error) ||
      absl::FormatTime(kTimeFormat, p.time, absl::UTCTimeZone()) != lines[1]) {
    return absl::InvalidArgumentError(
        "a publication's time is RFC 3339 UTC, e.g. 2026-12-02T17:20:00Z");
  }
  if (lines.size() - 2 > kMaxPublishedFiles) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a publication vouches for 1 to ", kMaxPublishedFiles, " files"));
  }
  for (size_t i = 2; i < lines.size(); ++i) {
    const absl::string_view line = lines[i];
    constexpr size_t kHex = 2 * SHA256_DIGEST_LENGTH;
    if (line.size() < kHex + 3 || line.substr(kHex, 2) != "  ") {
      return absl::InvalidArgumentError(absl::StrCat(
          "file line ", i - 1, " is not \"<sha256 hex>  <file name>\""));
    }
    const absl::string_view hex = line.substr(0, kHex);
    for (char c : hex) {
      if (!absl::ascii_isxdigit(static_cast<unsigned char>(c)) ||
          absl::ascii_isupper(static_cast<unsigned char>(c))) {
        return absl::InvalidArgumentError(absl::StrCat(
            "file line ", i - 1, ": the SHA-256 is 64 lowercase hex digits"));
      }
    }
    PublishedFile file{std::string(line.substr(kHex + 2)),
                       absl::HexStringToBytes(hex)};
    RETURN_IF_ERROR(CheckFileName(file.name));
    p.files.push_back(std::move(file));
  }
  return p;
}

absl::StatusOr<std::string> SignPublication(
    const Publication& publication,
    absl::Span<const NoteSigner* const> signers) {
  ASSIGN_OR_RETURN(std::string text, publication.Marshal());
  return SignNote(text, signers);
}

absl::StatusOr<Publication> OpenPublication(
    absl::string_view note, absl::Span<const NoteVerifier* const> known,
    absl::string_view expected_origin) {
  ASSIGN_OR_RETURN(OpenedNote opened, OpenNote(note, known));
  ASSIGN_OR_RETURN(Publication p, ParsePublicationBody(opened.text));
  if (!expected_origin.empty() && p.origin != expected_origin) {
    return absl::UnauthenticatedError(
        "the publication is of another origin than the one expected");
  }
  // The origin is also the name of the key that signs it: a note signed by
  // a known key of another name vouches for nothing here.
  bool by_origin = false;
  for (const NoteSignature& s : opened.verified) {
    by_origin = by_origin || s.name == p.origin;
  }
  if (!by_origin) {
    return absl::UnauthenticatedError(
        "no known key named after the publication's origin signed it");
  }
  return p;
}

absl::Status CheckPublishedFile(const Publication& publication,
                                absl::string_view name,
                                absl::string_view bytes) {
  const std::string digest = Sha256(bytes);
  bool named = false;
  for (const PublishedFile& file : publication.files) {
    if (!name.empty() && file.name != name) continue;
    named = true;
    if (file.sha256 == digest) return absl::OkStatus();
  }
  if (!named) {
    return absl::UnauthenticatedError(
        "the signed note does not name this file");
  }
  return absl::UnauthenticatedError(
      "the file's SHA-256 is not the one the signed note vouches for: it "
      "changed after it was published, or it is another file");
}

}  // namespace resguardo::crypto
