#include "audit_bundle/bundle_verifier.h"

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/testing/status_matchers.h"
#include "crypto/checkpoint.h"
#include "crypto/ed25519.h"
#include "crypto/merkle_tree.h"
#include "crypto/signed_note.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resguardo/v1/audit.pb.h"
#include "services/store/testing/temp_dir.h"

namespace resguardo::audit {
namespace {

using ::resguardo::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr char kOrigin[] = "resguardo.test/audit";

std::unique_ptr<crypto::NoteSigner> Signer(char seed) {
  auto ed =
      crypto::Ed25519Signer::New(crypto::SecretData(std::string(32, seed)));
  EXPECT_TRUE(ed.ok());
  auto s = crypto::NoteSigner::New(kOrigin, *std::move(ed));
  EXPECT_TRUE(s.ok());
  return *std::move(s);
}

std::string EntryBytes(uint64_t index) {
  v1::AuditEntry e;
  e.set_index(index);
  e.mutable_time()->set_seconds(1767225600 + index);
  e.set_actor("institutions/IEEPCO/users/ana");
  e.set_institution("IEEPCO");
  e.set_method("/resguardo.v1.CaseService/GetCase");
  e.set_request_id(absl::StrCat("req-", index));
  return e.SerializeAsString();
}

class BundleVerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    signer_ = Signer('s');
    for (uint64_t i = 0; i < 20; ++i) entries_.push_back(EntryBytes(i));
  }

  // Checkpoints at `sizes` of the (untampered) entries.
  void Sign(const std::vector<uint64_t>& sizes,
            std::vector<const crypto::NoteSigner*> signers = {},
            std::vector<std::string> extensions = {}) {
    if (signers.empty()) signers = {signer_.get()};
    for (uint64_t size : sizes) {
      crypto::MerkleTree tree;
      for (uint64_t i = 0; i < size; ++i) {
        ASSERT_OK(tree.Append(crypto::HashLeaf(entries_[i])));
      }
      crypto::Checkpoint cp{kOrigin, size, tree.Root(), extensions};
      ASSERT_OK_AND_ASSIGN(std::string note,
                           crypto::SignCheckpoint(cp, signers));
      v1::SignedCheckpoint s;
      s.set_seq(checkpoints_.size());
      s.set_tree_size(size);
      s.set_note(note);
      checkpoints_.push_back(s);
    }
  }

  // A transition checkpoint at `size`, signed by the current key and `next`,
  // that introduces `next`.
  void SignTransition(uint64_t size, const crypto::NoteSigner& next) {
    Sign({size}, {signer_.get(), &next},
         {absl::StrCat("resguardo-key-rotation ", next.VerifierKey())});
  }

  std::string Write(const std::vector<std::string>& entries) {
    const std::string path = dir_.File(absl::StrCat("b", n_++, ".bundle"));
    auto w = BundleWriter::Create(path);
    EXPECT_TRUE(w.ok());
    v1::AuditBundleHeader header;
    header.set_origin(kOrigin);
    header.set_tree_size(entries_.size());
    EXPECT_OK((*w)->WriteHeader(header));
    for (const auto& cp : checkpoints_) EXPECT_OK((*w)->WriteCheckpoint(cp));
    for (const auto& e : entries) EXPECT_OK((*w)->WriteEntry(e));
    EXPECT_OK((*w)->Close());
    return path;
  }

  BundleVerdict Verify(const std::string& path) {
    return VerifyBundle(path, {signer_->VerifierKey()});
  }

  store::testing::TempDir dir_;
  int n_ = 0;
  std::unique_ptr<crypto::NoteSigner> signer_;
  std::vector<std::string> entries_;
  std::vector<v1::SignedCheckpoint> checkpoints_;
};

TEST_F(BundleVerifierTest, AGenuineBundleVerifies) {
  Sign({0, 5, 12, 20});
  uint64_t last_done = 0;
  BundleVerdict v =
      VerifyBundle(Write(entries_), {signer_->VerifierKey()},
                   [&](uint64_t done, uint64_t) { last_done = done; });
  EXPECT_OK(v.status);
  EXPECT_EQ(v.entries, 20u);
  EXPECT_EQ(v.checkpoints, 4u);
  EXPECT_EQ(v.verified_size, 20u);
  EXPECT_EQ(last_done, 20u);
}

