#include "crypto/merkle_tree.h"

#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <utility>

#include "absl/numeric/bits.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "crypto/internal/openssl_util.h"
#include "crypto/secret_data.h"

namespace resguardo::crypto {
namespace {

using Hash = std::array<char, kMerkleHashSize>;

constexpr unsigned char kLeafPrefix = 0x00;
constexpr unsigned char kNodePrefix = 0x01;

[[noreturn]] void DieSha256Unavailable() {
  std::fputs("resguardo: OpenSSL SHA-256 is unavailable\n", stderr);
  std::abort();
}

// SHA-256 of prefix ‖ a ‖ b into `out` (32 bytes), through a per-thread
// context so that the tree's hot path neither fetches the algorithm nor
// allocates (about 4x faster than the SHA256() one-shot in OpenSSL 3.0).
void Sha256(unsigned char prefix, absl::string_view a, absl::string_view b,
            char* out) {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  thread_local internal::MdCtxPtr ctx(EVP_MD_CTX_new());
  unsigned int len = 0;
  if (md == nullptr || ctx == nullptr ||
      EVP_DigestInit_ex2(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), &prefix, 1) != 1 ||
      EVP_DigestUpdate(ctx.get(), a.data(), a.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), b.data(), b.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out),
                         &len) != 1 ||
      len != kMerkleHashSize) {
    DieSha256Unavailable();
  }
}

absl::string_view View(const Hash& h) {
  return absl::string_view(h.data(), h.size());
}

Hash Children(absl::string_view left, absl::string_view right) {
  Hash out;
  Sha256(kNodePrefix, left, right, out.data());
  return out;
}

Hash ToHash(absl::string_view s) {
  Hash h;
  std::memcpy(h.data(), s.data(), h.size());
  return h;
}

// Bits needed to write x (0 for 0).
int BitLength(uint64_t x) { return 64 - absl::countl_zero(x); }

absl::Status CheckHash(absl::string_view hash, absl::string_view what) {
  if (hash.size() != kMerkleHashSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " must be ", kMerkleHashSize, " bytes, got ", hash.size()));
  }
  return absl::OkStatus();
}

absl::Status CheckProofHashes(absl::Span<const std::string> proof,
                              absl::string_view kind) {
  for (size_t i = 0; i < proof.size(); ++i) {
    if (proof[i].size() != kMerkleHashSize) {
      return absl::InvalidArgumentError(
          absl::StrCat(kind, " proof hash ", i, " must be ", kMerkleHashSize,
                       " bytes, got ", proof[i].size()));
    }
  }
  return absl::OkStatus();
}

// A proof is a list of subtree roots, each over a leaf range [begin, end);
// each range is read as its RangeNodes() and folded right to left.
class ProofPlan {
 public:
  void AddRange(uint64_t begin, uint64_t end) {
    std::vector<NodeId> ids = RangeNodes(begin, end);
    groups_.push_back(ids.size());
    ids_.insert(ids_.end(), ids.begin(), ids.end());
  }

  absl::StatusOr<std::vector<std::string>> Run(const NodeReader& nodes) const {
    ASSIGN_OR_RETURN(std::vector<std::string> hashes, nodes.ReadNodes(ids_));
    if (hashes.size() != ids_.size()) {
      return absl::InternalError(absl::StrCat("node reader returned ",
                                              hashes.size(), " hashes for ",
                                              ids_.size(), " nodes"));
    }
    for (size_t i = 0; i < hashes.size(); ++i) {
      if (hashes[i].size() != kMerkleHashSize) {
        return absl::InternalError(absl::StrCat(
            "node reader returned a hash of ", hashes[i].size(),
            " bytes for node (", ids_[i].level, ", ", ids_[i].index, ")"));
      }
    }
    std::vector<std::string> out;
    out.reserve(groups_.size());
    size_t next = 0;
    for (size_t count : groups_) {
      // Every group has at least one node: ranges are never empty.
      std::string root = std::move(hashes[next + count - 1]);
      for (size_t i = count - 1; i-- > 0;) {
        root = HashChildren(hashes[next + i], root);
      }
      out.push_back(std::move(root));
      next += count;
    }
    return out;
  }

 private:
  std::vector<NodeId> ids_;
  std::vector<size_t> groups_;
};

