// One piece (about 700 lines): the in-memory Merkle tree, the signing of
// checkpoints and the proofs all run under the one mutex that guards the
// tree; split, each part would reach into the others' locked state.
#include "services/audit/checkpointer.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "crypto/checkpoint.h"
#include "crypto/ed25519.h"
#include "crypto/secret_data.h"
#include "resguardo/v1/audit.pb.h"
#include "services/audit/audit_log.h"
#include "services/store/statement.h"

namespace resguardo::audit {
namespace {

constexpr uint64_t kChunk = 10000;

int64_t ToMicros(absl::Time t) { return absl::ToUnixMicros(t); }

// The Ed25519 key of audit signing key `generation`, derived from the master
// key.
absl::StatusOr<std::unique_ptr<crypto::Ed25519Signer>> SigningKeyOf(
    const crypto::KeyProvider& keys, uint32_t generation) {
  ASSIGN_OR_RETURN(
      crypto::SecretData seed,
      keys.DeriveKey(crypto::KeyPurpose::kAuditSigning, generation));
  return crypto::Ed25519Signer::New(seed);
}

absl::StatusOr<std::unique_ptr<crypto::NoteSigner>> SignerFor(
    const crypto::KeyProvider& keys, const std::string& origin,
    uint32_t generation) {
  ASSIGN_OR_RETURN(std::unique_ptr<crypto::Ed25519Signer> ed,
                   SigningKeyOf(keys, generation));
  return crypto::NoteSigner::New(origin, std::move(ed));
}

absl::StatusOr<std::string> PublicKeyOf(const crypto::KeyProvider& keys,
                                        uint32_t generation) {
  ASSIGN_OR_RETURN(std::unique_ptr<crypto::Ed25519Signer> ed,
                   SigningKeyOf(keys, generation));
  return std::string(ed->PublicKey());
}

absl::StatusOr<AuditKey> KeyOf(absl::string_view origin, uint32_t generation,
                               std::string public_key) {
  AuditKey key;
  key.generation = generation;
  ASSIGN_OR_RETURN(std::unique_ptr<crypto::NoteVerifier> v,
                   crypto::NoteVerifier::New(origin, public_key));
  key.public_key = std::move(public_key);
  key.verifier_key = v->VerifierKey();
  key.key_id = v->key_id();
  return key;
}

// Inserts the public key of `generation` in `txn`.
absl::Status InsertKey(store::WriteTxn& txn, uint32_t generation,
                       absl::string_view public_key, absl::Time now) {
  ASSIGN_OR_RETURN(store::Statement ins,
                   txn.Prepare("INSERT INTO audit_signing_keys(generation, "
                               "public_key, create_time) VALUES (?1, ?2, ?3)"));
  RETURN_IF_ERROR(ins.BindInt64(1, generation));
  RETURN_IF_ERROR(ins.BindBlob(2, public_key));
  RETURN_IF_ERROR(ins.BindInt64(3, absl::ToUnixMicros(now)));
  return ins.Run();
}

// Appends the stored entries [tree.size(), size of the log in txn) to
// `tree`, checking each as AuditLog::VerifyStoredEntries does (present, leaf
// hash = HashLeaf(stored bytes), parses, its own index = its position) but
// in the same pass that collects the leaf hashes (calling it and then
// reading again would read a million-entry log twice at start-up), and
// naming the first bad index. `after_append` runs after each leaf.
absl::Status ExtendTree(store::ReadTxn& txn, AuditTree& tree,
                        absl::FunctionRef<absl::Status()> after_append) {
  ASSIGN_OR_RETURN(uint64_t size, AuditLog::Size(txn));
  while (tree.size() < size) {
    const uint64_t from = tree.size();
    const uint64_t to = std::min(size, from + kChunk);
    ASSIGN_OR_RETURN(std::vector<StoredEntry> entries,
                     AuditLog::ReadEntries(txn, from, to));
    uint64_t expected = from;
    for (const StoredEntry& e : entries) {
      if (e.index != expected) break;
      if (!crypto::ConstantTimeEquals(e.leaf_hash, crypto::HashLeaf(e.bytes))) {
        return absl::DataLossError(absl::StrCat(
            "audit log: entry ", e.index,
            " does not match its stored leaf hash (first bad index ", e.index,
            ")"));
      }
      v1::AuditEntry parsed;
      if (!parsed.ParseFromString(e.bytes) || parsed.index() != e.index) {
        return absl::DataLossError(
            absl::StrCat("audit log: entry ", e.index,
                         " is not the entry of its position (first bad index ",
                         e.index, ")"));
      }
      RETURN_IF_ERROR(tree.Append(e.leaf_hash));
      RETURN_IF_ERROR(after_append());
      ++expected;
    }
    if (expected != to) {
      return absl::DataLossError(absl::StrCat("audit log: entry ", expected,
                                              " is missing (first bad index ",
                                              expected, ")"));
    }
  }
  return absl::OkStatus();
}

absl::Status ExtendTree(store::ReadTxn& txn, AuditTree& tree) {
  return ExtendTree(txn, tree, [] { return absl::OkStatus(); });
}

// OK if every stored checkpoint verifies under `verifiers`, is the one its
// row describes, and follows its predecessor (the roots are compared while
// the tree is built: CheckRoots).
absl::Status CheckStoredCheckpoints(
    const std::vector<SignedCheckpoint>& checkpoints,
    absl::Span<const crypto::NoteVerifier* const> verifiers,
    const std::string& origin) {
  uint64_t good_size = 0;
  for (size_t i = 0; i < checkpoints.size(); ++i) {
    const SignedCheckpoint& cp = checkpoints[i];
    absl::StatusOr<crypto::Checkpoint> opened =
        crypto::OpenCheckpoint(cp.note, verifiers, origin);
    if (!opened.ok() || cp.seq != i || opened->size != cp.tree_size ||
        opened->root_hash != cp.root_hash || cp.tree_size < good_size) {
      return absl::DataLossError(absl::StrCat(
          "audit log: stored checkpoint ", i,
          " is not a checkpoint this node signed in order (",
          opened.ok() ? "its row was altered" : opened.status().message(),
          ")"));
    }
    good_size = cp.tree_size;
  }
  return absl::OkStatus();
}

// Compares the tree's root with every checkpoint of its current size, from
// checkpoints[*next] on; *good_size is the size of the last that matched.
absl::Status CheckRoots(const std::vector<SignedCheckpoint>& checkpoints,
                        const AuditTree& tree, size_t* next,
                        uint64_t* good_size) {
  while (*next < checkpoints.size() &&
         checkpoints[*next].tree_size == tree.size()) {
    const SignedCheckpoint& cp = checkpoints[*next];
    if (tree.range.Root() != cp.root_hash) {
      if (cp.tree_size - *good_size == 1) {
        return absl::DataLossError(absl::StrCat(
            "audit log: the stored entries do not match signed checkpoint ",
            *next, " (size ", cp.tree_size, "): first bad index ", *good_size));
      }
      return absl::DataLossError(absl::StrCat(
          "audit log: the stored entries do not match signed checkpoint ",
          *next, " (size ", cp.tree_size, "): first bad index in [", *good_size,
          ", ", cp.tree_size, ")"));
    }
    *good_size = cp.tree_size;
    ++*next;
  }
  return absl::OkStatus();
}

// Complete nodes of an AuditTree: those of level kMemoryLevel and more from
// memory, the others recomputed from the stored leaf hashes of their
// 2^kMemoryLevel-leaf block, read in `txn` (each block once per reader).
class TreeNodes final : public crypto::NodeReader {
 public:
  TreeNodes(const AuditTree& tree, store::ReadTxn& txn)
      : tree_(tree), txn_(txn) {}

