// The RFC 9162 §2.1 Merkle tree of the audit log: hashing, proof
// verification, and proof generation over stored node hashes.
//
// Hashing (RFC 9162 §2.1.1): a leaf is SHA-256(0x00 ‖ entry), an interior
// node SHA-256(0x01 ‖ left ‖ right), the empty tree's root SHA-256("").
//
// Node addressing: NodeId{level, index} names the root of the perfect subtree
// of 2^level leaves [index·2^level, (index+1)·2^level). Only such complete
// nodes are ever stored; any other subtree root ("ephemeral", on the right
// border of a tree whose size is not a power of two) is recomputed from the
// complete nodes under it. A store implements NodeReader over its table of
// complete nodes; the in-memory MerkleTree is one implementation.
//
// Errors:
//   INVALID_ARGUMENT  malformed input: a hash that is not 32 bytes, a proof of
//                     the wrong length, a leaf index not below the tree size,
//                     size1 > size2, a consistency proof from the empty tree.
//   UNAUTHENTICATED   a well-formed proof that does not lead to the given
//                     root(s).
//   OUT_OF_RANGE      a size beyond what a MerkleTree holds.
//   INTERNAL          a NodeReader that lacks a node it should hold.
//
// Hashing uses one EVP_MD_CTX per thread; if OpenSSL cannot provide SHA-256
// at all (memory exhaustion on first use), the process aborts: no caller
// could make progress without it.
#ifndef RESGUARDO_CRYPTO_MERKLE_TREE_H_
#define RESGUARDO_CRYPTO_MERKLE_TREE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace resguardo::crypto {

inline constexpr size_t kMerkleHashSize = 32;

// SHA-256(0x00 ‖ entry).
std::string HashLeaf(absl::string_view entry);
// SHA-256(0x01 ‖ left ‖ right). REQUIRES: both are 32 bytes (not checked:
// the bytes are hashed as given).
std::string HashChildren(absl::string_view left, absl::string_view right);
// SHA-256(""), the root of the tree of size 0.
std::string EmptyTreeRoot();

struct NodeId {
  uint32_t level = 0;
  uint64_t index = 0;

  // The leaves this node covers: [begin(), end()).
  uint64_t begin() const { return index << level; }
  uint64_t end() const { return (index + 1) << level; }
  friend bool operator==(const NodeId& a, const NodeId& b) {
    return a.level == b.level && a.index == b.index;
  }
  friend bool operator!=(const NodeId& a, const NodeId& b) { return !(a == b); }
};

// Verification (RFC 9162 §2.1.3.2 and §2.1.4.2).

// The number of hashes in the inclusion proof of leaf `index` in a tree of
// `tree_size` leaves. REQUIRES: index < tree_size.
size_t InclusionProofSize(uint64_t index, uint64_t tree_size);
// The number of hashes in the consistency proof between sizes `size1` and
// `size2`. REQUIRES: 0 < size1 <= size2.
size_t ConsistencyProofSize(uint64_t size1, uint64_t size2);

// The root that `proof` leads to from `leaf_hash` at `index` in a tree of
// `tree_size` leaves. INVALID_ARGUMENT if index >= tree_size, if the proof
// does not have InclusionProofSize() hashes, or if any hash is not 32 bytes.
absl::StatusOr<std::string> RootFromInclusionProof(
    absl::string_view leaf_hash, uint64_t index, uint64_t tree_size,
    absl::Span<const std::string> proof);

// OK if `proof` proves that `leaf_hash` is leaf `index` of the tree of
// `tree_size` leaves whose root is `root`. INVALID_ARGUMENT as
// RootFromInclusionProof, or if `root` is not 32 bytes; UNAUTHENTICATED if the
// proof leads to another root.
absl::Status VerifyInclusion(absl::string_view leaf_hash, uint64_t index,
                             uint64_t tree_size,
                             absl::Span<const std::string> proof,
                             absl::string_view root);

// OK if `proof` proves that the tree of `size2` leaves with root `root2`
// extends the tree of `size1` leaves with root `root1`.
//   size1 > size2: INVALID_ARGUMENT.
//   size1 == size2: the proof must be empty (else INVALID_ARGUMENT) and the
//     roots identical (else UNAUTHENTICATED); for size 0 both must be
//     EmptyTreeRoot(). For equal non-zero sizes the roots are compared as
//     given, whatever their length (as the RFC 6962 test vectors expect).
//   size1 == 0 < size2: INVALID_ARGUMENT: every tree extends the empty one,
//     so such a "proof" proves nothing and a caller asking for one has a bug.
//   otherwise: INVALID_ARGUMENT for a root or proof hash that is not 32 bytes
//     or a proof without ConsistencyProofSize() hashes; UNAUTHENTICATED if
//     the proof does not lead to both roots.
absl::Status VerifyConsistency(uint64_t size1, uint64_t size2,
                               absl::Span<const std::string> proof,
                               absl::string_view root1,
                               absl::string_view root2);

// Generation over stored complete nodes.

// Read access to the hashes of complete nodes. A store implements it over its
// node table; generation asks for all the nodes one answer needs in a single
// call, so a store can fetch them with one query.
class NodeReader {
 public:
  virtual ~NodeReader() = default;
  // The hashes of `ids`, in the same order. Every id the functions below pass
  // is a complete node of the tree of the size they were asked about. A
  // missing node is an error of the implementation's choosing (INTERNAL or
  // DATA_LOSS); it is returned unchanged.
  virtual absl::StatusOr<std::vector<std::string>> ReadNodes(
      absl::Span<const NodeId> ids) const = 0;
};

