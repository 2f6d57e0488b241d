#include "audit_bundle/bundle_verifier.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "crypto/checkpoint.h"
#include "crypto/merkle_tree.h"
#include "crypto/signed_note.h"
#include "google/protobuf/message.h"
#include "google/protobuf/unknown_field_set.h"
#include "resguardo/v1/audit.pb.h"

namespace resguardo::audit {
namespace {

constexpr char kRotationPrefix[] = "resguardo-key-rotation ";
// Records are read in pieces of at most this many bytes.
constexpr uint64_t kReadChunk = 1 << 20;
// Progress is reported every this many entries.
constexpr uint64_t kProgressEvery = 16384;

class RecordReader {
 public:
  explicit RecordReader(std::istream* in) : in_(in) {}

  // False at a clean end of file; an error for a truncated or oversized
  // record.
  absl::StatusOr<bool> Next(std::string* bytes) {
    uint64_t length = 0;
    int shift = 0;
    for (int i = 0;; ++i) {
      const int c = in_->get();
      if (c == std::char_traits<char>::eof()) {
        if (i == 0) return false;
        return absl::InvalidArgumentError("bundle: truncated record length");
      }
      if (i >= 10) return absl::InvalidArgumentError("bundle: bad varint");
      length |= static_cast<uint64_t>(c & 0x7f) << shift;
      shift += 7;
      if ((c & 0x80) == 0) break;
    }
    if (length > kMaxBundleRecordSize) {
      return absl::InvalidArgumentError("bundle: record larger than 64 MiB");
    }
    // Grows the buffer only as bytes arrive: a length prefix that claims
    // 64 MiB in a short file costs no more memory than the file holds.
    bytes->clear();
    while (bytes->size() < length) {
      const size_t have = bytes->size();
      const size_t want =
          static_cast<size_t>(std::min<uint64_t>(length - have, kReadChunk));
      bytes->resize(have + want);
      in_->read(bytes->data() + have, static_cast<std::streamsize>(want));
      if (static_cast<size_t>(in_->gcount()) != want) {
        return absl::InvalidArgumentError("bundle: truncated record");
      }
    }
    return true;
  }

 private:
  std::istream* in_;
};

bool HasUnknownFields(const google::protobuf::Message& m) {
  return !m.GetReflection()->GetUnknownFields(m).empty();
}

void AppendVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// Takes the verdict by reference: `status` may be computed by a call that
// also fills the verdict (bad_entry), and the order in which arguments are
// evaluated is unspecified.
std::string KeyIdText(uint32_t key_id) {
  char text[9];
  std::snprintf(text, sizeof(text), "%08x", key_id);
  return text;
}

BundleVerdict Fail(BundleVerdict& verdict, absl::Status status) {
  verdict.status = std::move(status);
  return std::move(verdict);
}

}  // namespace

absl::StatusOr<std::unique_ptr<BundleWriter>> BundleWriter::Create(
    const std::string& path) {
  std::unique_ptr<BundleWriter> w(new BundleWriter(path));
  w->out_.open(path, std::ios::binary | std::ios::trunc);
  if (!w->out_) {
    return absl::InternalError(absl::StrCat("cannot write ", path));
  }
  w->out_.write(kBundleMagic.data(),
                static_cast<std::streamsize>(kBundleMagic.size()));
  return w;
}

absl::Status BundleWriter::WriteRecord(const v1::AuditBundleRecord& record) {
  std::string bytes;
  if (!record.SerializeToString(&bytes)) {
    return absl::InternalError("bundle: cannot serialize a record");
  }
  std::string length;
  AppendVarint(bytes.size(), &length);
  out_.write(length.data(), static_cast<std::streamsize>(length.size()));
  out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out_) return absl::InternalError(absl::StrCat("cannot write ", path_));
  return absl::OkStatus();
}

absl::Status BundleWriter::WriteHeader(const v1::AuditBundleHeader& header) {
  v1::AuditBundleRecord record;
  *record.mutable_header() = header;
  return WriteRecord(record);
}

absl::Status BundleWriter::WriteCheckpoint(
    const v1::SignedCheckpoint& checkpoint) {
  v1::AuditBundleRecord record;
  *record.mutable_checkpoint() = checkpoint;
  return WriteRecord(record);
}

absl::Status BundleWriter::WriteEntry(absl::string_view entry_bytes) {
  v1::AuditBundleRecord record;
  record.set_entry(std::string(entry_bytes));
  return WriteRecord(record);
}

absl::Status BundleWriter::Close() {
  out_.flush();
  const bool ok = static_cast<bool>(out_);
  out_.close();
  if (!ok || out_.fail()) {
    return absl::InternalError(absl::StrCat("cannot write ", path_));
  }
  return absl::OkStatus();
}