  absl::StatusOr<std::vector<std::string>> ReadNodes(
      absl::Span<const crypto::NodeId> ids) const override {
    std::vector<std::string> out;
    out.reserve(ids.size());
    for (const crypto::NodeId& id : ids) {
      if (id.end() > tree_.size()) {
        return absl::InternalError("audit tree: a node beyond the tree");
      }
      if (id.level >= AuditTree::kMemoryLevel) {
        const size_t l = id.level - AuditTree::kMemoryLevel;
        if (l >= tree_.upper.size() || id.index >= tree_.upper[l].size()) {
          return absl::InternalError("audit tree: a node it should hold");
        }
        const AuditTree::Hash& h = tree_.upper[l][id.index];
        out.emplace_back(h.data(), h.size());
        continue;
      }
      ASSIGN_OR_RETURN(const std::vector<std::string>* leaves,
                       Block(id.begin() >> AuditTree::kMemoryLevel));
      const uint64_t offset =
          id.begin() -
          ((id.begin() >> AuditTree::kMemoryLevel) << AuditTree::kMemoryLevel);
      std::vector<std::string> level(
          leaves->begin() + static_cast<ptrdiff_t>(offset),
          leaves->begin() +
              static_cast<ptrdiff_t>(offset + (id.end() - id.begin())));
      while (level.size() > 1) {
        for (size_t i = 0; i < level.size() / 2; ++i) {
          level[i] = crypto::HashChildren(level[2 * i], level[2 * i + 1]);
        }
        level.resize(level.size() / 2);
      }
      out.push_back(std::move(level[0]));
    }
    return out;
  }

