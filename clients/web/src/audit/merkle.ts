// The audit log's Merkle tree as RFC 9162 §2.1 defines it, verified in the
// browser: leaf SHA-256(0x00 ‖ entry), node SHA-256(0x01 ‖ left ‖ right),
// inclusion proofs (§2.1.3.2) and consistency proofs (§2.1.4.2). Mirrors
// crypto/merkle_tree.cc; the public RFC 6962 vectors test both
// (tests/audit_vectors_test.mjs). Sizes and indices are bigint (uint64).
import { concat, equalBytes } from "./bytes";
import { AuditProblem } from "./problem";
import { sha256 } from "./sha256";

export const HASH_SIZE = 32;

export function hashLeaf(entry: Uint8Array): Promise<Uint8Array> {
  return sha256(concat(Uint8Array.of(0), entry));
}

export function hashChildren(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return sha256(concat(Uint8Array.of(1), left, right));
}

export function emptyRoot(): Promise<Uint8Array> {
  return sha256(new Uint8Array(0));
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

function popcount(x: bigint): number {
  let n = 0;
  for (; x > 0n; x >>= 1n) n += Number(x & 1n);
  return n;
}

function trailingZeros(x: bigint): number {
  let n = 0;
  for (; x > 0n && (x & 1n) === 0n; x >>= 1n) n++;
  return n;
}

// The number of hashes in the inclusion proof of leaf `index` in a tree of
// `size` leaves. REQUIRES: index < size.
export function inclusionProofSize(index: bigint, size: bigint): number {
  const inner = bitLength(index ^ (size - 1n));
  return inner + popcount(index >> BigInt(inner));
}

// The number of hashes in the consistency proof from `size1` to `size2`.
// REQUIRES: 0 < size1 <= size2.
export function consistencyProofSize(size1: bigint, size2: bigint): number {
  if (size1 === size2) return 0;
  const level = BigInt(trailingZeros(size1));
  const index = (size1 - 1n) >> level;
  const shifted = ((size2 - 1n) >> level) + 1n;
  return (index !== 0n ? 1 : 0) + inclusionProofSize(index, shifted);
}

function checkHashes(hashes: Uint8Array[], what: string): void {
  hashes.forEach((h, i) => {
    if (h.length !== HASH_SIZE) {
      throw new AuditProblem("ProofMalformed", `${what} ${i}: ${h.length} bytes`);
    }
  });
}

// The root that `proof` leads to from `leafHash` at `index` of a tree of
// `size` leaves (RFC 9162 §2.1.3.2). ProofMalformed for an index not below
// the size or a proof of the wrong length or hash size.
export async function rootFromInclusionProof(
  leafHash: Uint8Array, index: bigint, size: bigint, proof: Uint8Array[],
): Promise<Uint8Array> {
  if (index < 0n || index >= size) {
    throw new AuditProblem("ProofMalformed", `index ${index} ≥ size ${size}`);
  }
  checkHashes([leafHash], "leaf");
  const want = inclusionProofSize(index, size);
  if (proof.length !== want) {
    throw new AuditProblem("ProofMalformed", `${proof.length} ≠ ${want} hashes`);
  }
  checkHashes(proof, "hash");
  let fn = index;
  let sn = size - 1n;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0n) throw new AuditProblem("ProofMalformed", "too long");
    if ((fn & 1n) !== 0n || fn === sn) {
      r = await hashChildren(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = await hashChildren(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw new AuditProblem("ProofMalformed", "too short");
  return r;
}

// Resolves if `proof` proves that `leafHash` is leaf `index` of the tree of
// `size` leaves whose root is `root`; ProofMalformed or ProofRoot otherwise.
export async function verifyInclusion(
  leafHash: Uint8Array, index: bigint, size: bigint, proof: Uint8Array[], root: Uint8Array,
): Promise<void> {
  checkHashes([root], "root");
  const got = await rootFromInclusionProof(leafHash, index, size, proof);
  if (!equalBytes(got, root)) throw new AuditProblem("ProofRoot", `${index} / ${size}`);
}

// Resolves if `proof` proves that the tree of `size2` leaves and root
// `root2` extends the one of `size1` leaves and root `root1` (RFC 9162
// §2.1.4.2), with crypto/merkle_tree.h's rules for equal and zero sizes.
export async function verifyConsistency(
  size1: bigint, size2: bigint, proof: Uint8Array[], root1: Uint8Array, root2: Uint8Array,
): Promise<void> {
  if (size1 > size2) throw new AuditProblem("Shrunk", `${size1} > ${size2}`);
  if (size1 === size2) {
    if (proof.length !== 0) throw new AuditProblem("ProofMalformed", `${proof.length} hashes for equal sizes`);
    if (size1 === 0n) {
      checkHashes([root1, root2], "root");
      const empty = await emptyRoot();
      if (!equalBytes(root1, empty) || !equalBytes(root2, empty)) {
        throw new AuditProblem("ProofRoot", "empty tree");
      }
      return;
    }
    if (!equalBytes(root1, root2)) throw new AuditProblem("EqualSizeRoots", `${size1}`);
    return;
  }
  if (size1 === 0n) {
    throw new AuditProblem("ProofMalformed", "consistency from the empty tree proves nothing");
  }
  checkHashes([root1, root2], "root");
  const want = consistencyProofSize(size1, size2);
  if (proof.length !== want) {
    throw new AuditProblem("ProofMalformed", `${proof.length} ≠ ${want} hashes`);
  }
  checkHashes(proof, "hash");
  // When size1 is a power of two, root1 is the first node of the path and
  // is not sent.
  const path = (size1 & (size1 - 1n)) === 0n ? [root1, ...proof] : [...proof];
  let fn = size1 - 1n;
  let sn = size2 - 1n;
  while ((fn & 1n) !== 0n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0];
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0n) throw new AuditProblem("ProofMalformed", "too long");
    if ((fn & 1n) !== 0n || fn === sn) {
      fr = await hashChildren(c, fr);
      sr = await hashChildren(c, sr);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = await hashChildren(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw new AuditProblem("ProofMalformed", "too short");
  if (!equalBytes(fr, root1)) throw new AuditProblem("ProofRoot", `root1 (${size1})`);
  if (!equalBytes(sr, root2)) throw new AuditProblem("ProofRoot", `root2 (${size2})`);
}
