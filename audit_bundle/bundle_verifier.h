// The offline audit bundle: its writer and its verifier
// (docs/audit-log-format.md §Bundle and §Verification).
//
// This library depends only on crypto/ and the generated API, never on the
// node: it is what an auditor runs on her own machine (resguardo audit
// verify), and the reference for a verifier written in another language.
//
// Verification trusts only the verifier keys it is given (C2SP vkeys), plus
// a key that a checkpoint verified by a trusted key introduces with a
// "resguardo-key-rotation <vkey>" extension line (one per checkpoint) and
// that signs that transition checkpoint too. From the transition on, the
// introduced key alone makes a checkpoint valid: a later checkpoint without
// its valid signature fails, even if a key given or retired signed it. It:
//   1. opens every checkpoint, in order, under the trusted keys (a forged or
//      altered checkpoint, a transition the new key did not sign, or a
//      checkpoint signed by a retired key fails here, named by its seq and
//      size) and checks that sizes never decrease;
//   2. reads every entry, checks that it parses as an AuditEntry whose index
//      is its position (a removed, inserted or reordered entry fails here,
//      at its exact index), hashes it (SHA-256(0x00 ‖ bytes)) and extends
//      the tree;
//   3. at each checkpoint's size, compares the recomputed root with the
//      signed one. Successive checkpoints are then consistent by
//      construction: one sequence of leaves produced both roots. An edit
//      that leaves an entry well formed is found here: the first bad index
//      is at or after the previous checkpoint's size and below this one's
//      (exact when they differ by one).
//
// Thread safety: thread-compatible; pure functions over their inputs.
#ifndef RESGUARDO_AUDIT_BUNDLE_BUNDLE_VERIFIER_H_
#define RESGUARDO_AUDIT_BUNDLE_BUNDLE_VERIFIER_H_

#include <cstdint>
#include <fstream>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "resguardo/v1/audit_service.pb.h"

namespace resguardo::audit {

// The first bytes of every bundle file.
inline constexpr absl::string_view kBundleMagic = "resguardo-audit-bundle/v1\n";
// The largest record a reader accepts.
inline constexpr uint64_t kMaxBundleRecordSize = 64 * 1024 * 1024;

// Writes a bundle file: Header once, then checkpoints, then entries.
class BundleWriter {
 public:
  // Creates (or truncates) `path`. INTERNAL if it cannot be opened.
  static absl::StatusOr<std::unique_ptr<BundleWriter>> Create(
      const std::string& path);

  absl::Status WriteHeader(const v1::AuditBundleHeader& header);
  absl::Status WriteCheckpoint(const v1::SignedCheckpoint& checkpoint);
  absl::Status WriteEntry(absl::string_view entry_bytes);
  // Flushes and closes; the file is complete only if this returns OK.
  absl::Status Close();

 private:
  explicit BundleWriter(std::string path) : path_(std::move(path)) {}
  absl::Status WriteRecord(const v1::AuditBundleRecord& record);

  std::string path_;
  std::ofstream out_;
};

struct BundleVerdict {
  // OK if the bundle verifies. Otherwise: UNAUTHENTICATED for a checkpoint
  // no trusted key verifies; DATA_LOSS for entries that do not match;
  // INVALID_ARGUMENT for a malformed file or key; NOT_FOUND for a missing
  // file. The message names the first bad index (never an entry's
  // content).
  absl::Status status;
  // Entries and checkpoints read and verified.
  uint64_t entries = 0;
  uint64_t checkpoints = 0;
  // The largest size a verified checkpoint covers.
  uint64_t verified_size = 0;
  // On DATA_LOSS: the first bad index is in [first_bad_index,
  // bad_index_end); exact when bad_index_end == first_bad_index + 1.
  std::optional<uint64_t> first_bad_index;
  uint64_t bad_index_end = 0;
  // On UNAUTHENTICATED: the seq of the checkpoint that failed.
  std::optional<uint64_t> bad_checkpoint;
  // The verifier keys given and introduced by rotation, in that order; after
  // a rotation only the last one introduced signs.
  std::vector<std::string> trusted_keys;
};

// Called with (entries done, entries total) now and then.
using BundleProgress = std::function<void(uint64_t done, uint64_t total)>;

// Verifies the bundle file at `path` with the trusted `verifier_keys`.
BundleVerdict VerifyBundle(const std::string& path,
                           absl::Span<const std::string> verifier_keys,
                           const BundleProgress& progress = nullptr);
// The same, for a bundle read from `in` (from its magic line on).
BundleVerdict VerifyBundleStream(std::istream& in,
                                 absl::Span<const std::string> verifier_keys,
                                 const BundleProgress& progress = nullptr);

// Verifies, as `resguardo audit prove` does, that `entry_bytes` is leaf
// `index` of the tree of the checkpoint `note`: the note must open under the
// trusted `verifier_keys` (origin = the first key's name), and `proof` (RFC
// 9162 audit path) must lead from SHA-256(0x00 ‖ entry_bytes) to its root.
// Returns the checkpoint's tree size. UNAUTHENTICATED for a checkpoint or
// proof that does not verify; INVALID_ARGUMENT for malformed input.
absl::StatusOr<uint64_t> VerifyEntryInclusion(
    absl::string_view note, absl::Span<const std::string> verifier_keys,
    absl::string_view entry_bytes, uint64_t index,
    absl::Span<const std::string> proof);

}  // namespace resguardo::audit

#endif  // RESGUARDO_AUDIT_BUNDLE_BUNDLE_VERIFIER_H_
