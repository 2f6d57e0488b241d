// Opening a C2SP signed note (https://c2sp.org/signed-note) in the browser
// under the keys the auditor trusts, with crypto/signed_note.cc's rules: the
// text, a blank line, then "— <name> <base64(key id ‖ signature)>" lines;
// signatures by keys she does not hold are ignored, every signature by a
// key she holds (same name and key id) must verify, and at least one must.
// Ed25519 verification is WebCrypto's (crypto.subtle.verify).
import { fromBase64Strict, utf8 } from "./bytes";
import { isKeyName, isNoteText } from "./note_text";
import { AuditProblem } from "./problem";
import { ed25519Verify } from "./verifier_key";
import type { VerifierKey } from "./verifier_key";

export const MAX_SIGNATURES = 100;
const PREFIX = "\u2014 ";

export interface OpenedNote {
  text: string;              // the signed text, ending in "\n"
  verified: VerifierKey[];   // the trusted keys whose signatures verified
  unknown: string[];         // "name+keyid" of signatures by other keys
}

export async function openNote(note: string, keys: VerifierKey[]): Promise<OpenedNote> {
  if (!isNoteText(note)) throw new AuditProblem("NoteMalformed", "text");
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw new AuditProblem("NoteMalformed", "no blank line");
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2).split("\n").slice(0, -1);
  if (lines.length === 0) throw new AuditProblem("NoteMalformed", "no signature");
  if (lines.length > MAX_SIGNATURES) throw new AuditProblem("NoteMalformed", "too many signatures");
  const message = utf8(text);
  const verified: VerifierKey[] = [];
  const unknown: string[] = [];
  for (const line of lines) {
    if (!line.startsWith(PREFIX)) throw new AuditProblem("NoteMalformed", "signature line");
    const body = line.slice(PREFIX.length);
    const space = body.indexOf(" ");
    if (space < 0) throw new AuditProblem("NoteMalformed", "signature line");
    const name = body.slice(0, space);
    if (!isKeyName(name)) throw new AuditProblem("NoteMalformed", "key name");
    const raw = fromBase64Strict(body.slice(space + 1));
    if (!raw) throw new AuditProblem("NoteMalformed", "base64");
    if (raw.length <= 4) throw new AuditProblem("NoteMalformed", "short signature");
    const id = ((raw[0] << 24) | (raw[1] << 16) | (raw[2] << 8) | raw[3]) >>> 0;
    const key = keys.find((k) => k.name === name && k.keyId === id);
    if (!key) {
      const label = `${name}+${id.toString(16).padStart(8, "0")}`;
      if (!unknown.includes(label)) unknown.push(label);
      continue;
    }
    const sig = raw.slice(4);
    if (!(await ed25519Verify(key.key, sig, message))) throw new AuditProblem("NoteBadSignature", `${name}+${key.keyIdHex}`);
    if (!verified.includes(key)) verified.push(key);
  }
  if (verified.length === 0) throw new AuditProblem("NoteUnsigned");
  return { text, verified, unknown };
}
