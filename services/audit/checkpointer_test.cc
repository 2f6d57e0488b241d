#include "services/audit/checkpointer.h"

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "base/status_macros.h"
#include "base/testing/status_matchers.h"
#include "crypto/checkpoint.h"
#include "crypto/ed25519.h"
#include "crypto/key_provider.h"
#include "crypto/merkle_tree.h"
#include "crypto/signed_note.h"
#include "crypto/testing/fixed_key_provider.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/audit/audit_log.h"
#include "services/schema/node_schema.h"
#include "services/store/database.h"
#include "services/store/statement.h"
#include "services/store/testing/temp_dir.h"

namespace resguardo::audit {
namespace {

using ::resguardo::testing::IsOk;
using ::resguardo::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kOrigin[] = "resguardo.test/audit";

class CheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    ASSERT_NO_FATAL_FAILURE(OpenDb());
  }

  void OpenDb() {
    store::Database::Options options;
    options.create_if_missing = true;
    options.migrations = schema::NodeMigrations();
    ASSERT_OK_AND_ASSIGN(
        db_, store::Database::Open(dir_.File("node.db"),
                                   crypto::SecretData(std::string(32, 'k')),
                                   options));
  }

  absl::StatusOr<std::unique_ptr<Checkpointer>> OpenCheckpointer() {
    Checkpointer::Options options;
    options.origin = kOrigin;
    return Checkpointer::Open(db_.get(), &keys_, &clock_, options);
  }

  void Append(int n) {
    for (int i = 0; i < n; ++i) {
      v1::AuditEntry e;
      e.set_actor("institutions/IEEPCO/users/ana");
      e.set_institution("IEEPCO");
      e.set_method("/resguardo.v1.CaseService/GetCase");
      e.set_request_id(absl::StrCat("req-", i));
      ASSERT_OK(log_.AppendDurably(*db_, e).status());
    }
  }

  // As an attacker with the database key would: drop the guard triggers and
  // run `sql` directly.
  void Tamper(const std::string& sql) {
    ASSERT_OK(db_->Write([&](store::WriteTxn& txn) -> absl::Status {
      RETURN_IF_ERROR(
          txn.Execute("DROP TRIGGER IF EXISTS "
                      "audit_entries_no_update"));
      RETURN_IF_ERROR(
          txn.Execute("DROP TRIGGER IF EXISTS "
                      "audit_entries_no_delete"));
      return txn.Execute(sql);
    }));
  }

  std::vector<StoredEntry> Entries() {
    auto entries = db_->Read([](store::ReadTxn& txn) {
      return AuditLog::ReadEntries(txn, 0, 10000);
    });
    EXPECT_OK(entries);
    return entries.ok() ? *entries : std::vector<StoredEntry>{};
  }

  store::testing::TempDir dir_;
  FakeClock clock_{absl::FromUnixSeconds(1767225600)};
  AuditLog log_{&clock_};
  crypto::testing::FixedKeyProvider keys_;
  std::unique_ptr<store::Database> db_;
};

TEST_F(CheckpointerTest, SignsAFirstCheckpointAndOneEveryRefreshThatGrew) {
  ASSERT_OK_AND_ASSIGN(auto cp, OpenCheckpointer());
  EXPECT_EQ(cp->Latest().tree_size, 0u);
  EXPECT_EQ(cp->Latest().seq, 0u);
  ASSERT_NO_FATAL_FAILURE(Append(5));
  ASSERT_OK_AND_ASSIGN(SignedCheckpoint s, cp->RefreshNow());
  EXPECT_EQ(s.tree_size, 5u);
  EXPECT_EQ(s.seq, 1u);
  // Nothing new: no new signature.
  ASSERT_OK_AND_ASSIGN(SignedCheckpoint same, cp->RefreshNow());
  EXPECT_EQ(same.seq, 1u);

  // The note verifies under the published key and commits to the root of
  // the entries' bytes, recomputed independently.
  ASSERT_EQ(cp->keys().size(), 1u);
  ASSERT_OK_AND_ASSIGN(auto verifier, crypto::NoteVerifier::FromVerifierKey(
                                          cp->keys()[0].verifier_key));
  const crypto::NoteVerifier* known[] = {verifier.get()};
  ASSERT_OK_AND_ASSIGN(crypto::Checkpoint opened,
                       crypto::OpenCheckpoint(s.note, known, kOrigin));
  crypto::MerkleTree independent;
  for (const StoredEntry& e : Entries()) {
    ASSERT_OK(independent.Append(crypto::HashLeaf(e.bytes)));
  }
  EXPECT_EQ(opened.size, 5u);
  EXPECT_EQ(opened.root_hash, independent.Root());
}