BundleVerdict VerifyBundle(const std::string& path,
                           absl::Span<const std::string> verifier_keys,
                           const BundleProgress& progress) {
  std::ifstream file;
  std::vector<char> buffer(1 << 20);
  file.rdbuf()->pubsetbuf(buffer.data(),
                          static_cast<std::streamsize>(buffer.size()));
  file.open(path, std::ios::binary);
  if (!file) {
    BundleVerdict verdict;
    verdict.status = absl::NotFoundError(absl::StrCat("cannot read ", path));
    return verdict;
  }
  return VerifyBundleStream(file, verifier_keys, progress);
}

BundleVerdict VerifyBundleStream(std::istream& file,
                                 absl::Span<const std::string> verifier_keys,
                                 const BundleProgress& progress) {
  BundleVerdict verdict;
  // Trusted keys.
  std::vector<std::unique_ptr<crypto::NoteVerifier>> owned;
  std::vector<const crypto::NoteVerifier*> trusted;
  // `name`, if not empty, is the key name the key must have (a rotation
  // introduces a key of the same log).
  auto trust = [&](absl::string_view vkey,
                   absl::string_view name) -> absl::Status {
    absl::StatusOr<std::unique_ptr<crypto::NoteVerifier>> v =
        crypto::NoteVerifier::FromVerifierKey(vkey);
    if (!v.ok()) return v.status();
    if (!name.empty() && (*v)->name() != name) {
      return absl::InvalidArgumentError(
          absl::StrCat("the key is not named ", name));
    }
    for (const crypto::NoteVerifier* t : trusted) {
      if (t->name() == (*v)->name() && t->key_id() == (*v)->key_id()) {
        return absl::OkStatus();
      }
    }
    verdict.trusted_keys.push_back((*v)->VerifierKey());
    owned.push_back(*std::move(v));
    trusted.push_back(owned.back().get());
    return absl::OkStatus();
  };
  if (verifier_keys.empty()) {
    return Fail(verdict, absl::InvalidArgumentError("no verifier key given"));
  }
  for (const std::string& k : verifier_keys) {
    absl::Status s =
        trust(k, trusted.empty() ? absl::string_view() : trusted[0]->name());
    if (!s.ok()) {
      return Fail(verdict, absl::InvalidArgumentError(absl::StrCat(
                               "bad verifier key: ", s.message())));
    }
  }
  const std::string origin = trusted[0]->name();

  std::string magic(kBundleMagic.size(), '\0');
  file.read(magic.data(), static_cast<std::streamsize>(magic.size()));
  if (magic != kBundleMagic) {
    return Fail(verdict, absl::InvalidArgumentError(
                             "not a Resguardo audit bundle (bad magic line)"));
  }
  RecordReader reader(&file);
  std::string bytes;
  v1::AuditBundleRecord record;

  auto next = [&]() -> absl::StatusOr<bool> {
    absl::StatusOr<bool> more = reader.Next(&bytes);
    if (!more.ok() || !*more) return more;
    if (!record.ParseFromString(bytes)) {
      return absl::InvalidArgumentError("bundle: a record does not parse");
    }
    // Exactly one known field: a record with two (the oneof keeps the last)
    // or with a field this format does not define is not one the node wrote.
    if (record.record_case() == v1::AuditBundleRecord::RECORD_NOT_SET ||
        HasUnknownFields(record) ||
        (record.has_header() && HasUnknownFields(record.header())) ||
        (record.has_checkpoint() && HasUnknownFields(record.checkpoint())) ||
        record.ByteSizeLong() != bytes.size()) {
      return absl::InvalidArgumentError(
          "bundle: a record is not one header, checkpoint or entry");
    }
    return true;
  };

  absl::StatusOr<bool> more = next();
  if (!more.ok()) return Fail(verdict, more.status());
  if (!*more || !record.has_header()) {
    return Fail(verdict,
                absl::InvalidArgumentError("bundle: no header record"));
  }
  const uint64_t total = record.header().tree_size();

  // 1. Checkpoints.
  struct Expected {
    uint64_t seq;
    uint64_t size;
    std::string root;
  };
  std::vector<Expected> checkpoints;
  uint64_t last_size = 0;
  uint64_t last_seq = 0;
  // Once a rotation named it: the id of the key every checkpoint must be
  // signed by, and the seq of the checkpoint that introduced it.
  std::optional<uint32_t> current_key;
  uint64_t current_key_since = 0;
  while (true) {
    more = next();
    if (!more.ok()) return Fail(verdict, more.status());
    if (!*more || !record.has_checkpoint()) break;
    const v1::SignedCheckpoint& cp = record.checkpoint();
    const std::string which =
        absl::StrCat("checkpoint ", cp.seq(), " (size ", cp.tree_size(), ")");
    absl::StatusOr<crypto::OpenedNote> note =
        crypto::OpenNote(cp.note(), trusted);
    absl::StatusOr<crypto::Checkpoint> opened =
        note.ok() ? crypto::ParseCheckpointBody(note->text)
                  : absl::StatusOr<crypto::Checkpoint>(note.status());
    if (opened.ok() && opened->origin != origin) {
      opened = absl::UnauthenticatedError(
          absl::StrCat("checkpoint is for another log, not \"", origin, "\""));
    }
    if (!opened.ok()) {
      verdict.bad_checkpoint = cp.seq();
      return Fail(verdict,
                  absl::UnauthenticatedError(absl::StrCat(
                      which, " does not verify with the trusted keys: ",
                      opened.status().message())));
    }
    // After a rotation only the key it introduced signs: a checkpoint that a
    // retired key signed alone is not one the node wrote (and the retired
    // key may have leaked since).
    if (current_key.has_value() &&
        std::none_of(note->verified.begin(), note->verified.end(),
                     [&](const crypto::NoteSignature& s) {
                       return s.key_id == *current_key;
                     })) {
      verdict.bad_checkpoint = cp.seq();
      return Fail(verdict,
                  absl::UnauthenticatedError(absl::StrCat(
                      which, " is not signed by the audit key that checkpoint ",
                      current_key_since, " introduced (key id ",
                      KeyIdText(*current_key),
                      "): the key it replaced no longer signs")));
    }
    // seq is not signed, but a bundle the node wrote numbers its
    // checkpoints in signing order: a repeated or reordered one is not.
    if (verdict.checkpoints > 0 && cp.seq() <= last_seq) {
      verdict.bad_checkpoint = cp.seq();
      return Fail(verdict, absl::InvalidArgumentError(
                               absl::StrCat("bundle: checkpoint ", cp.seq(),
                                            " is out of order or repeated")));
    }
    last_seq = cp.seq();
    if (opened->size < last_size) {
      verdict.bad_checkpoint = cp.seq();
      return Fail(verdict, absl::DataLossError(absl::StrCat(
                               "checkpoint ", cp.seq(), " (size ", opened->size,
                               ") is smaller than the one before it (size ",
                               last_size, ")")));
    }
    last_size = opened->size;
    const std::string* rotation = nullptr;
    for (const std::string& ext : opened->extensions) {
      if (!absl::StartsWith(ext, kRotationPrefix)) continue;
      if (rotation != nullptr) {
        verdict.bad_checkpoint = cp.seq();
        return Fail(verdict, absl::DataLossError(absl::StrCat(
                                 which, " introduces more than one key")));
      }
      rotation = &ext;
    }
    if (rotation != nullptr) {
      const absl::string_view vkey =
          absl::string_view(*rotation).substr(sizeof(kRotationPrefix) - 1);
      absl::Status s = trust(vkey, origin);
      if (!s.ok()) {
        verdict.bad_checkpoint = cp.seq();
        return Fail(verdict,
                    absl::DataLossError(absl::StrCat(
                        "checkpoint ", cp.seq(),
                        " introduces a malformed key: ", s.message())));
      }
      // The transition checkpoint must carry a valid signature by the key it
      // introduces: a rotation line alone, which whoever holds the old key
      // can write, introduces nothing.
      absl::StatusOr<std::unique_ptr<crypto::NoteVerifier>> introduced =
          crypto::NoteVerifier::FromVerifierKey(vkey);
      if (!introduced.ok()) return Fail(verdict, introduced.status());
      const crypto::NoteVerifier* only[] = {introduced->get()};
      absl::StatusOr<crypto::OpenedNote> by_new =
          crypto::OpenNote(cp.note(), only);
      if (!by_new.ok()) {
        verdict.bad_checkpoint = cp.seq();
        return Fail(verdict,
                    absl::UnauthenticatedError(absl::StrCat(
                        "the transition ", which,
                        " is not signed by the key it introduces (key id ",
                        KeyIdText((*introduced)->key_id()),
                        "): ", by_new.status().message())));
      }
      current_key = (*introduced)->key_id();
      current_key_since = cp.seq();
    }
    checkpoints.push_back({cp.seq(), opened->size, opened->root_hash});
    ++verdict.checkpoints;
  }
  if (checkpoints.empty()) {
    return Fail(verdict, absl::DataLossError("the bundle holds no checkpoint"));
  }
  if (last_size > total) {
    return Fail(verdict, absl::DataLossError(absl::StrCat(
                             "a checkpoint covers ", last_size,
                             " entries but the bundle declares ", total)));
  }

  // 2 and 3. Entries, and the root at each checkpoint's size.
  crypto::CompactRange tree;
  size_t next_cp = 0;
  uint64_t good_size = 0;
  auto check_roots = [&]() -> absl::Status {
    while (next_cp < checkpoints.size() &&
           checkpoints[next_cp].size == tree.size()) {
      const Expected& cp = checkpoints[next_cp];
      if (tree.Root() != cp.root) {
        verdict.first_bad_index = good_size;
        verdict.bad_index_end = cp.size;
        const std::string where =
            cp.size - good_size == 1
                ? absl::StrCat("first bad index ", good_size)
                : absl::StrCat("first bad index in [", good_size, ", ", cp.size,
                               ")");
        return absl::DataLossError(
            absl::StrCat("the entries do not match checkpoint ", cp.seq,
                         " (size ", cp.size, "): ", where));
      }
      good_size = cp.size;
      verdict.verified_size = cp.size;
      ++next_cp;
    }
    return absl::OkStatus();
  };
  auto bad_entry = [&](uint64_t index, absl::string_view what) {
    verdict.first_bad_index = index;
    verdict.bad_index_end = index + 1;
    return absl::DataLossError(absl::StrCat("entry ", index, " ", what,
                                            " (first bad index ", index, ")"));
  };
  {
    absl::Status s = check_roots();
    if (!s.ok()) return Fail(verdict, s);
  }
  v1::AuditEntry entry;
  while (*more) {
    if (!record.has_entry()) {
      return Fail(verdict,
                  absl::InvalidArgumentError(
                      "bundle: a header or checkpoint after the entries"));
    }
    const uint64_t index = tree.size();
    if (index >= total) {
      return Fail(verdict,
                  bad_entry(index, "is beyond the declared tree size"));
    }
    if (!entry.ParseFromString(record.entry())) {
      return Fail(verdict, bad_entry(index, "does not parse as an AuditEntry"));
    }
    if (entry.index() != index) {
      return Fail(verdict,
                  bad_entry(index, absl::StrCat("carries index ", entry.index(),
                                                ", not its position")));
    }
    absl::Status s = tree.Append(crypto::HashLeaf(record.entry()));
    if (!s.ok()) return Fail(verdict, s);
    ++verdict.entries;
    s = check_roots();
    if (!s.ok()) return Fail(verdict, s);
    if (progress && verdict.entries % kProgressEvery == 0) {
      progress(verdict.entries, total);
    }
    more = next();
    if (!more.ok()) return Fail(verdict, more.status());
  }
  if (progress) progress(verdict.entries, total);
  if (tree.size() < total) {
    return Fail(verdict,
                bad_entry(tree.size(), "is missing (the bundle ends early)"));
  }
  verdict.status = absl::OkStatus();
  return verdict;
}