 private:
  // The stored leaf hashes of block `block`, up to the tree's size.
  absl::StatusOr<const std::vector<std::string>*> Block(uint64_t block) const {
    if (block_ && block_index_ == block) return &*block_;
    const uint64_t begin = block << AuditTree::kMemoryLevel;
    const uint64_t end = std::min<uint64_t>(
        tree_.size(), begin + (uint64_t{1} << AuditTree::kMemoryLevel));
    ASSIGN_OR_RETURN(store::Statement q,
                     txn_.Prepare("SELECT idx, leaf_hash FROM audit_entries "
                                  "WHERE idx >= ?1 AND idx < ?2 ORDER BY idx"));
    RETURN_IF_ERROR(q.BindInt64(1, static_cast<int64_t>(begin)));
    RETURN_IF_ERROR(q.BindInt64(2, static_cast<int64_t>(end)));
    std::vector<std::string> leaves;
    leaves.reserve(end - begin);
    while (true) {
      ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      ASSIGN_OR_RETURN(int64_t idx, q.ColumnInt64(0));
      ASSIGN_OR_RETURN(absl::string_view hash, q.ColumnBlob(1));
      if (static_cast<uint64_t>(idx) != begin + leaves.size() ||
          hash.size() != crypto::kMerkleHashSize) {
        break;
      }
      leaves.emplace_back(hash);
    }
    if (leaves.size() != end - begin) {
      return absl::DataLossError(
          absl::StrCat("audit log: entry ", begin + leaves.size(),
                       " changed under the running node (first bad index ",
                       begin + leaves.size(), ")"));
    }
    block_ = std::move(leaves);
    block_index_ = block;
    return &*block_;
  }

