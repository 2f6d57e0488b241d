// Checkpointer: the node's signed view of its audit log (DESIGN.md §5,
// docs/audit-log-format.md).
//
// It keeps the top of the log's Merkle tree in memory (AuditTree: the
// compact range, and the complete nodes of 64 leaves and more, about 1 byte
// a leaf), built from the stored leaves at Open and extended from committed
// entries afterwards (CatchUp reads only entries not yet in the tree: the
// write path is untouched). Nodes below come from the stored leaf hashes of
// one 64-leaf block, read in the caller's transaction (entries are
// append-only, so they are the leaves the tree was built from; if someone
// rewrites them under the running node, the proofs it serves stop verifying
// against its signed roots, and it refuses to sign). From it come
// checkpoints and proofs for any size.
//
// Checkpoints are C2SP tlog-checkpoints whose origin is also the key name,
// signed with the Ed25519 key whose seed is the KeyProvider's kAuditSigning
// key at the current generation (table audit_signing_keys; the highest
// generation signs). Each signed checkpoint is stored (audit_checkpoints).
// Before signing, the tree's root at the last signed size is compared with
// the last signed root: the node never signs two inconsistent checkpoints,
// across restarts too, because Open rebuilt the tree from the stored
// entries and compared it with every stored checkpoint first.
//
// Open refuses (DATA_LOSS, naming the first bad index, never an entry's
// content) a log where:
//   - an entry is missing, or its stored leaf hash is not HashLeaf(bytes);
//   - the log is shorter than a signed checkpoint;
//   - a stored checkpoint does not verify under the stored keys, or its root
//     is not the root of the stored entries at its size (the first bad index
//     is then at or after the size of the last checkpoint that still
//     matches, and below the first that does not: the message gives both);
//   - signing keys are stored without any checkpoint, or checkpoints
//     without any key (each key is stored in the transaction of the first
//     checkpoint it signs, so rows were deleted).
// and (FAILED_PRECONDITION) one whose stored public keys are not those the
// key provider gives for generations 1, 2, 3...: a key row written with
// only the database key must not vouch for checkpoints.
//
// Signing while serving (the background thread and Refresh): the tree is
// caught up and the checkpoint signed under the mutex, in the caller's read
// snapshot (committed entries only); its row is then queued to the store's
// writer (Database::WriteAsync, the group-commit path) and nobody waits for
// it holding the mutex or a reader connection, so proofs go on meanwhile.
// The checkpoint becomes Latest() once its row has committed; until then no
// other is signed. Forced checkpoints (Refresh) are rate-limited
// (Options::min_forced_interval).
//
// Thread safety: thread-safe; one mutex guards the tree. Methods taking a
// ReadTxn run inside the caller's read (so a call's read and its proof see
// the same snapshot). Ownership: db, keys and clock are borrowed and must
// outlive the Checkpointer.
#ifndef RESGUARDO_SERVICES_AUDIT_CHECKPOINTER_H_
#define RESGUARDO_SERVICES_AUDIT_CHECKPOINTER_H_

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "crypto/key_provider.h"
#include "crypto/merkle_tree.h"
#include "crypto/signed_note.h"
#include "services/store/database.h"
#include "services/store/transaction.h"

namespace resguardo::audit {

// One stored, signed checkpoint.
struct SignedCheckpoint {
  uint64_t seq = 0;        // 0, 1, 2... in signing order
  uint64_t tree_size = 0;  // entries it covers
  std::string root_hash;   // 32 raw bytes
  std::string note;        // the C2SP signed note, verbatim
  uint32_t key_generation = 0;
  absl::Time time;
};

// One signing key generation, public part.
struct AuditKey {
  uint32_t generation = 0;
  std::string public_key;    // 32 raw bytes
  std::string verifier_key;  // C2SP vkey "<origin>+<hex id>+<base64>"
  uint32_t key_id = 0;
};

// The extension line prefix of a transition checkpoint (see RotateKey).
inline constexpr char kKeyRotationExtension[] = "resguardo-key-rotation";

// The log's Merkle tree as a Checkpointer keeps it: the compact range (for
// appends and the current root) and every complete node of level
// kMemoryLevel or more. Thread safety: none (the Checkpointer guards it).
struct AuditTree {
  using Hash = std::array<char, crypto::kMerkleHashSize>;
  // Nodes over 2^kMemoryLevel leaves and more are kept: 2 × 32 / 64 bytes a
  // leaf instead of 64 for the whole tree.
  static constexpr uint32_t kMemoryLevel = 6;