TEST_F(BundleVerifierTest, OneByteChangedInAnyEntryNamesItsIndex) {
  // A checkpoint at every size: the first bad index is exact.
  std::vector<uint64_t> sizes;
  for (uint64_t s = 1; s <= 20; ++s) sizes.push_back(s);
  Sign(sizes);
  for (uint64_t i = 0; i < entries_.size(); ++i) {
    for (size_t at :
         {size_t{0}, entries_[i].size() / 2, entries_[i].size() - 1}) {
      std::vector<std::string> tampered = entries_;
      tampered[i][at] ^= 0x01;
      BundleVerdict v = Verify(Write(tampered));
      EXPECT_THAT(v.status,
                  StatusIs(absl::StatusCode::kDataLoss,
                           HasSubstr(absl::StrCat("first bad index ", i))))
          << "entry " << i << " byte " << at;
      ASSERT_TRUE(v.first_bad_index.has_value());
      EXPECT_EQ(*v.first_bad_index, i);
    }
  }
}

TEST_F(BundleVerifierTest,
       AWellFormedEditBetweenSparseCheckpointsNamesTheRange) {
  Sign({5, 12, 20});
  std::vector<std::string> tampered = entries_;
  v1::AuditEntry e;
  ASSERT_TRUE(e.ParseFromString(tampered[7]));
  e.set_actor("institutions/IEEPCO/users/eva");
  tampered[7] = e.SerializeAsString();
  BundleVerdict v = Verify(Write(tampered));
  EXPECT_THAT(v.status, StatusIs(absl::StatusCode::kDataLoss,
                                 HasSubstr("first bad index in [5, 12)")));
  EXPECT_EQ(*v.first_bad_index, 5u);
  EXPECT_EQ(v.bad_index_end, 12u);
  // The message never carries the entry's content.
  EXPECT_THAT(std::string(v.status.message()),
              ::testing::Not(HasSubstr("eva")));
}

TEST_F(BundleVerifierTest, AHugeLengthPrefixIsRefusedWithoutReadingOn) {
  Sign({20});
  // A record claiming 64 MiB (0x80 0x80 0x80 0x20), followed by 3 bytes.
  const std::string path = Write(entries_);
  {
    std::ofstream out(path, std::ios::binary | std::ios::app);
    out << std::string("\x80\x80\x80\x20", 4) << "abc";
  }
  EXPECT_THAT(Verify(path).status, StatusIs(absl::StatusCode::kInvalidArgument,
                                            HasSubstr("truncated record")));
  // A length of 2^63 - 1.
  const std::string over = Write(entries_);
  {
    std::ofstream out(over, std::ios::binary | std::ios::app);
    out << std::string(8, '\xff') << '\x7f';
  }
  EXPECT_THAT(Verify(over).status, StatusIs(absl::StatusCode::kInvalidArgument,
                                            HasSubstr("larger than 64 MiB")));
}

TEST_F(BundleVerifierTest, ARepeatedCheckpointIsRefused) {
  Sign({5, 20});
  checkpoints_.push_back(checkpoints_.back());
  EXPECT_THAT(Verify(Write(entries_)).status,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("out of order or repeated")));
}

TEST_F(BundleVerifierTest, ARecordWithTwoFieldsOrAnUnknownOneIsRefused) {
  Sign({20});
  const std::string& e0 = entries_[0];
  ASSERT_LT(e0.size(), 100u);
  for (const std::string& extra :
       {std::string("\x1a\x01x", 3),    // a second entry field
        std::string("\x20\x01", 2)}) {  // field 4: not in the format
    const std::string record = absl::StrCat(
        "\x1a", std::string(1, static_cast<char>(e0.size())), e0, extra);
    const std::string path = Write({});
    {
      std::ofstream out(path, std::ios::binary | std::ios::app);
      out << static_cast<char>(record.size()) << record;
    }
    EXPECT_THAT(Verify(path).status,
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("not one header, checkpoint or entry")));
  }
}