  const AuditTree& tree_;
  store::ReadTxn& txn_;
  // The last block read: a proof's nodes below kMemoryLevel all lie in the
  // leaf's block, or (ephemeral ones) in the tree's last block.
  mutable std::optional<std::vector<std::string>> block_;
  mutable uint64_t block_index_ = 0;
};

absl::Status CheckSize(uint64_t tree_size, const AuditTree& tree) {
  if (tree_size > tree.size()) {
    return absl::OutOfRangeError(absl::StrCat(
        "tree size ", tree_size, " is beyond the log (", tree.size(), ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status AuditTree::Append(absl::string_view leaf_hash) {
  return range.Append(leaf_hash,
                      [this](crypto::NodeId id, absl::string_view hash) {
                        if (id.level < kMemoryLevel) return;
                        const size_t l = id.level - kMemoryLevel;
                        if (upper.size() <= l) upper.resize(l + 1);
                        // CompactRange reports each complete node once, left to
                        // right.
                        Hash h;
                        std::copy(hash.begin(), hash.end(), h.begin());
                        upper[l].push_back(h);
                      });
}

std::string AuditOrigin(absl::string_view trust_domain) {
  return absl::StrCat(trust_domain, "/audit");
}

absl::StatusOr<std::vector<AuditKey>> Checkpointer::ReadKeys(
    store::ReadTxn& txn, absl::string_view origin) {
  ASSIGN_OR_RETURN(store::Statement q,
                   txn.Prepare("SELECT generation, public_key FROM "
                               "audit_signing_keys ORDER BY generation"));
  std::vector<AuditKey> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    ASSIGN_OR_RETURN(int64_t generation, q.ColumnInt64(0));
    ASSIGN_OR_RETURN(absl::string_view pk, q.ColumnBlob(1));
    // Load checks that generations run 1, 2, 3...
    if (generation < 0 || generation > std::numeric_limits<uint32_t>::max()) {
      return absl::DataLossError("audit log: a stored key generation is bad");
    }
    ASSIGN_OR_RETURN(
        AuditKey key,
        KeyOf(origin, static_cast<uint32_t>(generation), std::string(pk)));
    out.push_back(std::move(key));
  }
  return out;
}

absl::StatusOr<std::vector<SignedCheckpoint>> Checkpointer::ReadCheckpoints(
    store::ReadTxn& txn, uint64_t min_size, uint64_t max_size) {
  ASSIGN_OR_RETURN(
      store::Statement q,
      txn.Prepare("SELECT seq, tree_size, root_hash, note, key_generation, "
                  "create_time FROM audit_checkpoints WHERE tree_size >= ?1 "
                  "AND tree_size <= ?2 ORDER BY seq"));
  auto clamp = [](uint64_t v) {
    return static_cast<int64_t>(
        std::min<uint64_t>(v, std::numeric_limits<int64_t>::max()));
  };
  RETURN_IF_ERROR(q.BindInt64(1, clamp(min_size)));
  RETURN_IF_ERROR(q.BindInt64(2, clamp(max_size)));
  std::vector<SignedCheckpoint> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    SignedCheckpoint cp;
    ASSIGN_OR_RETURN(int64_t seq, q.ColumnInt64(0));
    ASSIGN_OR_RETURN(int64_t size, q.ColumnInt64(1));
    ASSIGN_OR_RETURN(absl::string_view root, q.ColumnBlob(2));
    ASSIGN_OR_RETURN(absl::string_view note, q.ColumnText(3));
    ASSIGN_OR_RETURN(int64_t generation, q.ColumnInt64(4));
    ASSIGN_OR_RETURN(int64_t micros, q.ColumnInt64(5));
    cp.seq = static_cast<uint64_t>(seq);
    cp.tree_size = static_cast<uint64_t>(size);
    cp.root_hash = std::string(root);
    cp.note = std::string(note);
    cp.key_generation = static_cast<uint32_t>(generation);
    cp.time = absl::FromUnixMicros(micros);
    out.push_back(std::move(cp));
  }
  return out;
}

absl::StatusOr<std::unique_ptr<Checkpointer>> Checkpointer::Open(
    store::Database* db, const crypto::KeyProvider* keys, const Clock* clock,
    Options options) {
  if (options.every_entries == 0) options.every_entries = 1;
  std::unique_ptr<Checkpointer> cp(
      new Checkpointer(db, clock, std::move(options)));
  RETURN_IF_ERROR(cp->Load(keys));
  return cp;
}

absl::Status Checkpointer::Load(const crypto::KeyProvider* keys) {
  const std::string& origin = options_.origin;
  ASSIGN_OR_RETURN(keys_, db_->Read([&](store::ReadTxn& txn) {
    return ReadKeys(txn, origin);
  }));
  ASSIGN_OR_RETURN(bool any_checkpoint,
                   db_->Read([&](store::ReadTxn& txn) -> absl::StatusOr<bool> {
                     ASSIGN_OR_RETURN(store::Statement q,
                                      txn.Prepare("SELECT EXISTS (SELECT 1 "
                                                  "FROM audit_checkpoints)"));
                     ASSIGN_OR_RETURN(bool row, q.Step());
                     if (!row) return false;
                     ASSIGN_OR_RETURN(int64_t exists, q.ColumnInt64(0));
                     return exists != 0;
                   }));
  // The first key and the first checkpoint are written in one transaction
  // (SignLocked), so keys without any checkpoint mean that the checkpoints
  // were deleted: signing afresh could sign a history that contradicts them.
  if (!keys_.empty() && !any_checkpoint) {
    return absl::DataLossError(
        "audit log: signing keys are stored but no checkpoint is (the "
        "checkpoints were deleted)");
  }
  if (keys_.empty() && any_checkpoint) {
    return absl::DataLossError(
        "audit log: checkpoints are stored but no signing key is (the keys "
        "were deleted)");
  }
  std::string first_public_key;
  if (keys_.empty()) {
    ASSIGN_OR_RETURN(first_public_key, PublicKeyOf(*keys, 1));
    ASSIGN_OR_RETURN(AuditKey first, KeyOf(origin, 1, first_public_key));
    keys_.push_back(std::move(first));
  }
  // Every stored public key must be the one the master key gives for its
  // generation, and generations must run 1, 2, 3... Otherwise someone with
  // the database key could add a key row of her own, sign a rewritten
  // history with it, and have this node accept (and extend) that history.
  std::vector<std::unique_ptr<crypto::NoteVerifier>> verifiers;
  std::vector<const crypto::NoteVerifier*> known;
  for (size_t i = 0; i < keys_.size(); ++i) {
    const AuditKey& k = keys_[i];
    ASSIGN_OR_RETURN(std::unique_ptr<crypto::NoteSigner> derived,
                     SignerFor(*keys, origin, static_cast<uint32_t>(i + 1)));
    if (k.generation != i + 1 || derived->VerifierKey() != k.verifier_key) {
      return absl::FailedPreconditionError(absl::StrCat(
          "audit log: stored audit signing key ", i + 1,
          " is not the master key's audit signing key of its generation"));
    }
    if (i + 1 == keys_.size()) signer_ = std::move(derived);
    ASSIGN_OR_RETURN(verifiers.emplace_back(),
                     crypto::NoteVerifier::New(origin, k.public_key));
    known.push_back(verifiers.back().get());
  }
  const AuditKey& current = keys_.back();

  absl::MutexLock lock(&mu_);
  // The lambdas run under `lock` (Read calls them synchronously), which the
  // thread-safety analysis cannot see through.
  AuditTree* tree = &tree_;
  return db_->Read([&](store::ReadTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(
        std::vector<SignedCheckpoint> checkpoints,
        ReadCheckpoints(txn, 0, std::numeric_limits<uint64_t>::max()));
    RETURN_IF_ERROR(CheckStoredCheckpoints(checkpoints, known, origin));
    // Each checkpoint's root is compared when the tree reaches its size, so
    // a rewritten entry is reported at the first checkpoint it breaks.
    size_t next = 0;
    uint64_t good_size = 0;
    RETURN_IF_ERROR(CheckRoots(checkpoints, *tree, &next, &good_size));
    RETURN_IF_ERROR(ExtendTree(txn, *tree, [&] {
      return CheckRoots(checkpoints, *tree, &next, &good_size);
    }));
    if (next < checkpoints.size()) {
      return absl::DataLossError(absl::StrCat(
          "audit log: the log has ", tree->size(), " entries but checkpoint ",
          next, " signed ", checkpoints[next].tree_size, " (first bad index ",
          tree->size(), ")"));
    }
    if (!checkpoints.empty()) {
      latest_ = checkpoints.back();
      has_latest_ = true;
      return absl::OkStatus();
    }
    const crypto::NoteSigner* signers[] = {signer_.get()};
    return SignLocked(txn, signers, current.generation, {},
                      first_public_key.empty() ? nullptr : &keys_.front())
        .status();
  });
}

absl::StatusOr<std::string> Checkpointer::RootAtLocked(store::ReadTxn& txn,
                                                       uint64_t tree_size) {
  RETURN_IF_ERROR(CheckSize(tree_size, tree_));
  if (tree_size == tree_.size()) return tree_.range.Root();
  return crypto::RootFromNodes(tree_size, TreeNodes(tree_, txn));
}

absl::StatusOr<SignedCheckpoint> Checkpointer::SignLocked(
    store::ReadTxn& txn, absl::Span<const crypto::NoteSigner* const> signers,
    uint32_t key_generation, std::vector<std::string> extensions,
    const AuditKey* new_key, bool stored) {
  const uint64_t size = tree_.size();
  const std::string root = tree_.range.Root();
  if (has_latest_) {
    // Never sign a tree that does not extend the last signed one.
    if (size < latest_.tree_size) {
      return absl::DataLossError(
          "audit log: the tree is smaller than the last signed checkpoint; "
          "refusing to sign");
    }
    ASSIGN_OR_RETURN(std::string old_root,
                     RootAtLocked(txn, latest_.tree_size));
    if (old_root != latest_.root_hash) {
      return absl::DataLossError(
          "audit log: the tree no longer extends the last signed checkpoint; "
          "refusing to sign");
    }
    if (latest_.tree_size > 0 && latest_.tree_size < size) {
      ASSIGN_OR_RETURN(std::vector<std::string> proof,
                       crypto::ConsistencyProofFromNodes(
                           latest_.tree_size, size, TreeNodes(tree_, txn)));
      RETURN_IF_ERROR(crypto::VerifyConsistency(latest_.tree_size, size, proof,
                                                latest_.root_hash, root));
    }
  }
  crypto::Checkpoint body{options_.origin, size, root, std::move(extensions)};
  ASSIGN_OR_RETURN(std::string note, crypto::SignCheckpoint(body, signers));
  SignedCheckpoint cp;
  cp.seq = has_latest_ ? latest_.seq + 1 : 0;
  cp.tree_size = size;
  cp.root_hash = root;
  cp.note = std::move(note);
  cp.key_generation = key_generation;
  cp.time = clock_->Now();
  if (!stored) return cp;
  RETURN_IF_ERROR(db_->Write([&](store::WriteTxn& txn) -> absl::Status {
    return StoreCheckpoint(txn, cp, new_key);
  }));
  latest_ = cp;
  has_latest_ = true;
  return cp;
}

absl::Status Checkpointer::StoreCheckpoint(store::WriteTxn& txn,
                                           const SignedCheckpoint& cp,
                                           const AuditKey* new_key) {
  // A new key and the first checkpoint it signs commit together: a crash
  // between them would otherwise leave a key no checkpoint introduces.
  if (new_key != nullptr) {
    RETURN_IF_ERROR(
        InsertKey(txn, new_key->generation, new_key->public_key, cp.time));
  }
  ASSIGN_OR_RETURN(
      store::Statement ins,
      txn.Prepare("INSERT INTO audit_checkpoints(seq, tree_size, root_hash, "
                  "note, key_generation, create_time) VALUES (?1, ?2, ?3, "
                  "?4, ?5, ?6)"));
  RETURN_IF_ERROR(ins.BindInt64(1, static_cast<int64_t>(cp.seq)));
  RETURN_IF_ERROR(ins.BindInt64(2, static_cast<int64_t>(cp.tree_size)));
  RETURN_IF_ERROR(ins.BindBlob(3, cp.root_hash));
  RETURN_IF_ERROR(ins.BindText(4, cp.note));
  RETURN_IF_ERROR(ins.BindInt64(5, cp.key_generation));
  RETURN_IF_ERROR(ins.BindInt64(6, ToMicros(cp.time)));
  return ins.Run();
}

absl::StatusOr<SignedCheckpoint> Checkpointer::SignOnWriterLocked(
    store::ReadTxn& txn) {
  const crypto::NoteSigner* signers[] = {signer_.get()};
  ASSIGN_OR_RETURN(SignedCheckpoint cp,
                   SignLocked(txn, signers, keys_.back().generation, {},
                              nullptr, /*stored=*/false));
  signing_ = true;
  last_store_ = absl::OkStatus();
  // The row goes into the writer's next group-committed batch; nobody
  // waits for it here, holding this mutex or a reader connection. A call
  // that returns `cp` queues its own audit entry after this write, so the
  // entry — and thus the response — is durable only once the row is (same
  // batch or an earlier one).
  absl::Status queued = db_->WriteAsync(
      store::Database::Isolation::kSavepoint,
      [this, cp](store::WriteTxn& w) {
        return StoreCheckpoint(w, cp, nullptr);
      },
      [this, cp](absl::Status stored) {
        absl::MutexLock lock(&mu_);
        signing_ = false;
        last_store_ = stored;
        if (stored.ok()) {
          latest_ = cp;
          has_latest_ = true;
        }
      });
  if (!queued.ok()) {
    signing_ = false;
    return queued;
  }
  return cp;
}

absl::Status Checkpointer::CatchUp(store::ReadTxn& txn) {
  return ExtendTree(txn, tree_);
}

Checkpointer::~Checkpointer() {
  Stop();
  // A queued checkpoint row's answer refers to this object.
  absl::MutexLock lock(&mu_);
  auto answered = [this]()
                      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !signing_; };
  mu_.Await(absl::Condition(&answered));
}

void Checkpointer::StartBackground() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Run(); });
}

