#include "crypto/merkle_tree.h"

#include <cctype>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/testing/status_matchers.h"
#include "crypto/testing/test_vectors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::crypto {
namespace {

using ::resguardo::crypto::testing::Base64ToBytes;
using ::resguardo::crypto::testing::HexToBytes;
using ::resguardo::crypto::testing::ListJsonFiles;
using ::resguardo::crypto::testing::ReadJson;
using ::resguardo::crypto::testing::VectorsDir;
using ::resguardo::testing::IsOk;
using ::resguardo::testing::StatusIs;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::Not;

// transparency-dev/merkle testdata copied into rfc6962/: 98 inclusion and 98
// consistency files (`find ... -name '*.json' | wc -l`).
MATCHER_P(IsOkAndHolds, value_matcher, "is OK and holds a matching value") {
  if (!arg.ok()) {
    *result_listener << "status is " << arg.status();
    return false;
  }
  return ::testing::ExplainMatchResult(value_matcher, *arg, result_listener);
}

constexpr size_t kInclusionFiles = 98;
constexpr size_t kConsistencyFiles = 98;

std::string Leaf(uint64_t i) { return HashLeaf(absl::StrCat("entry ", i)); }

// RFC 9162 §2.1.1 MTH, computed recursively from the leaves.
std::string NaiveRoot(const std::vector<std::string>& leaves, size_t begin,
                      size_t end) {
  const size_t n = end - begin;
  if (n == 0) return EmptyTreeRoot();
  if (n == 1) return leaves[begin];
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  return HashChildren(NaiveRoot(leaves, begin, begin + k),
                      NaiveRoot(leaves, begin + k, end));
}

// RFC 9162 §2.1.3.1 PATH(m, D[begin:end]).
std::vector<std::string> NaivePath(const std::vector<std::string>& leaves,
                                   size_t m, size_t begin, size_t end) {
  const size_t n = end - begin;
  if (n == 1) return {};
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  std::vector<std::string> out;
  if (m < k) {
    out = NaivePath(leaves, m, begin, begin + k);
    out.push_back(NaiveRoot(leaves, begin + k, end));
  } else {
    out = NaivePath(leaves, m - k, begin + k, end);
    out.push_back(NaiveRoot(leaves, begin, begin + k));
  }
  return out;
}

// RFC 9162 §2.1.4.1 SUBPROOF(m, D[begin:end], b).
std::vector<std::string> NaiveSubproof(const std::vector<std::string>& leaves,
                                       size_t m, size_t begin, size_t end,
                                       bool b) {
  const size_t n = end - begin;
  if (m == n) {
    if (b) return {};
    return {NaiveRoot(leaves, begin, end)};
  }
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  std::vector<std::string> out;
  if (m <= k) {
    out = NaiveSubproof(leaves, m, begin, begin + k, b);
    out.push_back(NaiveRoot(leaves, begin + k, end));
  } else {
    out = NaiveSubproof(leaves, m - k, begin + k, end, false);
    out.push_back(NaiveRoot(leaves, begin, begin + k));
  }
  return out;
}

std::vector<std::string> Proof(const nlohmann::json& j) {
  std::vector<std::string> out;
  if (j.is_null()) return out;
  for (const auto& p : j) out.push_back(Base64ToBytes(p.get<std::string>()));
  return out;
}

std::string TestName(const std::string& path, absl::string_view dir) {
  std::string name = path.substr(path.find(std::string(dir)) + dir.size() + 1);
  std::string out;
  for (char c : name) {
    out.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  }
  return out;
}

// ListJsonFiles() returns paths that already include VectorsDir(); absolute()
// keeps ReadJson() from prefixing it again when VectorsDir() is relative.
TEST(MerkleVectorFiles, AreAllFound) {
  EXPECT_EQ(ListJsonFiles("rfc6962/inclusion").size(), kInclusionFiles)
      << "in " << VectorsDir();
  EXPECT_EQ(ListJsonFiles("rfc6962/consistency").size(), kConsistencyFiles);
}

class InclusionVectorTest : public ::testing::TestWithParam<std::string> {};

TEST_P(InclusionVectorTest, HonoursWantErr) {
  ASSERT_OK_AND_ASSIGN(
      nlohmann::json j,
      ReadJson(std::filesystem::absolute(GetParam()).string()));
  SCOPED_TRACE(j["desc"].get<std::string>());
  absl::Status status = VerifyInclusion(
      Base64ToBytes(j["leafHash"].get<std::string>()),
      j["leafIdx"].get<uint64_t>(), j["treeSize"].get<uint64_t>(),
      Proof(j["proof"]), Base64ToBytes(j["root"].get<std::string>()));
  if (j["wantErr"].get<bool>()) {
    EXPECT_THAT(status, Not(IsOk()));
    EXPECT_TRUE(status.code() == absl::StatusCode::kInvalidArgument ||
                status.code() == absl::StatusCode::kUnauthenticated)
        << status;
  } else {
    EXPECT_OK(status);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Rfc6962, InclusionVectorTest,
    ::testing::ValuesIn(ListJsonFiles("rfc6962/inclusion")),
    [](const ::testing::TestParamInfo<std::string>& info) {
      return TestName(info.param, "inclusion");
    });

class ConsistencyVectorTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ConsistencyVectorTest, HonoursWantErr) {
  ASSERT_OK_AND_ASSIGN(
      nlohmann::json j,
      ReadJson(std::filesystem::absolute(GetParam()).string()));
  SCOPED_TRACE(j["desc"].get<std::string>());
  absl::Status status = VerifyConsistency(
      j["size1"].get<uint64_t>(), j["size2"].get<uint64_t>(), Proof(j["proof"]),
      Base64ToBytes(j["root1"].get<std::string>()),
      Base64ToBytes(j["root2"].get<std::string>()));
  if (j["wantErr"].get<bool>()) {
    EXPECT_THAT(status, Not(IsOk()));
    EXPECT_TRUE(status.code() == absl::StatusCode::kInvalidArgument ||
                status.code() == absl::StatusCode::kUnauthenticated)
        << status;
  } else {
    EXPECT_OK(status);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Rfc6962, ConsistencyVectorTest,
    ::testing::ValuesIn(ListJsonFiles("rfc6962/consistency")),
    [](const ::testing::TestParamInfo<std::string>& info) {
      return TestName(info.param, "consistency");
    });

TEST(MerkleHash, FollowsRfc9162Prefixes) {
  // SHA-256("") and SHA-256(0x00): the empty tree and the empty leaf.
  EXPECT_EQ(EmptyTreeRoot(),
            HexToBytes("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca4959"
                       "91b7852b855"));
  EXPECT_EQ(HashLeaf(""),
            HexToBytes("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a"
                       "30617afa01d"));
  // SHA-256(0x01 ‖ 32 zero bytes ‖ 32 zero bytes) differs from the leaf of
  // the same 64 bytes (no second-preimage between leaves and nodes).
  const std::string zero(32, '\0');
  EXPECT_NE(HashChildren(zero, zero), HashLeaf(zero + zero));
}

TEST(MerkleTree, RootMatchesNaiveComputationForEverySizeUpTo130) {
  MerkleTree tree;
  std::vector<std::string> leaves;
  EXPECT_EQ(tree.Root(), EmptyTreeRoot());
  for (uint64_t i = 0; i < 130; ++i) {
    leaves.push_back(Leaf(i));
    ASSERT_OK(tree.Append(leaves.back()));
    ASSERT_EQ(tree.size(), i + 1);
    ASSERT_EQ(tree.Root(), NaiveRoot(leaves, 0, leaves.size()))
        << "size " << i + 1;
  }
  for (uint64_t size = 0; size <= 130; ++size) {
    ASSERT_OK_AND_ASSIGN(std::string root, tree.RootAt(size));
    EXPECT_EQ(root, NaiveRoot(leaves, 0, size)) << "size " << size;
  }
}

TEST(MerkleTree, RootAtOldSizeEqualsTheRootAtThatTime) {
  MerkleTree tree;
  std::vector<std::string> roots = {tree.Root()};
  for (uint64_t i = 0; i < 100; ++i) {
    ASSERT_OK(tree.Append(Leaf(i)));
    roots.push_back(tree.Root());
  }
  for (uint64_t size = 0; size <= 100; ++size) {
    EXPECT_THAT(tree.RootAt(size), IsOkAndHolds(roots[size]))
        << "size " << size;
  }
}

class MerkleProofs : public ::testing::Test {
 protected:
  static constexpr uint64_t kLeaves = 70;
  void SetUp() override {
    for (uint64_t i = 0; i < kLeaves; ++i) {
      leaves_.push_back(Leaf(i));
      ASSERT_OK(tree_.Append(leaves_.back()));
    }
  }
  std::vector<std::string> leaves_;
  MerkleTree tree_;
};

// The proof with one hash dropped, and with one bit flipped in one hash: every
// bit of every hash for small trees (`all_bits`), else every 13th bit (13 is
// prime to 8, so every bit position within a byte and bytes all along the
// hash are hit) to keep the test fast under sanitizers.
std::vector<std::vector<std::string>> Mutations(
    const std::vector<std::string>& proof, bool all_bits) {
  std::vector<std::vector<std::string>> out;
  const size_t stride = all_bits ? 1 : 13;
  for (size_t i = 0; i < proof.size(); ++i) {
    for (size_t bit = 0; bit < 8 * kMerkleHashSize; bit += stride) {
      auto p = proof;
      p[i][bit / 8] ^= static_cast<char>(1 << (bit % 8));
      out.push_back(p);
    }
    auto dropped = proof;
    dropped.erase(dropped.begin() + i);
    out.push_back(dropped);
  }
  return out;
}

TEST_F(MerkleProofs, EveryInclusionProofMatchesRfcAndVerifies) {
  for (uint64_t size = 1; size <= kLeaves; ++size) {
    const std::string root = NaiveRoot(leaves_, 0, size);
    for (uint64_t index = 0; index < size; ++index) {
      SCOPED_TRACE(absl::StrCat("index ", index, " size ", size));
      ASSERT_OK_AND_ASSIGN(auto proof, tree_.InclusionProof(index, size));
      ASSERT_THAT(proof, ElementsAreArray(NaivePath(leaves_, index, 0, size)));
      ASSERT_EQ(proof.size(), InclusionProofSize(index, size));
      ASSERT_OK(VerifyInclusion(leaves_[index], index, size, proof, root));
      EXPECT_THAT(RootFromInclusionProof(leaves_[index], index, size, proof),
                  IsOkAndHolds(root));
      for (const auto& bad : Mutations(proof, size <= 16)) {
        ASSERT_THAT(VerifyInclusion(leaves_[index], index, size, bad, root),
                    Not(IsOk()));
      }
      // Another leaf, or the right leaf at another index, is refused.
      const uint64_t other = (index + 1) % size;
      if (other != index) {
        ASSERT_THAT(VerifyInclusion(leaves_[other], index, size, proof, root),
                    StatusIs(absl::StatusCode::kUnauthenticated));
      }
    }
  }
}

TEST_F(MerkleProofs, EveryConsistencyProofMatchesRfcAndVerifies) {
  for (uint64_t size2 = 1; size2 <= kLeaves; ++size2) {
    const std::string root2 = NaiveRoot(leaves_, 0, size2);
    for (uint64_t size1 = 1; size1 <= size2; ++size1) {
      SCOPED_TRACE(absl::StrCat("size1 ", size1, " size2 ", size2));
      const std::string root1 = NaiveRoot(leaves_, 0, size1);
      ASSERT_OK_AND_ASSIGN(auto proof, tree_.ConsistencyProof(size1, size2));
      ASSERT_THAT(proof, ElementsAreArray(
                             NaiveSubproof(leaves_, size1, 0, size2, true)));
      ASSERT_EQ(proof.size(), ConsistencyProofSize(size1, size2));
      ASSERT_OK(VerifyConsistency(size1, size2, proof, root1, root2));
      for (const auto& bad : Mutations(proof, size2 <= 16)) {
        ASSERT_THAT(VerifyConsistency(size1, size2, bad, root1, root2),
                    Not(IsOk()));
      }
      if (size1 < size2) {
        // A proof for a forked history: root1 of a tree with another leaf.
        std::vector<std::string> forked(leaves_.begin(),
                                        leaves_.begin() + size1);
        forked[0] = Leaf(1000);
        ASSERT_THAT(VerifyConsistency(size1, size2, proof,
                                      NaiveRoot(forked, 0, size1), root2),
                    StatusIs(absl::StatusCode::kUnauthenticated,
                             HasSubstr("does not lead to root")));
      }
    }
  }
}

TEST(VerifyInclusion, RefusesMalformedInputWithClearMessages) {
  const std::string h = Leaf(0);
  EXPECT_THAT(VerifyInclusion(h, 0, 0, {}, h),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("leaf index 0 is not below the tree size 0")));
  EXPECT_THAT(VerifyInclusion(h, 5, 5, {}, h),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not below the tree size")));
  EXPECT_THAT(VerifyInclusion(h, 0, 2, {}, h),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("inclusion proof has 0 hashes; leaf 0 of a "
                                 "tree of 2 needs 1")));
  EXPECT_THAT(
      VerifyInclusion(h, 0, 2, {h, h}, h),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("has 2 hashes")));
  EXPECT_THAT(VerifyInclusion(h, 0, 2, {"short"}, h),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("inclusion proof hash 0 must be 32 bytes")));
  EXPECT_THAT(VerifyInclusion("short", 0, 1, {}, h),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("leaf hash must be 32 bytes, got 5")));
  EXPECT_THAT(VerifyInclusion(h, 0, 1, {}, ""),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("root hash must be 32 bytes, got 0")));
  EXPECT_THAT(VerifyInclusion(h, 0, 1, {}, Leaf(1)),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("does not lead to the given root")));
  EXPECT_OK(VerifyInclusion(h, 0, 1, {}, h));
}

