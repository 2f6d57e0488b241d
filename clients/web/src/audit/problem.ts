// Why a verification in the browser failed: a code the page shows in the
// user's language (texts/audit.ts, key "ap" + code) and the numbers that
// make it precise (sizes, indices). Never an entry's content.
export type AuditProblemCode =
  | "VkeyMalformed"      // not <name>+<8 hex>+<base64(0x01 ‖ key)>
  | "VkeyAlgorithm"      // not an Ed25519 key (0x01)
  | "VkeyKeyId"          // the key id does not match the name and key
  | "VkeyNone"           // no verifier key in the text or file
  | "VkeyDuplicate"      // two keys with the same name and key id
  | "NoteMalformed"      // not a C2SP signed note
  | "NoteUnsigned"       // no signature by a key she trusts
  | "NoteBadSignature"   // a signature by a key she trusts does not verify
  | "CheckpointMalformed"// the note's text is not a checkpoint
  | "CheckpointOrigin"   // the checkpoint is of another log than the key's
  | "NotNewestKey"       // the latest checkpoint lacks the newest key's signature
  | "ProofMalformed"     // a proof of the wrong length or hash size
  | "ProofRoot"          // a well-formed proof that leads to another root
  | "EntryMismatch"      // the proven entry is not the listed one
  | "NotCovered"         // the entry is not under the verified checkpoint
  | "Shrunk"             // the saved checkpoint is larger than the latest
  | "EqualSizeRoots"     // two checkpoints of one size with different roots
  | "NoWebCrypto";       // the browser has no Ed25519 or SHA-256 in WebCrypto

export class AuditProblem extends Error {
  constructor(readonly code: AuditProblemCode, readonly detail = "") {
    super(detail ? `${code}: ${detail}` : code);
    this.name = "AuditProblem";
  }
}

export function isAuditProblem(e: unknown): e is AuditProblem {
  return e instanceof AuditProblem;
}