TEST_F(CheckpointerTest, ProofsVerifyAgainstTheSignedRoot) {
  ASSERT_OK_AND_ASSIGN(auto cp, OpenCheckpointer());
  ASSERT_NO_FATAL_FAILURE(Append(13));
  ASSERT_OK_AND_ASSIGN(SignedCheckpoint at7, cp->RefreshNow());
  (void)at7;
  ASSERT_NO_FATAL_FAILURE(Append(4));
  ASSERT_OK_AND_ASSIGN(SignedCheckpoint at17, cp->RefreshNow());
  const std::vector<StoredEntry> entries = Entries();
  ASSERT_OK(db_->Read([&](store::ReadTxn& txn) -> absl::Status {
    for (uint64_t i = 0; i < 17; ++i) {
      ASSIGN_OR_RETURN(std::vector<std::string> proof,
                       cp->InclusionProof(txn, i, 17));
      RETURN_IF_ERROR(crypto::VerifyInclusion(
          crypto::HashLeaf(entries[i].bytes), i, 17, proof, at17.root_hash));
    }
    ASSIGN_OR_RETURN(std::vector<std::string> consistency,
                     cp->ConsistencyProof(txn, 13, 17));
    ASSIGN_OR_RETURN(std::string root13, cp->RootAt(txn, 13));
    RETURN_IF_ERROR(
        crypto::VerifyConsistency(13, 17, consistency, root13, at17.root_hash));
    // A size beyond the log is OUT_OF_RANGE.
    EXPECT_THAT(cp->InclusionProof(txn, 0, 18),
                StatusIs(absl::StatusCode::kOutOfRange));
    return absl::OkStatus();
  }));
}

// The node keeps only the top of the tree in memory and recomputes the
// bottom from stored leaf hashes: its proofs and roots must equal those of
// a whole in-memory tree at every size around block boundaries.
TEST_F(CheckpointerTest, ProofsAndRootsEqualThoseOfAWholeTree) {
  ASSERT_OK_AND_ASSIGN(auto cp, OpenCheckpointer());
  ASSERT_NO_FATAL_FAILURE(Append(300));
  ASSERT_OK_AND_ASSIGN(SignedCheckpoint signed300, cp->RefreshNow());
  crypto::MerkleTree whole;
  for (const StoredEntry& e : Entries()) {
    ASSERT_OK(whole.Append(crypto::HashLeaf(e.bytes)));
  }
  ASSERT_EQ(whole.size(), 300u);
  EXPECT_EQ(signed300.root_hash, whole.Root());
  ASSERT_OK(db_->Read([&](store::ReadTxn& txn) -> absl::Status {
    for (uint64_t size :
         {1, 2, 63, 64, 65, 127, 128, 129, 191, 255, 256, 257, 299, 300}) {
      ASSIGN_OR_RETURN(std::string root, cp->RootAt(txn, size));
      ASSIGN_OR_RETURN(std::string want_root, whole.RootAt(size));
      EXPECT_EQ(root, want_root) << size;
      for (uint64_t i = 0; i < size; ++i) {
        ASSIGN_OR_RETURN(std::vector<std::string> proof,
                         cp->InclusionProof(txn, i, size));
        ASSIGN_OR_RETURN(std::vector<std::string> want,
                         whole.InclusionProof(i, size));
        EXPECT_EQ(proof, want) << i << " in " << size;
      }
      for (uint64_t old_size : {1, 5, 63, 64, 65, 130}) {
        if (old_size > size) continue;
        ASSIGN_OR_RETURN(std::vector<std::string> proof,
                         cp->ConsistencyProof(txn, old_size, size));
        ASSIGN_OR_RETURN(std::vector<std::string> want,
                         whole.ConsistencyProof(old_size, size));
        EXPECT_EQ(proof, want) << old_size << " to " << size;
      }
    }
    return absl::OkStatus();
  }));
  // And after a restart, which rebuilds the top from the store.
  cp.reset();
  ASSERT_NO_FATAL_FAILURE(Append(30));
  ASSERT_OK_AND_ASSIGN(cp, OpenCheckpointer());
  ASSERT_OK_AND_ASSIGN(SignedCheckpoint signed330, cp->RefreshNow());
  for (const StoredEntry& e : Entries()) {
    if (e.index >= 300) {
      ASSERT_OK(whole.Append(crypto::HashLeaf(e.bytes)));
    }
  }
  EXPECT_EQ(signed330.root_hash, whole.Root());
  ASSERT_OK(db_->Read([&](store::ReadTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<std::string> proof,
                     cp->ConsistencyProof(txn, 300, 330));
    return crypto::VerifyConsistency(300, 330, proof, signed300.root_hash,
                                     signed330.root_hash);
  }));
}