TEST(VerifyConsistency, RefusesMalformedInputWithClearMessages) {
  const std::string h = Leaf(0);
  EXPECT_THAT(VerifyConsistency(3, 2, {}, h, h),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("size1 3 is larger than size2 2")));
  EXPECT_THAT(VerifyConsistency(2, 2, {h}, h, h),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("between equal sizes must be empty")));
  EXPECT_THAT(VerifyConsistency(2, 2, {}, h, Leaf(1)),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("different roots")));
  EXPECT_OK(VerifyConsistency(2, 2, {}, h, h));
  EXPECT_OK(VerifyConsistency(0, 0, {}, EmptyTreeRoot(), EmptyTreeRoot()));
  EXPECT_THAT(
      VerifyConsistency(0, 0, {}, h, h),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("empty tree")));
  EXPECT_THAT(VerifyConsistency(0, 1, {}, EmptyTreeRoot(), h),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("from the empty tree proves nothing")));
  EXPECT_THAT(VerifyConsistency(1, 2, {}, h, h),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("consistency proof has 0 hashes; from 1 to 2 "
                                 "leaves needs 1")));
  EXPECT_THAT(VerifyConsistency(1, 2, {"x"}, h, h),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("consistency proof hash 0 must be 32 bytes")));
  EXPECT_THAT(VerifyConsistency(1, 2, {h}, "x", h),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("root1 must be 32 bytes, got 1")));
  EXPECT_THAT(VerifyConsistency(1, 2, {h}, h, "xy"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("root2 must be 32 bytes, got 2")));
}