TEST_F(BundleVerifierTest, ARotationToAKeyOfAnotherNameIsRefused) {
  Sign({5});
  ASSERT_OK_AND_ASSIGN(auto ed, crypto::Ed25519Signer::New(
                                    crypto::SecretData(std::string(32, 'o'))));
  ASSERT_OK_AND_ASSIGN(auto other, crypto::NoteSigner::New(
                                       "other.example/audit", std::move(ed)));
  Sign({20}, {},
       {absl::StrCat("resguardo-key-rotation ", other->VerifierKey())});
  BundleVerdict v = Verify(Write(entries_));
  EXPECT_THAT(v.status, StatusIs(absl::StatusCode::kDataLoss,
                                 HasSubstr("introduces a malformed key")));
  ASSERT_TRUE(v.bad_checkpoint.has_value());
  EXPECT_EQ(*v.bad_checkpoint, 1u);
}

TEST_F(BundleVerifierTest, ARemovedEntryIsNamed) {
  Sign({20});
  std::vector<std::string> tampered = entries_;
  tampered.erase(tampered.begin() + 9);
  EXPECT_THAT(
      Verify(Write(tampered)).status,
      StatusIs(absl::StatusCode::kDataLoss, HasSubstr("first bad index 9")));
}

TEST_F(BundleVerifierTest, SwappedEntriesAreNamed) {
  Sign({20});
  std::vector<std::string> tampered = entries_;
  std::swap(tampered[14], tampered[15]);
  EXPECT_THAT(
      Verify(Write(tampered)).status,
      StatusIs(absl::StatusCode::kDataLoss, HasSubstr("first bad index 14")));
}

TEST_F(BundleVerifierTest, AnInsertedEntryIsNamed) {
  Sign({20});
  std::vector<std::string> tampered = entries_;
  tampered.insert(tampered.begin() + 3, EntryBytes(3));
  EXPECT_THAT(
      Verify(Write(tampered)).status,
      StatusIs(absl::StatusCode::kDataLoss, HasSubstr("first bad index 4")));
}

TEST_F(BundleVerifierTest, AnEntryMissingAtTheEndIsNamed) {
  Sign({10});
  std::vector<std::string> tampered = entries_;
  tampered.pop_back();
  EXPECT_THAT(
      Verify(Write(tampered)).status,
      StatusIs(absl::StatusCode::kDataLoss, HasSubstr("first bad index 19")));
}

TEST_F(BundleVerifierTest, AForgedCheckpointIsNamed) {
  Sign({5, 20});
  // Forged: a checkpoint of other entries, signed by another key with the
  // node's name.
  auto forger = Signer('f');
  crypto::Checkpoint cp{kOrigin, 20, std::string(32, 'x'), {}};
  const crypto::NoteSigner* signers[] = {forger.get()};
  ASSERT_OK_AND_ASSIGN(std::string note, crypto::SignCheckpoint(cp, signers));
  checkpoints_[1].set_note(note);
  BundleVerdict v = Verify(Write(entries_));
  EXPECT_THAT(v.status, StatusIs(absl::StatusCode::kUnauthenticated,
                                 HasSubstr("checkpoint 1 (size 20)")));
  EXPECT_EQ(*v.bad_checkpoint, 1u);
}

TEST_F(BundleVerifierTest, AnEditedCheckpointNoteIsNamed) {
  Sign({5, 20});
  std::string note = checkpoints_[0].note();
  note[note.find('\n') + 1] = '6';  // the size line
  checkpoints_[0].set_note(note);
  EXPECT_THAT(
      Verify(Write(entries_)).status,
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("checkpoint 0")));
}