TEST_F(CheckpointerTest, BackgroundThreadSignsEveryNEntries) {
  Checkpointer::Options options;
  options.origin = kOrigin;
  options.every_entries = 3;
  options.every = absl::Hours(1);
  options.poll = absl::Milliseconds(10);
  ASSERT_OK_AND_ASSIGN(auto cp,
                       Checkpointer::Open(db_.get(), &keys_, &clock_, options));
  cp->StartBackground();
  ASSERT_NO_FATAL_FAILURE(Append(3));
  for (int i = 0; i < 500 && cp->Latest().tree_size < 3; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  cp->Stop();
  EXPECT_EQ(cp->Latest().tree_size, 3u);
}

TEST_F(CheckpointerTest, BackgroundFailureIsReportedOnce) {
  std::atomic<int> reports{0};
  std::atomic<int> last_code{0};
  Checkpointer::Options options;
  options.origin = kOrigin;
  options.every_entries = 1;
  options.every = absl::Hours(1);
  options.poll = absl::Milliseconds(5);
  options.on_background_error = [&](absl::StatusCode code) {
    last_code = static_cast<int>(code);
    ++reports;
  };
  ASSERT_OK_AND_ASSIGN(auto cp,
                       Checkpointer::Open(db_.get(), &keys_, &clock_, options));
  // A checkpoint row written behind the node's back (as a second process
  // rotating the key would): the node's next signature collides with it.
  const uint64_t next_seq = cp->Latest().seq + 1;
  ASSERT_OK(db_->Write([&](store::WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(
        store::Statement s,
        txn.Prepare("INSERT INTO audit_checkpoints (seq, tree_size, "
                    "root_hash, note, key_generation, create_time) VALUES "
                    "(?1, 0, zeroblob(32), 'x', 1, 0)"));
    RETURN_IF_ERROR(s.BindInt64(1, static_cast<int64_t>(next_seq)));
    return s.Run();
  }));
  cp->StartBackground();
  ASSERT_NO_FATAL_FAILURE(Append(2));
  for (int i = 0; i < 1000 && reports == 0; ++i) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  absl::SleepFor(absl::Milliseconds(100));  // Twenty more failing polls.
  cp->Stop();
  EXPECT_EQ(reports.load(), 1);
  EXPECT_NE(last_code.load(), 0);
}

TEST_F(CheckpointerTest, ReopenKeepsTheLastCheckpointAndExtendsIt) {
  {
    ASSERT_OK_AND_ASSIGN(auto cp, OpenCheckpointer());
    ASSERT_NO_FATAL_FAILURE(Append(4));
    ASSERT_OK(cp->RefreshNow().status());
  }
  ASSERT_NO_FATAL_FAILURE(Append(2));
  ASSERT_OK_AND_ASSIGN(auto cp, OpenCheckpointer());
  EXPECT_EQ(cp->Latest().tree_size, 4u);
  ASSERT_OK_AND_ASSIGN(SignedCheckpoint s, cp->RefreshNow());
  EXPECT_EQ(s.tree_size, 6u);
  EXPECT_EQ(s.seq, 2u);
}

TEST_F(CheckpointerTest, RefusesAnEntryEditedWithoutItsLeafHash) {
  ASSERT_NO_FATAL_FAILURE(Append(6));
  { ASSERT_OK(OpenCheckpointer().status()); }
  // One byte changed: the last byte of the request id.
  ASSERT_NO_FATAL_FAILURE(
      Tamper("UPDATE audit_entries SET entry = CAST(substr(entry, 1, "
             "length(entry) - 1) || x'7a' AS BLOB) WHERE idx = 3"));
  EXPECT_THAT(OpenCheckpointer(), StatusIs(absl::StatusCode::kDataLoss,
                                           HasSubstr("first bad index 3")));
}

TEST_F(CheckpointerTest, RefusesAnEntryEditedWithItsLeafHashRecomputed) {
  ASSERT_OK_AND_ASSIGN(auto cp, OpenCheckpointer());
  for (int i = 0; i < 6; ++i) {
    ASSERT_NO_FATAL_FAILURE(Append(1));
    ASSERT_OK(cp->RefreshNow().status());
  }
  cp.reset();
  // A forged entry 3 (a valid entry, other actor) with a consistent leaf.
  std::vector<StoredEntry> entries = Entries();
  v1::AuditEntry forged;
  ASSERT_TRUE(forged.ParseFromString(entries[3].bytes));
  forged.set_actor("institutions/IEEPCO/users/eva");
  const std::string bytes = forged.SerializeAsString();
  ASSERT_OK(db_->Write([&](store::WriteTxn& txn) -> absl::Status {
    RETURN_IF_ERROR(txn.Execute("DROP TRIGGER audit_entries_no_update"));
    ASSIGN_OR_RETURN(store::Statement s,
                     txn.Prepare("UPDATE audit_entries SET entry = ?1, "
                                 "leaf_hash = ?2 WHERE idx = 3"));
    RETURN_IF_ERROR(s.BindBlob(1, bytes));
    RETURN_IF_ERROR(s.BindBlob(2, crypto::HashLeaf(bytes)));
    return s.Run();
  }));
  EXPECT_THAT(OpenCheckpointer(),
              StatusIs(absl::StatusCode::kDataLoss,
                       AllOf(HasSubstr("first bad index 3"),
                             ::testing::Not(HasSubstr("eva")))));
}

TEST_F(CheckpointerTest, RefusesSwappedEntries) {
  ASSERT_NO_FATAL_FAILURE(Append(6));
  { ASSERT_OK(OpenCheckpointer().status()); }
  const std::vector<StoredEntry> entries = Entries();
  ASSERT_NO_FATAL_FAILURE(Tamper("SELECT 1"));
  ASSERT_OK(db_->Write([&](store::WriteTxn& txn) -> absl::Status {
    for (int i : {4, 5}) {
      const StoredEntry& other = entries[9 - i];
      ASSIGN_OR_RETURN(store::Statement s,
                       txn.Prepare("UPDATE audit_entries SET entry = ?1, "
                                   "leaf_hash = ?2 WHERE idx = ?3"));
      RETURN_IF_ERROR(s.BindBlob(1, other.bytes));
      RETURN_IF_ERROR(s.BindBlob(2, other.leaf_hash));
      RETURN_IF_ERROR(s.BindInt64(3, i));
      RETURN_IF_ERROR(s.Run());
    }
    return absl::OkStatus();
  }));
  EXPECT_THAT(OpenCheckpointer(), StatusIs(absl::StatusCode::kDataLoss,
                                           HasSubstr("first bad index 4")));
}

TEST_F(CheckpointerTest, RefusesALogTruncatedBelowItsCheckpoint) {
  ASSERT_NO_FATAL_FAILURE(Append(6));
  { ASSERT_OK(OpenCheckpointer().status()); }
  ASSERT_NO_FATAL_FAILURE(Tamper("DELETE FROM audit_entries WHERE idx >= 4"));
  EXPECT_THAT(OpenCheckpointer(), StatusIs(absl::StatusCode::kDataLoss,
                                           HasSubstr("first bad index 4")));
}

TEST_F(CheckpointerTest, RefusesAForgedCheckpointRow) {
  ASSERT_NO_FATAL_FAILURE(Append(3));
  { ASSERT_OK(OpenCheckpointer().status()); }
  ASSERT_OK(db_->Write([&](store::WriteTxn& txn) -> absl::Status {
    RETURN_IF_ERROR(txn.Execute("DROP TRIGGER audit_checkpoints_no_update"));
    return txn.Execute(
        "UPDATE audit_checkpoints SET root_hash = zeroblob(32) WHERE seq = 0");
  }));
  EXPECT_THAT(OpenCheckpointer(), StatusIs(absl::StatusCode::kDataLoss,
                                           HasSubstr("stored checkpoint 0")));
}

TEST_F(CheckpointerTest, RefusesAKeyRowTheMasterKeyDoesNotGive) {
  ASSERT_NO_FATAL_FAILURE(Append(3));
  ASSERT_OK(
      Checkpointer::RotateKey(db_.get(), &keys_, &clock_, kOrigin).status());
  // An attacker's own key in place of the retired generation 1 (generation 2
  // still signs): with it she could sign a rewritten history that the node
  // would then accept and extend.
  ASSERT_OK_AND_ASSIGN(auto ed, crypto::Ed25519Signer::New(
                                    crypto::SecretData(std::string(32, 'x'))));
  ASSERT_OK(db_->Write([&](store::WriteTxn& txn) -> absl::Status {
    RETURN_IF_ERROR(txn.Execute("DROP TRIGGER audit_signing_keys_no_update"));
    ASSIGN_OR_RETURN(store::Statement s,
                     txn.Prepare("UPDATE audit_signing_keys SET public_key = "
                                 "?1 WHERE generation = 1"));
    RETURN_IF_ERROR(s.BindBlob(1, ed->PublicKey()));
    return s.Run();
  }));
  EXPECT_THAT(OpenCheckpointer(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("stored audit signing key 1 is not")));
}

TEST_F(CheckpointerTest, RefusesALogWhoseCheckpointsWereDeleted) {
  ASSERT_NO_FATAL_FAILURE(Append(3));
  { ASSERT_OK(OpenCheckpointer().status()); }
  ASSERT_OK(db_->Write([&](store::WriteTxn& txn) -> absl::Status {
    RETURN_IF_ERROR(txn.Execute("DROP TRIGGER audit_checkpoints_no_delete"));
    return txn.Execute("DELETE FROM audit_checkpoints");
  }));
  EXPECT_THAT(OpenCheckpointer(), StatusIs(absl::StatusCode::kDataLoss,
                                           HasSubstr("no checkpoint is")));
}

TEST_F(CheckpointerTest, RotationSignsATransitionCheckpointWithBothKeys) {
  ASSERT_NO_FATAL_FAILURE(Append(3));
  std::string old_vkey;
  {
    ASSERT_OK_AND_ASSIGN(auto cp, OpenCheckpointer());
    old_vkey = cp->keys()[0].verifier_key;
  }
  ASSERT_OK_AND_ASSIGN(
      SignedCheckpoint transition,
      Checkpointer::RotateKey(db_.get(), &keys_, &clock_, kOrigin));
  EXPECT_EQ(transition.key_generation, 2u);
  ASSERT_OK_AND_ASSIGN(auto cp, OpenCheckpointer());
  ASSERT_EQ(cp->keys().size(), 2u);
  EXPECT_EQ(cp->keys()[0].verifier_key, old_vkey);
  for (const AuditKey& key : cp->keys()) {
    ASSERT_OK_AND_ASSIGN(
        auto v, crypto::NoteVerifier::FromVerifierKey(key.verifier_key));
    const crypto::NoteVerifier* known[] = {v.get()};
    EXPECT_OK(crypto::OpenCheckpoint(transition.note, known, kOrigin).status())
        << key.generation;
  }
  // New checkpoints are signed by the new key alone.
  ASSERT_NO_FATAL_FAILURE(Append(1));
  ASSERT_OK_AND_ASSIGN(SignedCheckpoint next, cp->RefreshNow());
  ASSERT_OK_AND_ASSIGN(auto old_v,
                       crypto::NoteVerifier::FromVerifierKey(old_vkey));
  const crypto::NoteVerifier* old_only[] = {old_v.get()};
  EXPECT_THAT(crypto::OpenCheckpoint(next.note, old_only, kOrigin),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

}  // namespace
}  // namespace resguardo::audit
