// A checkpoint of the audit log (C2SP tlog-checkpoint, docs/audit-log-
// format.md §3): "<origin>\n<size>\n<base64 root>\n[<extension>\n]...",
// opened from its signed note under the auditor's keys (signed_note.ts) and
// parsed with crypto/checkpoint.cc's rules. Its origin must be the name of a
// key that verified it: a checkpoint of another log proves nothing here.
import { fromBase64Strict } from "./bytes";
import { HASH_SIZE } from "./merkle";
import { isNoteText } from "./note_text";
import { AuditProblem } from "./problem";
import { openNote } from "./signed_note";
import type { VerifierKey } from "./verifier_key";

export interface Checkpoint {
  origin: string;
  size: bigint;
  root: Uint8Array;
  extensions: string[];
}

export interface VerifiedCheckpoint extends Checkpoint {
  note: string;              // the signed note, verbatim
  verifiedBy: VerifierKey[]; // the trusted keys whose signatures verified
}

const MAX_U64 = (1n << 64n) - 1n;

export function parseCheckpointBody(text: string): Checkpoint {
  if (!isNoteText(text)) throw new AuditProblem("CheckpointMalformed", "text");
  const lines = text.slice(0, -1).split("\n");
  if (lines.length < 3) throw new AuditProblem("CheckpointMalformed", `${lines.length} lines`);
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (!origin) throw new AuditProblem("CheckpointMalformed", "origin");
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || BigInt(sizeText) > MAX_U64) {
    throw new AuditProblem("CheckpointMalformed", "size");
  }
  const root = fromBase64Strict(rootText);
  if (!root || root.length !== HASH_SIZE) throw new AuditProblem("CheckpointMalformed", "root");
  if (extensions.some((e) => e === "")) throw new AuditProblem("CheckpointMalformed", "extension");
  return { origin, size: BigInt(sizeText), root, extensions };
}

// The checkpoint a signed note carries, once its signatures verify under
// `keys` (oldest first) and its origin is theirs. With `newest`, the
// newest key must be among those that signed it: after a key rotation a
// retired key signs nothing new (docs/audit-log-format.md §3), so the
// node's latest checkpoint signed by an older key alone is refused.
export async function openCheckpoint(
  note: string, keys: VerifierKey[], { newest = false } = {},
): Promise<VerifiedCheckpoint> {
  const opened = await openNote(note, keys);
  const cp = parseCheckpointBody(opened.text);
  if (!opened.verified.some((k) => k.name === cp.origin)) {
    throw new AuditProblem("CheckpointOrigin", cp.origin);
  }
  const last = keys[keys.length - 1];
  if (newest && !opened.verified.includes(last)) {
    throw new AuditProblem("NotNewestKey", `${last.name}+${last.keyIdHex}`);
  }
  return { ...cp, note, verifiedBy: opened.verified };
}

// A checkpoint the auditor saved earlier, pasted or from a file: the signed
// note verbatim, but a copy may have lost its final newline or gained
// trailing white space or Windows line ends, none of which is signed.
export function savedNoteText(pasted: string): string {
  return `${pasted.replace(/\r\n/g, "\n").replace(/\s+$/, "")}\n`;
}
