#include "crypto/checkpoint.h"

#include <limits>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "crypto/merkle_tree.h"

namespace resguardo::crypto {
namespace {

// A line of a checkpoint body: non-empty, no newline, and allowed in a note.
absl::Status CheckLine(absl::string_view line, absl::string_view what) {
  if (line.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint ", what, " is empty"));
  }
  if (line.find('\n') != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint ", what, " contains a newline"));
  }
  absl::Status status = CheckNoteText(absl::StrCat(line, "\n"));
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint ", what, ": ", status.message()));
  }
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> ParseSize(absl::string_view s) {
  if (s.empty()) {
    return absl::InvalidArgumentError("checkpoint tree size is empty");
  }
  if (s.size() > 1 && s[0] == '0') {
    return absl::InvalidArgumentError(
        "checkpoint tree size has a leading zero");
  }
  uint64_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') {
      return absl::InvalidArgumentError(
          "checkpoint tree size must be decimal digits only");
    }
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (std::numeric_limits<uint64_t>::max() - digit) / 10) {
      return absl::InvalidArgumentError(
          "checkpoint tree size does not fit in 64 bits");
    }
    value = value * 10 + digit;
  }
  return value;
}

}  // namespace

absl::StatusOr<std::string> Checkpoint::Marshal() const {
  RETURN_IF_ERROR(CheckLine(origin, "origin"));
  if (root_hash.size() != kMerkleHashSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint root hash must be ", kMerkleHashSize,
                     " bytes, got ", root_hash.size()));
  }
  std::string out = absl::StrCat(origin, "\n", size, "\n",
                                 absl::Base64Escape(root_hash), "\n");
  for (const std::string& ext : extensions) {
    RETURN_IF_ERROR(CheckLine(ext, "extension line"));
    absl::StrAppend(&out, ext, "\n");
  }
  return out;
}

absl::StatusOr<Checkpoint> ParseCheckpointBody(absl::string_view text) {
  RETURN_IF_ERROR(CheckNoteText(text));  // Also: ends in "\n".
  std::vector<absl::string_view> lines;
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    lines.push_back(text.substr(0, eol));
    text.remove_prefix(eol + 1);
  }
  if (lines.size() < 3) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint needs origin, size and root lines, got ",
                     lines.size(), " lines"));
  }
  Checkpoint checkpoint;
  if (lines[0].empty()) {
    return absl::InvalidArgumentError("checkpoint origin is empty");
  }
  checkpoint.origin = std::string(lines[0]);
  ASSIGN_OR_RETURN(checkpoint.size, ParseSize(lines[1]));
  std::string root;
  if (lines[2].empty() || lines[2].size() % 4 != 0 ||
      !absl::Base64Unescape(lines[2], &root) ||
      absl::Base64Escape(root) != lines[2]) {
    return absl::InvalidArgumentError(
        "checkpoint root hash is not standard padded base64");
  }
  if (root.size() != kMerkleHashSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint root hash must be ", kMerkleHashSize,
                     " bytes, got ", root.size()));
  }
  checkpoint.root_hash = std::move(root);
  for (size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) {
      return absl::InvalidArgumentError("checkpoint extension line is empty");
    }
    checkpoint.extensions.emplace_back(lines[i]);
  }
  return checkpoint;
}

absl::StatusOr<std::string> SignCheckpoint(
    const Checkpoint& checkpoint, absl::Span<const NoteSigner* const> signers) {
  ASSIGN_OR_RETURN(std::string text, checkpoint.Marshal());
  return SignNote(text, signers);
}

absl::StatusOr<Checkpoint> OpenCheckpoint(
    absl::string_view note, absl::Span<const NoteVerifier* const> known,
    absl::string_view expected_origin) {
  ASSIGN_OR_RETURN(OpenedNote opened, OpenNote(note, known));
  ASSIGN_OR_RETURN(Checkpoint checkpoint, ParseCheckpointBody(opened.text));
  if (checkpoint.origin != expected_origin) {
    return absl::UnauthenticatedError(absl::StrCat(
        "checkpoint is for another log, not \"", expected_origin, "\""));
  }
  return checkpoint;
}

}  // namespace resguardo::crypto