TEST(MerkleTree, RefusesSizesBeyondTheTreeAndBadIndices) {
  MerkleTree tree;
  for (uint64_t i = 0; i < 5; ++i) ASSERT_OK(tree.Append(Leaf(i)));
  EXPECT_THAT(tree.RootAt(6), StatusIs(absl::StatusCode::kOutOfRange,
                                       HasSubstr("tree size 6 is beyond")));
  EXPECT_THAT(tree.InclusionProof(0, 6),
              StatusIs(absl::StatusCode::kOutOfRange));
  EXPECT_THAT(tree.InclusionProof(5, 5),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("leaf index 5 is not below the tree size 5")));
  EXPECT_THAT(tree.ConsistencyProof(1, 6),
              StatusIs(absl::StatusCode::kOutOfRange));
  EXPECT_THAT(tree.ConsistencyProof(4, 3),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("size1 4 is larger than size2 3")));
  EXPECT_THAT(
      tree.ConsistencyProof(0, 3),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty tree")));
  EXPECT_THAT(tree.ConsistencyProof(3, 3), IsOkAndHolds(::testing::IsEmpty()));
  EXPECT_THAT(tree.Append("short"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("leaf hash must be 32 bytes, got 5")));
  EXPECT_EQ(tree.size(), 5u);
}