// The complete nodes, left to right, that exactly cover leaves [begin, end),
// each as large as its alignment allows. For begin == 0 these are the
// compact range of a tree of size `end` (one node per set bit of `end`,
// largest first). REQUIRES: begin <= end.
std::vector<NodeId> RangeNodes(uint64_t begin, uint64_t end);

// The root of the tree of `tree_size` leaves (EmptyTreeRoot() for 0), from
// popcount(tree_size) stored nodes.
absl::StatusOr<std::string> RootFromNodes(uint64_t tree_size,
                                          const NodeReader& nodes);
// The inclusion proof of leaf `index` in the tree of `tree_size` leaves
// (RFC 9162 §2.1.3.1), from O(log n) stored nodes. INVALID_ARGUMENT if
// index >= tree_size.
absl::StatusOr<std::vector<std::string>> InclusionProofFromNodes(
    uint64_t index, uint64_t tree_size, const NodeReader& nodes);
// The consistency proof between sizes `size1` and `size2` (RFC 9162
// §2.1.4.1), from O(log n) stored nodes; empty if size1 == size2.
// INVALID_ARGUMENT if size1 > size2 or size1 == 0 (see VerifyConsistency).
absl::StatusOr<std::vector<std::string>> ConsistencyProofFromNodes(
    uint64_t size1, uint64_t size2, const NodeReader& nodes);

// Compact range.

// The compact range of a tree: the roots of the perfect subtrees that cover
// leaves [0, size), one per set bit of size, largest first. It is all a log
// needs in memory to append and to compute the current root; the nodes that
// each append completes are handed to a callback for storage.
//
// Value type. Thread safety: none; const methods may run concurrently.
class CompactRange {
 public:
  // Called with each node an append completes, lowest level first: the leaf
  // itself (level 0), then every node it closes. Together these are every
  // complete node of the tree, each reported once.
  using NodeSink = absl::FunctionRef<void(NodeId, absl::string_view hash)>;

  // The empty tree.
  CompactRange() = default;
  // A range restored from storage: `hashes` are the hashes of
  // RangeNodes(0, size), in that order. INVALID_ARGUMENT if their number is
  // not popcount(size) or one is not 32 bytes.
  static absl::StatusOr<CompactRange> FromHashes(
      uint64_t size, absl::Span<const std::string> hashes);

  uint64_t size() const { return size_; }
  // The hashes of RangeNodes(0, size()), largest subtree first.
  std::vector<std::string> Hashes() const;

  // Appends a leaf. INVALID_ARGUMENT (and no change) if `leaf_hash` is not 32
  // bytes. Amortised O(1) hashes; O(log n) worst case.
  absl::Status Append(absl::string_view leaf_hash);
  absl::Status Append(absl::string_view leaf_hash, NodeSink on_complete_node);

  // The root of the tree of size(): O(log n) hashes, no stored node read.
  std::string Root() const;

 private:
  using Hash = std::array<char, kMerkleHashSize>;

  uint64_t size_ = 0;
  std::vector<Hash> hashes_;  // One per set bit of size_, largest first.
};

// In-memory tree.

// An append-only Merkle tree held in memory: a compact range for appends and
// the current root, and every complete node (about 2n hashes, 64 bytes per
// leaf) so that roots and proofs for any past size are O(log n).
//
// Thread safety: none. Const methods may run concurrently with each other but
// not with Append; a caller that shares a tree guards it with a mutex.
class MerkleTree final : public NodeReader {
 public:
  MerkleTree() = default;
  MerkleTree(const MerkleTree&) = delete;
  MerkleTree& operator=(const MerkleTree&) = delete;
  MerkleTree(MerkleTree&&) = default;
  MerkleTree& operator=(MerkleTree&&) = default;

  uint64_t size() const { return range_.size(); }

  // Appends a leaf hash (HashLeaf(entry)). INVALID_ARGUMENT (and no change)
  // if it is not 32 bytes. Amortised O(1).
  absl::Status Append(absl::string_view leaf_hash);

  // The root of the current tree, O(log n).
  std::string Root() const { return range_.Root(); }
  // The root the tree had at `tree_size` leaves. OUT_OF_RANGE if tree_size >
  // size().
  absl::StatusOr<std::string> RootAt(uint64_t tree_size) const;
  // Inclusion proof of leaf `index` in the tree as it was at `tree_size`.
  // OUT_OF_RANGE if tree_size > size(); INVALID_ARGUMENT if index >=
  // tree_size.
  absl::StatusOr<std::vector<std::string>> InclusionProof(
      uint64_t index, uint64_t tree_size) const;
  // Consistency proof from `size1` to `size2`. OUT_OF_RANGE if size2 >
  // size(); INVALID_ARGUMENT as ConsistencyProofFromNodes.
  absl::StatusOr<std::vector<std::string>> ConsistencyProof(
      uint64_t size1, uint64_t size2) const;

  const CompactRange& compact_range() const { return range_; }

  // NodeReader: INTERNAL for a node that is not complete in this tree.
  absl::StatusOr<std::vector<std::string>> ReadNodes(
      absl::Span<const NodeId> ids) const override;

 private:
  using Hash = std::array<char, kMerkleHashSize>;

  CompactRange range_;
  std::vector<std::vector<Hash>> levels_;  // levels_[l][i]: NodeId{l, i}.
};

}  // namespace resguardo::crypto

#endif  // RESGUARDO_CRYPTO_MERKLE_TREE_H_