// RFC 9162 §2.1.3.1 PATH(index, D[tree_size]) as leaf ranges; `shift` lifts
// the tree to nodes of 2^shift leaves (for consistency proofs) and `limit`
// caps ranges at the real tree size. REQUIRES: index < tree_size.
void AddInclusionRanges(uint64_t index, uint64_t tree_size, int shift,
                        uint64_t limit, ProofPlan* plan) {
  const int inner = BitLength(index ^ (tree_size - 1));
  auto add = [&](uint64_t begin, uint64_t end) {
    begin <<= shift;
    end = (end << shift) < limit ? (end << shift) : limit;
    plan->AddRange(begin, end);
  };
  for (int level = 0; level < inner; ++level) {
    const uint64_t sibling = (index >> level) ^ 1;
    const uint64_t begin = sibling << level;
    // Only the highest inner sibling, if on the right, can be cut short by
    // the tree's right border.
    uint64_t end = begin + (uint64_t{1} << level);
    if (end > tree_size) end = tree_size;
    add(begin, end);
  }
  for (int level = inner; level < 64 && (index >> level) != 0; ++level) {
    if (((index >> level) & 1) != 0) {
      const uint64_t sibling = (index >> level) ^ 1;
      add(sibling << level, (sibling + 1) << level);
    }
  }
}

}  // namespace

std::string HashLeaf(absl::string_view entry) {
  std::string out(kMerkleHashSize, '\0');
  Sha256(kLeafPrefix, entry, absl::string_view(), out.data());
  return out;
}

std::string HashChildren(absl::string_view left, absl::string_view right) {
  std::string out(kMerkleHashSize, '\0');
  Sha256(kNodePrefix, left, right, out.data());
  return out;
}

std::string EmptyTreeRoot() {
  static const char kEmpty[] =
      "\xe3\xb0\xc4\x42\x98\xfc\x1c\x14\x9a\xfb\xf4\xc8\x99\x6f\xb9\x24"
      "\x27\xae\x41\xe4\x64\x9b\x93\x4c\xa4\x95\x99\x1b\x78\x52\xb8\x55";
  return std::string(kEmpty, kMerkleHashSize);
}

size_t InclusionProofSize(uint64_t index, uint64_t tree_size) {
  const int inner = BitLength(index ^ (tree_size - 1));
  return inner + absl::popcount(inner < 64 ? index >> inner : 0);
}

size_t ConsistencyProofSize(uint64_t size1, uint64_t size2) {
  if (size1 == size2) return 0;
  const int level = absl::countr_zero(size1);
  const uint64_t index = (size1 - 1) >> level;
  const uint64_t shifted_size = ((size2 - 1) >> level) + 1;
  return (index != 0 ? 1 : 0) + InclusionProofSize(index, shifted_size);
}

