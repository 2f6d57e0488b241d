// Whether the log still extends a checkpoint the auditor saved earlier: the
// saved note must verify under her keys, be of the same log, not be larger
// than the latest verified checkpoint, and a consistency proof (fetched by
// `proofOf` only when the sizes differ) must lead to both roots.
import { equalBytes } from "./bytes";
import { openCheckpoint, savedNoteText } from "./checkpoint";
import type { VerifiedCheckpoint } from "./checkpoint";
import { emptyRoot, verifyConsistency } from "./merkle";
import { AuditProblem } from "./problem";
import type { VerifierKey } from "./verifier_key";

export async function checkSavedCheckpoint(
  saved: string, latest: VerifiedCheckpoint, keys: VerifierKey[],
  proofOf: (oldSize: bigint, newSize: bigint) => Promise<Uint8Array[]>,
): Promise<VerifiedCheckpoint> {
  const old = await openCheckpoint(savedNoteText(saved), keys);
  if (old.origin !== latest.origin) throw new AuditProblem("CheckpointOrigin", old.origin);
  if (old.size > latest.size) throw new AuditProblem("Shrunk", `${old.size} > ${latest.size}`);
  if (old.size === 0n) {
    // Every tree extends the empty one; its root must still be SHA-256("").
    if (!equalBytes(old.root, await emptyRoot())) throw new AuditProblem("ProofRoot", "empty tree");
    return old;
  }
  const proof = old.size === latest.size ? [] : await proofOf(old.size, latest.size);
  await verifyConsistency(old.size, latest.size, proof, old.root, latest.root);
  return old;
}