TEST_F(BundleVerifierTest, ARotationExtensionIntroducesTheNewKey) {
  auto next = Signer('n');
  Sign({5});
  SignTransition(10, *next);
  Sign({20}, {next.get()});
  BundleVerdict v = Verify(Write(entries_));
  EXPECT_OK(v.status);
  EXPECT_EQ(v.trusted_keys.size(), 2u);
  // Without the transition, the new key's checkpoint is not trusted.
  checkpoints_.erase(checkpoints_.begin() + 1);
  EXPECT_THAT(Verify(Write(entries_)).status,
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST_F(BundleVerifierTest, ACheckpointSignedOnlyByTheRetiredKeyIsRefused) {
  auto next = Signer('n');
  Sign({5});
  SignTransition(10, *next);
  Sign({15}, {next.get()});
  // Whoever still holds the old key signs a later checkpoint alone.
  Sign({20});
  BundleVerdict v = Verify(Write(entries_));
  EXPECT_THAT(v.status,
              StatusIs(absl::StatusCode::kUnauthenticated,
                       AllOf(HasSubstr("checkpoint 3 (size 20)"),
                             HasSubstr("not signed by the audit key that "
                                       "checkpoint 1 introduced"))));
  ASSERT_TRUE(v.bad_checkpoint.has_value());
  EXPECT_EQ(*v.bad_checkpoint, 3u);
  // Also when the verifier is given both keys up front.
  v = VerifyBundle(Write(entries_),
                   {signer_->VerifierKey(), next->VerifierKey()});
  EXPECT_THAT(v.status, StatusIs(absl::StatusCode::kUnauthenticated,
                                 HasSubstr("checkpoint 3 (size 20)")));
}

TEST_F(BundleVerifierTest, ATransitionTheNewKeyDidNotSignIsRefused) {
  auto next = Signer('n');
  Sign({5});
  // The rotation line, signed by the old key alone.
  Sign({10}, {},
       {absl::StrCat("resguardo-key-rotation ", next->VerifierKey())});
  Sign({20}, {next.get()});
  BundleVerdict v = Verify(Write(entries_));
  EXPECT_THAT(
      v.status,
      StatusIs(absl::StatusCode::kUnauthenticated,
               AllOf(HasSubstr("the transition checkpoint 1 (size 10)"),
                     HasSubstr("not signed by the key it introduces"))));
  ASSERT_TRUE(v.bad_checkpoint.has_value());
  EXPECT_EQ(*v.bad_checkpoint, 1u);
}

TEST_F(BundleVerifierTest, ATransitionWithABadSignatureByTheNewKeyIsRefused) {
  auto next = Signer('n');
  Sign({5});
  SignTransition(10, *next);
  Sign({20}, {next.get()});
  // Replace the new key's signature by the one of the next checkpoint (same
  // key id, another text).
  auto last_line = [](const std::string& note) {
    const size_t end = note.size() - 1;  // the final newline
    return note.substr(note.rfind('\n', end - 1) + 1);
  };
  std::string transition = checkpoints_[1].note();
  transition.replace(transition.rfind('\n', transition.size() - 2) + 1,
                     std::string::npos, last_line(checkpoints_[2].note()));
  checkpoints_[1].set_note(transition);
  EXPECT_THAT(Verify(Write(entries_)).status,
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("not signed by the key it introduces")));
}

TEST_F(BundleVerifierTest, ACheckpointIntroducingTwoKeysIsRefused) {
  auto next = Signer('n');
  auto other = Signer('o');
  Sign({5});
  const crypto::NoteSigner* all[] = {signer_.get(), next.get(), other.get()};
  Sign({10}, {all[0], all[1], all[2]},
       {absl::StrCat("resguardo-key-rotation ", next->VerifierKey()),
        absl::StrCat("resguardo-key-rotation ", other->VerifierKey())});
  EXPECT_THAT(Verify(Write(entries_)).status,
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("introduces more than one key")));
}

TEST_F(BundleVerifierTest, NotABundleIsInvalidArgument) {
  const std::string path = dir_.File("junk");
  {
    std::ofstream out(path);
    out << "hello";
  }
  EXPECT_THAT(Verify(path).status,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("magic")));
  EXPECT_THAT(Verify(dir_.File("absent")).status,
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace resguardo::audit