absl::StatusOr<std::string> RootFromInclusionProof(
    absl::string_view leaf_hash, uint64_t index, uint64_t tree_size,
    absl::Span<const std::string> proof) {
  if (index >= tree_size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "leaf index ", index, " is not below the tree size ", tree_size));
  }
  RETURN_IF_ERROR(CheckHash(leaf_hash, "leaf hash"));
  const size_t want = InclusionProofSize(index, tree_size);
  if (proof.size() != want) {
    return absl::InvalidArgumentError(
        absl::StrCat("inclusion proof has ", proof.size(), " hashes; leaf ",
                     index, " of a tree of ", tree_size, " needs ", want));
  }
  RETURN_IF_ERROR(CheckProofHashes(proof, "inclusion"));

  // RFC 9162 §2.1.3.2.
  uint64_t fn = index;
  uint64_t sn = tree_size - 1;
  Hash r = ToHash(leaf_hash);
  for (const std::string& p : proof) {
    if (sn == 0) {
      return absl::InvalidArgumentError("inclusion proof is too long");
    }
    if ((fn & 1) != 0 || fn == sn) {
      r = Children(p, View(r));
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = Children(View(r), p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return absl::InvalidArgumentError("inclusion proof is too short");
  }
  return std::string(View(r));
}

absl::Status VerifyInclusion(absl::string_view leaf_hash, uint64_t index,
                             uint64_t tree_size,
                             absl::Span<const std::string> proof,
                             absl::string_view root) {
  RETURN_IF_ERROR(CheckHash(root, "root hash"));
  ASSIGN_OR_RETURN(std::string computed,
                   RootFromInclusionProof(leaf_hash, index, tree_size, proof));
  if (!ConstantTimeEquals(computed, root)) {
    return absl::UnauthenticatedError(
        absl::StrCat("inclusion proof for leaf ", index, " of a tree of ",
                     tree_size, " leaves does not lead to the given root"));
  }
  return absl::OkStatus();
}

absl::Status VerifyConsistency(uint64_t size1, uint64_t size2,
                               absl::Span<const std::string> proof,
                               absl::string_view root1,
                               absl::string_view root2) {
  if (size1 > size2) {
    return absl::InvalidArgumentError(
        absl::StrCat("size1 ", size1, " is larger than size2 ", size2,
                     ": a tree cannot shrink"));
  }
  if (size1 == size2) {
    if (!proof.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "consistency proof between equal sizes must be empty, got ",
          proof.size(), " hashes"));
    }
    if (size1 == 0) {
      RETURN_IF_ERROR(CheckHash(root1, "root1"));
      RETURN_IF_ERROR(CheckHash(root2, "root2"));
      if (!ConstantTimeEquals(root1, EmptyTreeRoot()) ||
          !ConstantTimeEquals(root2, EmptyTreeRoot())) {
        return absl::UnauthenticatedError(
            "the root of the empty tree must be SHA-256(\"\")");
      }
      return absl::OkStatus();
    }
    if (!ConstantTimeEquals(root1, root2)) {
      return absl::UnauthenticatedError(
          absl::StrCat("trees of equal size ", size1, " have different roots"));
    }
    return absl::OkStatus();
  }
  if (size1 == 0) {
    return absl::InvalidArgumentError(
        "consistency from the empty tree proves nothing (every tree extends "
        "it); check the new root alone");
  }
  RETURN_IF_ERROR(CheckHash(root1, "root1"));
  RETURN_IF_ERROR(CheckHash(root2, "root2"));
  const size_t want = ConsistencyProofSize(size1, size2);
  if (proof.size() != want) {
    return absl::InvalidArgumentError(
        absl::StrCat("consistency proof has ", proof.size(), " hashes; from ",
                     size1, " to ", size2, " leaves needs ", want));
  }
  RETURN_IF_ERROR(CheckProofHashes(proof, "consistency"));

  // RFC 9162 §2.1.4.2. When size1 is a power of two, root1 is the first node
  // of the path and is not sent.
  std::vector<absl::string_view> path;
  path.reserve(proof.size() + 1);
  if ((size1 & (size1 - 1)) == 0) path.push_back(root1);
  for (const std::string& p : proof) path.push_back(p);

  uint64_t fn = size1 - 1;
  uint64_t sn = size2 - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = ToHash(path[0]);
  Hash sr = fr;
  for (size_t i = 1; i < path.size(); ++i) {
    const absl::string_view c = path[i];
    if (sn == 0) {
      return absl::InvalidArgumentError("consistency proof is too long");
    }
    if ((fn & 1) != 0 || fn == sn) {
      fr = Children(c, View(fr));
      sr = Children(c, View(sr));
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = Children(View(sr), c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return absl::InvalidArgumentError("consistency proof is too short");
  }
  if (!ConstantTimeEquals(View(fr), root1)) {
    return absl::UnauthenticatedError(absl::StrCat(
        "consistency proof does not lead to root1 (size ", size1, ")"));
  }
  if (!ConstantTimeEquals(View(sr), root2)) {
    return absl::UnauthenticatedError(absl::StrCat(
        "consistency proof does not lead to root2 (size ", size2, ")"));
  }
  return absl::OkStatus();
}

std::vector<NodeId> RangeNodes(uint64_t begin, uint64_t end) {
  std::vector<NodeId> out;
  while (begin < end) {
    int level = BitLength(end - begin) - 1;
    if (begin != 0 && absl::countr_zero(begin) < level) {
      level = absl::countr_zero(begin);
    }
    out.push_back(NodeId{static_cast<uint32_t>(level), begin >> level});
    begin += uint64_t{1} << level;
  }
  return out;
}

absl::StatusOr<std::string> RootFromNodes(uint64_t tree_size,
                                          const NodeReader& nodes) {
  if (tree_size == 0) return EmptyTreeRoot();
  ProofPlan plan;
  plan.AddRange(0, tree_size);
  ASSIGN_OR_RETURN(std::vector<std::string> roots, plan.Run(nodes));
  return std::move(roots[0]);
}

absl::StatusOr<std::vector<std::string>> InclusionProofFromNodes(
    uint64_t index, uint64_t tree_size, const NodeReader& nodes) {
  if (index >= tree_size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "leaf index ", index, " is not below the tree size ", tree_size));
  }
  ProofPlan plan;
  AddInclusionRanges(index, tree_size, /*shift=*/0, /*limit=*/tree_size, &plan);
  return plan.Run(nodes);
}

absl::StatusOr<std::vector<std::string>> ConsistencyProofFromNodes(
    uint64_t size1, uint64_t size2, const NodeReader& nodes) {
  if (size1 > size2) {
    return absl::InvalidArgumentError(
        absl::StrCat("size1 ", size1, " is larger than size2 ", size2,
                     ": a tree cannot shrink"));
  }
  if (size1 == size2) return std::vector<std::string>();
  if (size1 == 0) {
    return absl::InvalidArgumentError(
        "consistency from the empty tree proves nothing (every tree extends "
        "it)");
  }
  // RFC 9162 §2.1.4.1, seen from the last node of size1's compact range: the
  // proof is that node (unless it is root1 itself) followed by its inclusion
  // path in the tree of size2, lifted to nodes of 2^level leaves.
  const int level = absl::countr_zero(size1);
  const uint64_t index = (size1 - 1) >> level;
  ProofPlan plan;
  if (index != 0) plan.AddRange(index << level, size1);
  AddInclusionRanges(index, ((size2 - 1) >> level) + 1, level, size2, &plan);
  return plan.Run(nodes);
}