  uint64_t size() const { return range.size(); }
  // Appends a leaf hash (32 bytes; INVALID_ARGUMENT otherwise).
  absl::Status Append(absl::string_view leaf_hash);

  crypto::CompactRange range;
  // upper[l - kMemoryLevel][i] is NodeId{l, i}.
  std::vector<std::vector<Hash>> upper;
};

// The checkpoint origin (and key name) of a node of `trust_domain`.
std::string AuditOrigin(absl::string_view trust_domain);

class Checkpointer {
 public:
  struct Options {
    // The checkpoints' origin and key name (AuditOrigin()).
    std::string origin;
    // Sign when the log grew by this many entries since the last checkpoint.
    uint64_t every_entries = 1000;
    // ... or when this long has passed and it grew at all.
    absl::Duration every = absl::Seconds(60);
    // How often the background thread looks.
    absl::Duration poll = absl::Seconds(1);
    // Refresh signs at most one checkpoint per this interval (node-wide);
    // within it, it returns the latest one.
    absl::Duration min_forced_interval = absl::ZeroDuration();
    // Called from the background thread when its check or signing fails
    // (a damaged log, a checkpoint row written behind the node's back),
    // once per change of outcome, not on every poll: the node logs the code
    // (signing stays stopped until the cause is removed and the node
    // restarted). Optional.
    std::function<void(absl::StatusCode)> on_background_error;
  };

  // Loads (or, on a log without any, creates generation 1 of) the signing
  // key, rebuilds the tree from the stored entries, checks it against every
  // stored checkpoint (see above), and signs a first checkpoint if none is
  // stored. Errors: DATA_LOSS (tampered or damaged log), FAILED_PRECONDITION
  // (the key provider's key is not the stored public key), the store's and
  // key provider's errors.
  static absl::StatusOr<std::unique_ptr<Checkpointer>> Open(
      store::Database* db, const crypto::KeyProvider* keys, const Clock* clock,
      Options options);

  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;
  // Stops the background thread, and waits for the answer of a checkpoint
  // row still queued to the writer.
  ~Checkpointer();

  // Starts the thread that signs a checkpoint every N entries or T seconds.
  void StartBackground();
  // Stops it (idempotent).
  void Stop();

  // The latest signed checkpoint.
  SignedCheckpoint Latest() const;
  // Catches up with `txn`'s snapshot and, if the log grew since the last
  // checkpoint, no other is being stored, and the last forced one is at
  // least min_forced_interval old, signs one and queues its row to the
  // store's writer without waiting: the caller must make what it returns
  // durable through the writer before it sends it out (a call's audit
  // entry, queued after, does). Otherwise returns the latest (possibly
  // unchanged). RESOURCE_EXHAUSTED when the writer's queue is full.
  absl::StatusOr<SignedCheckpoint> Refresh(store::ReadTxn& txn);
  // The same, in a read of its own, and waits until the row is stored (or
  // failed: then Latest() is unchanged). REQUIRES: not inside a Read.
  absl::StatusOr<SignedCheckpoint> RefreshNow();

  // Proofs over the tree at `tree_size` (<= the entries committed in txn's
  // snapshot; OUT_OF_RANGE beyond). INVALID_ARGUMENT as crypto/merkle_tree.h.
  absl::StatusOr<std::vector<std::string>> InclusionProof(store::ReadTxn& txn,
                                                          uint64_t index,
                                                          uint64_t tree_size);
  absl::StatusOr<std::vector<std::string>> ConsistencyProof(store::ReadTxn& txn,
                                                            uint64_t size1,
                                                            uint64_t size2);
  // The root at `tree_size`; OUT_OF_RANGE beyond the snapshot's log.
  absl::StatusOr<std::string> RootAt(store::ReadTxn& txn, uint64_t tree_size);

