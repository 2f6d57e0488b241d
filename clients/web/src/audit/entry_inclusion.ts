// An entry's inclusion in a verified checkpoint: the proof the node sent
// (GetInclusionProof at the checkpoint's size) must carry exactly the bytes
// the auditor was shown, and lead from their leaf hash to the signed root.
import { equalBytes } from "./bytes";
import type { VerifiedCheckpoint } from "./checkpoint";
import { hashLeaf, verifyInclusion } from "./merkle";
import { AuditProblem } from "./problem";

export function checkCovered(index: bigint, cp: VerifiedCheckpoint): void {
  if (index >= cp.size) throw new AuditProblem("NotCovered", `${index} ≥ ${cp.size}`);
}

export async function verifyEntryInclusion(
  shownBytes: Uint8Array, index: bigint, cp: VerifiedCheckpoint,
  proof: { entryBytes: Uint8Array; hashes: Uint8Array[]; treeSize: bigint },
): Promise<void> {
  checkCovered(index, cp);
  if (proof.treeSize !== cp.size) throw new AuditProblem("ProofMalformed", `size ${proof.treeSize} ≠ ${cp.size}`);
  if (!equalBytes(proof.entryBytes, shownBytes)) throw new AuditProblem("EntryMismatch", `${index}`);
  await verifyInclusion(await hashLeaf(proof.entryBytes), index, cp.size, proof.hashes, cp.root);
}