absl::StatusOr<CompactRange> CompactRange::FromHashes(
    uint64_t size, absl::Span<const std::string> hashes) {
  const size_t want = absl::popcount(size);
  if (hashes.size() != want) {
    return absl::InvalidArgumentError(
        absl::StrCat("a compact range of size ", size, " has ", want,
                     " hashes, got ", hashes.size()));
  }
  CompactRange range;
  range.size_ = size;
  range.hashes_.reserve(hashes.size());
  for (const std::string& h : hashes) {
    RETURN_IF_ERROR(CheckHash(h, "compact range hash"));
    range.hashes_.push_back(ToHash(h));
  }
  return range;
}

std::vector<std::string> CompactRange::Hashes() const {
  std::vector<std::string> out;
  out.reserve(hashes_.size());
  for (const Hash& h : hashes_) out.emplace_back(View(h));
  return out;
}

absl::Status CompactRange::Append(absl::string_view leaf_hash) {
  return Append(leaf_hash, [](NodeId, absl::string_view) {});
}

absl::Status CompactRange::Append(absl::string_view leaf_hash,
                                  NodeSink on_complete_node) {
  RETURN_IF_ERROR(CheckHash(leaf_hash, "leaf hash"));
  uint64_t index = size_;
  on_complete_node(NodeId{0, index}, leaf_hash);
  hashes_.push_back(ToHash(leaf_hash));
  // Each trailing 1 bit of the old size is a subtree of the same height as
  // the one just closed: merge them pairwise.
  uint32_t level = 0;
  for (uint64_t s = size_; (s & 1) != 0; s >>= 1) {
    Hash merged =
        Children(View(hashes_[hashes_.size() - 2]), View(hashes_.back()));
    hashes_.pop_back();
    hashes_.back() = merged;
    ++level;
    index >>= 1;
    on_complete_node(NodeId{level, index}, View(merged));
  }
  ++size_;
  return absl::OkStatus();
}

std::string CompactRange::Root() const {
  if (hashes_.empty()) return EmptyTreeRoot();
  Hash root = hashes_.back();
  for (size_t i = hashes_.size() - 1; i-- > 0;) {
    root = Children(View(hashes_[i]), View(root));
  }
  return std::string(View(root));
}

absl::Status MerkleTree::Append(absl::string_view leaf_hash) {
  return range_.Append(leaf_hash, [this](NodeId id, absl::string_view hash) {
    if (levels_.size() <= id.level) levels_.resize(id.level + 1);
    levels_[id.level].push_back(ToHash(hash));
  });
}

absl::StatusOr<std::string> MerkleTree::RootAt(uint64_t tree_size) const {
  if (tree_size > size()) {
    return absl::OutOfRangeError(absl::StrCat(
        "tree size ", tree_size, " is beyond the log's ", size(), " leaves"));
  }
  if (tree_size == size()) return Root();
  return RootFromNodes(tree_size, *this);
}

absl::StatusOr<std::vector<std::string>> MerkleTree::InclusionProof(
    uint64_t index, uint64_t tree_size) const {
  if (tree_size > size()) {
    return absl::OutOfRangeError(absl::StrCat(
        "tree size ", tree_size, " is beyond the log's ", size(), " leaves"));
  }
  return InclusionProofFromNodes(index, tree_size, *this);
}

absl::StatusOr<std::vector<std::string>> MerkleTree::ConsistencyProof(
    uint64_t size1, uint64_t size2) const {
  if (size2 > size()) {
    return absl::OutOfRangeError(absl::StrCat(
        "tree size ", size2, " is beyond the log's ", size(), " leaves"));
  }
  return ConsistencyProofFromNodes(size1, size2, *this);
}

absl::StatusOr<std::vector<std::string>> MerkleTree::ReadNodes(
    absl::Span<const NodeId> ids) const {
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (const NodeId& id : ids) {
    if (id.level >= levels_.size() || id.index >= levels_[id.level].size()) {
      return absl::InternalError(absl::StrCat(
          "node (", id.level, ", ", id.index, ") is not complete in the tree"));
    }
    out.emplace_back(View(levels_[id.level][id.index]));
  }
  return out;
}

}  // namespace resguardo::crypto