  // Every key generation, oldest first (the last one signs).
  const std::vector<AuditKey>& keys() const { return keys_; }
  const std::string& origin() const { return options_.origin; }

  // Stored checkpoints with min_size <= tree_size <= max_size, in signing
  // order.
  static absl::StatusOr<std::vector<SignedCheckpoint>> ReadCheckpoints(
      store::ReadTxn& txn, uint64_t min_size, uint64_t max_size);
  // Every stored key generation (public keys), oldest first.
  static absl::StatusOr<std::vector<AuditKey>> ReadKeys(
      store::ReadTxn& txn, absl::string_view origin);

  // Offline key rotation (the node must not be serving): checks the log as
  // Open does, adds generation current+1, and signs a transition checkpoint
  // at the current size with BOTH the old and the new key, carrying the
  // extension line kKeyRotationExtension + " " + the new key's vkey (so a
  // verifier that trusts the old key learns the new one). Returns it.
  static absl::StatusOr<SignedCheckpoint> RotateKey(
      store::Database* db, const crypto::KeyProvider* keys, const Clock* clock,
      const std::string& origin);

 private:
  Checkpointer(store::Database* db, const Clock* clock, Options options)
      : db_(db), clock_(clock), options_(std::move(options)) {}

  absl::Status Load(const crypto::KeyProvider* keys);
  absl::Status CatchUp(store::ReadTxn& txn) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The root at `tree_size` (<= tree_.size()), reading leaves in `txn` if
  // it is not the current size.
  absl::StatusOr<std::string> RootAtLocked(store::ReadTxn& txn,
                                           uint64_t tree_size)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Signs the tree's current size with `signers` and, if `stored`, stores
  // it (a Write that this thread waits for: for Open and RotateKey, when
  // nothing else runs) together with `new_key` (the key generation this
  // checkpoint introduces) if set, and makes it the latest.
  absl::StatusOr<SignedCheckpoint> SignLocked(
      store::ReadTxn& txn, absl::Span<const crypto::NoteSigner* const> signers,
      uint32_t key_generation, std::vector<std::string> extensions = {},
      const AuditKey* new_key = nullptr, bool stored = true)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Signs with the current key and queues the row to the writer (see the
  // header comment). REQUIRES: !signing_.
  absl::StatusOr<SignedCheckpoint> SignOnWriterLocked(store::ReadTxn& txn)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Waits until no checkpoint row is queued; the last one's outcome.
  absl::Status AwaitStored() ABSL_LOCKS_EXCLUDED(mu_);
  static absl::Status StoreCheckpoint(store::WriteTxn& txn,
                                      const SignedCheckpoint& cp,
                                      const AuditKey* new_key);
  void Run();

  store::Database* const db_;
  const Clock* const clock_;
  const Options options_;
  std::vector<AuditKey> keys_;
  std::unique_ptr<crypto::NoteSigner> signer_;

  mutable absl::Mutex mu_;
  AuditTree tree_ ABSL_GUARDED_BY(mu_);
  SignedCheckpoint latest_ ABSL_GUARDED_BY(mu_);
  bool has_latest_ ABSL_GUARDED_BY(mu_) = false;
  // A checkpoint's row is queued to the writer and not yet answered.
  bool signing_ ABSL_GUARDED_BY(mu_) = false;
  // The outcome of the last queued row.
  absl::Status last_store_ ABSL_GUARDED_BY(mu_);
  // When Refresh last signed one.
  absl::Time last_forced_ ABSL_GUARDED_BY(mu_);
  bool has_forced_ ABSL_GUARDED_BY(mu_) = false;

  absl::Mutex stop_mu_;
  bool stop_ ABSL_GUARDED_BY(stop_mu_) = false;
  std::thread thread_;
};

}  // namespace resguardo::audit

#endif  // RESGUARDO_SERVICES_AUDIT_CHECKPOINTER_H_