TEST(RangeNodes, CoversTheRangeWithAlignedPerfectSubtrees) {
  EXPECT_TRUE(RangeNodes(0, 0).empty());
  EXPECT_THAT(RangeNodes(0, 13),
              ElementsAreArray({NodeId{3, 0}, NodeId{2, 2}, NodeId{0, 12}}));
  EXPECT_THAT(RangeNodes(4, 7), ElementsAreArray({NodeId{1, 2}, NodeId{0, 6}}));
  for (uint64_t begin = 0; begin < 40; ++begin) {
    for (uint64_t end = begin; end < 80; ++end) {
      uint64_t next = begin;
      for (const NodeId& id : RangeNodes(begin, end)) {
        ASSERT_EQ(id.begin(), next);
        next = id.end();
      }
      ASSERT_EQ(next, end);
    }
  }
}

TEST(CompactRange, ReportsEveryCompleteNodeOnceAndRestores) {
  CompactRange range;
  std::vector<std::string> leaves;
  std::vector<NodeId> reported;
  for (uint64_t i = 0; i < 37; ++i) {
    leaves.push_back(Leaf(i));
    ASSERT_OK(
        range.Append(leaves.back(), [&](NodeId id, absl::string_view hash) {
          reported.push_back(id);
          EXPECT_EQ(std::string(hash), NaiveRoot(leaves, id.begin(), id.end()));
        }));
  }
  // A tree of n leaves has one complete node per leaf at level 0, n/2 at
  // level 1, ...: 37 + 18 + 9 + 4 + 2 + 1.
  EXPECT_EQ(reported.size(), 71u);
  EXPECT_EQ(range.Root(), NaiveRoot(leaves, 0, 37));
  ASSERT_EQ(range.Hashes().size(), 3u);  // 37 = 32 + 4 + 1.

  ASSERT_OK_AND_ASSIGN(CompactRange restored,
                       CompactRange::FromHashes(37, range.Hashes()));
  leaves.push_back(Leaf(37));
  ASSERT_OK(restored.Append(leaves.back()));
  EXPECT_EQ(restored.Root(), NaiveRoot(leaves, 0, 38));

  EXPECT_THAT(CompactRange::FromHashes(37, {Leaf(0)}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("size 37 has 3 hashes, got 1")));
  EXPECT_THAT(CompactRange::FromHashes(1, {"short"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("must be 32 bytes")));
}

// A NodeReader standing in for the store: only complete nodes, counted reads.
class CountingReader : public NodeReader {
 public:
  explicit CountingReader(const MerkleTree* tree) : tree_(tree) {}
  absl::StatusOr<std::vector<std::string>> ReadNodes(
      absl::Span<const NodeId> ids) const override {
    ++calls_;
    nodes_ += ids.size();
    return tree_->ReadNodes(ids);
  }
  mutable int calls_ = 0;
  mutable size_t nodes_ = 0;

 private:
  const MerkleTree* tree_;
};

TEST(NodeReader, ProofsNeedOneBatchedReadOfLogarithmicSize) {
  MerkleTree tree;
  for (uint64_t i = 0; i < 1000; ++i) ASSERT_OK(tree.Append(Leaf(i)));
  CountingReader reader(&tree);
  ASSERT_OK_AND_ASSIGN(auto proof, InclusionProofFromNodes(517, 999, reader));
  EXPECT_EQ(reader.calls_, 1);
  EXPECT_LE(reader.nodes_, 2u * 10u);
  ASSERT_OK_AND_ASSIGN(std::string root, RootFromNodes(999, reader));
  EXPECT_OK(VerifyInclusion(Leaf(517), 517, 999, proof, root));
  ASSERT_OK_AND_ASSIGN(auto cproof,
                       ConsistencyProofFromNodes(333, 999, reader));
  ASSERT_OK_AND_ASSIGN(std::string root1, RootFromNodes(333, reader));
  EXPECT_OK(VerifyConsistency(333, 999, cproof, root1, root));
}

TEST(NodeReader, ErrorsOfTheReaderAreReturnedUnchanged) {
  class FailingReader : public NodeReader {
   public:
    absl::StatusOr<std::vector<std::string>> ReadNodes(
        absl::Span<const NodeId>) const override {
      return absl::DataLossError("node table damaged");
    }
  };
  EXPECT_THAT(InclusionProofFromNodes(0, 4, FailingReader()),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("damaged")));
  MerkleTree tree;
  ASSERT_OK(tree.Append(Leaf(0)));
  EXPECT_THAT(tree.ReadNodes({NodeId{1, 0}}),
              StatusIs(absl::StatusCode::kInternal,
                       HasSubstr("node (1, 0) is not complete")));
}

// A million appends (the rate is bench/crypto_bench's BM_MerkleAppend: tests
// check behaviour, not timings).
TEST(MerkleTree, AMillionAppendsKeepEveryLeaf) {
  constexpr uint64_t kAppends = 1 << 20;
  const std::string leaf = Leaf(0);
  MerkleTree tree;
  for (uint64_t i = 0; i < kAppends; ++i) ASSERT_OK(tree.Append(leaf));
  EXPECT_EQ(tree.size(), kAppends);
}

}  // namespace
}  // namespace resguardo::crypto