absl::StatusOr<uint64_t> VerifyEntryInclusion(
    absl::string_view note, absl::Span<const std::string> verifier_keys,
    absl::string_view entry_bytes, uint64_t index,
    absl::Span<const std::string> proof) {
  if (verifier_keys.empty()) {
    return absl::InvalidArgumentError("no verifier key given");
  }
  std::vector<std::unique_ptr<crypto::NoteVerifier>> owned;
  std::vector<const crypto::NoteVerifier*> trusted;
  for (const std::string& k : verifier_keys) {
    absl::StatusOr<std::unique_ptr<crypto::NoteVerifier>> v =
        crypto::NoteVerifier::FromVerifierKey(k);
    if (!v.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad verifier key: ", v.status().message()));
    }
    bool seen = false;
    for (const crypto::NoteVerifier* t : trusted) {
      seen |= t->name() == (*v)->name() && t->key_id() == (*v)->key_id();
    }
    if (seen) continue;
    owned.push_back(*std::move(v));
    trusted.push_back(owned.back().get());
  }
  absl::StatusOr<crypto::Checkpoint> cp =
      crypto::OpenCheckpoint(note, trusted, trusted[0]->name());
  if (!cp.ok()) {
    return absl::UnauthenticatedError(
        absl::StrCat("the checkpoint does not verify with the trusted keys: ",
                     cp.status().message()));
  }
  v1::AuditEntry entry;
  if (!entry.ParseFromString(std::string(entry_bytes)) ||
      entry.index() != index) {
    return absl::UnauthenticatedError(
        absl::StrCat("the node's entry ", index, " is not entry ", index));
  }
  absl::Status included = crypto::VerifyInclusion(
      crypto::HashLeaf(entry_bytes), index, cp->size, proof, cp->root_hash);
  if (!included.ok()) {
    return absl::UnauthenticatedError(absl::StrCat(
        "the inclusion proof of entry ", index,
        " does not lead to the checkpoint's root: ", included.message()));
  }
  return cp->size;
}

}  // namespace resguardo::audit