void Checkpointer::Stop() {
  {
    absl::MutexLock lock(&stop_mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void Checkpointer::Run() {
  absl::StatusCode last = absl::StatusCode::kOk;
  while (true) {
    {
      absl::MutexLock lock(&stop_mu_);
      if (stop_mu_.AwaitWithTimeout(absl::Condition(&stop_), options_.poll)) {
        return;
      }
    }
    bool queued = false;
    absl::Status status = db_->Read([&](store::ReadTxn& txn) -> absl::Status {
      absl::MutexLock lock(&mu_);
      RETURN_IF_ERROR(CatchUp(txn));
      const uint64_t grown = tree_.size() - latest_.tree_size;
      const bool due =
          grown >= options_.every_entries ||
          (grown > 0 && clock_->Now() - latest_.time >= options_.every);
      if (!due || signing_) return absl::OkStatus();
      RETURN_IF_ERROR(SignOnWriterLocked(txn).status());
      queued = true;
      return absl::OkStatus();
    });
    if (queued) status = AwaitStored();
    // A failure (a closed store at shutdown, a damaged log) leaves the last
    // checkpoint as it is: the next start-up check reports a damaged log.
    // It is reported once, when the outcome changes.
    if (status.code() != last) {
      last = status.code();
      if (!status.ok() && options_.on_background_error) {
        options_.on_background_error(status.code());
      }
    }
  }
}

SignedCheckpoint Checkpointer::Latest() const {
  absl::MutexLock lock(&mu_);
  return latest_;
}

absl::StatusOr<SignedCheckpoint> Checkpointer::Refresh(store::ReadTxn& txn) {
  absl::MutexLock lock(&mu_);
  RETURN_IF_ERROR(CatchUp(txn));
  if (tree_.size() == latest_.tree_size) return latest_;
  const absl::Time now = clock_->Now();
  // At most one forced checkpoint per min_forced_interval, and none while
  // another is being stored: a caller cannot buy a signature and an fsync
  // per call.
  if (signing_ ||
      (has_forced_ && now - last_forced_ < options_.min_forced_interval)) {
    return latest_;
  }
  ASSIGN_OR_RETURN(SignedCheckpoint cp, SignOnWriterLocked(txn));
  last_forced_ = now;
  has_forced_ = true;
  return cp;
}

absl::StatusOr<SignedCheckpoint> Checkpointer::RefreshNow() {
  ASSIGN_OR_RETURN(SignedCheckpoint cp, db_->Read([&](store::ReadTxn& txn) {
    return Refresh(txn);
  }));
  // Its own caller (no audit entry behind it) waits until the row is
  // stored.
  RETURN_IF_ERROR(AwaitStored());
  return cp;
}

absl::Status Checkpointer::AwaitStored() {
  absl::MutexLock lock(&mu_);
  auto answered = [this]()
                      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !signing_; };
  mu_.Await(absl::Condition(&answered));
  return last_store_;
}

absl::StatusOr<std::vector<std::string>> Checkpointer::InclusionProof(
    store::ReadTxn& txn, uint64_t index, uint64_t tree_size) {
  absl::MutexLock lock(&mu_);
  if (tree_size > tree_.size()) RETURN_IF_ERROR(CatchUp(txn));
  RETURN_IF_ERROR(CheckSize(tree_size, tree_));
  return crypto::InclusionProofFromNodes(index, tree_size,
                                         TreeNodes(tree_, txn));
}

absl::StatusOr<std::vector<std::string>> Checkpointer::ConsistencyProof(
    store::ReadTxn& txn, uint64_t size1, uint64_t size2) {
  absl::MutexLock lock(&mu_);
  if (size2 > tree_.size()) RETURN_IF_ERROR(CatchUp(txn));
  RETURN_IF_ERROR(CheckSize(size2, tree_));
  return crypto::ConsistencyProofFromNodes(size1, size2, TreeNodes(tree_, txn));
}

absl::StatusOr<std::string> Checkpointer::RootAt(store::ReadTxn& txn,
                                                 uint64_t tree_size) {
  absl::MutexLock lock(&mu_);
  if (tree_size > tree_.size()) RETURN_IF_ERROR(CatchUp(txn));
  return RootAtLocked(txn, tree_size);
}

absl::StatusOr<SignedCheckpoint> Checkpointer::RotateKey(
    store::Database* db, const crypto::KeyProvider* keys, const Clock* clock,
    const std::string& origin) {
  Options options;
  options.origin = origin;
  ASSIGN_OR_RETURN(std::unique_ptr<Checkpointer> cp,
                   Open(db, keys, clock, options));
  const uint32_t next = cp->keys_.back().generation + 1;
  ASSIGN_OR_RETURN(std::unique_ptr<crypto::NoteSigner> new_signer,
                   SignerFor(*keys, origin, next));
  ASSIGN_OR_RETURN(std::string public_key, PublicKeyOf(*keys, next));
  ASSIGN_OR_RETURN(AuditKey new_key, KeyOf(origin, next, public_key));
  return db->Read([&](store::ReadTxn& txn) -> absl::StatusOr<SignedCheckpoint> {
    absl::MutexLock lock(&cp->mu_);
    RETURN_IF_ERROR(cp->CatchUp(txn));
    const crypto::NoteSigner* signers[] = {cp->signer_.get(), new_signer.get()};
    return cp->SignLocked(
        txn, signers, next,
        {absl::StrCat(kKeyRotationExtension, " ", new_signer->VerifierKey())},
        &new_key);
  });
}

}  // namespace resguardo::audit
