// The node's verifier key as the operator hands it to auditors
// (docs/audit-log-format.md §3): "<name>+<8 hex key id>+<base64(0x01 ‖
// 32-byte Ed25519 key)>", alone or in the output of `resguardod audit-key`
// ("generation G key-id X vkey <vkey>" per line; every word with a "+" is a
// key, as the CLI reads it). The key is imported into WebCrypto (Ed25519).
import { bufferSource, concat, fromBase64Strict, utf8 } from "./bytes";
import { isKeyName } from "./note_text";
import { AuditProblem } from "./problem";
import { sha256 } from "./sha256";

export interface VerifierKey {
  name: string;
  keyId: number;          // the 4-byte C2SP key id
  keyIdHex: string;       // as 8 lowercase hex digits
  publicKey: Uint8Array;  // 32 bytes
  key: CryptoKey;         // WebCrypto Ed25519, verify only
  text: string;           // the vkey as given
}

// The C2SP key id: the first 4 bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ key).
export async function keyIdOf(name: string, publicKey: Uint8Array): Promise<number> {
  const d = await sha256(concat(utf8(`${name}\n`), Uint8Array.of(1), publicKey));
  return ((d[0] << 24) | (d[1] << 16) | (d[2] << 8) | d[3]) >>> 0;
}

export async function importEd25519(publicKey: Uint8Array): Promise<CryptoKey> {
  if (!globalThis.crypto?.subtle) throw new AuditProblem("NoWebCrypto", "Ed25519");
  try {
    return await crypto.subtle.importKey("raw", bufferSource(publicKey), { name: "Ed25519" }, false, ["verify"]);
  } catch (e) {
    // NotSupportedError: this browser's WebCrypto has no Ed25519.
    if (e instanceof DOMException && e.name === "NotSupportedError") {
      throw new AuditProblem("NoWebCrypto", "Ed25519");
    }
    throw new AuditProblem("VkeyMalformed", "Ed25519 key");
  }
}

// True if `signature` is `key`'s Ed25519 signature of `message`
// (crypto.subtle.verify; a signature that is not 64 bytes is false).
export async function ed25519Verify(key: CryptoKey, signature: Uint8Array, message: Uint8Array): Promise<boolean> {
  if (signature.length !== 64) return false;
  return crypto.subtle.verify({ name: "Ed25519" }, key, bufferSource(signature), bufferSource(message));
}

// One vkey. VkeyMalformed, VkeyAlgorithm or VkeyKeyId as the C++
// NoteVerifier::FromVerifierKey refuses it.
export async function parseVerifierKey(vkey: string): Promise<VerifierKey> {
  const p1 = vkey.indexOf("+");
  const p2 = p1 < 0 ? -1 : vkey.indexOf("+", p1 + 1);
  if (p2 < 0) throw new AuditProblem("VkeyMalformed");
  const name = vkey.slice(0, p1);
  const hex = vkey.slice(p1 + 1, p2);
  if (!isKeyName(name)) throw new AuditProblem("VkeyMalformed", "name");
  if (!/^[0-9a-fA-F]{8}$/.test(hex)) throw new AuditProblem("VkeyMalformed", "key id");
  const raw = fromBase64Strict(vkey.slice(p2 + 1));
  if (!raw) throw new AuditProblem("VkeyMalformed", "base64");
  if (raw.length === 0 || raw[0] !== 1) throw new AuditProblem("VkeyAlgorithm");
  const publicKey = raw.slice(1);
  if (publicKey.length !== 32) throw new AuditProblem("VkeyMalformed", `${publicKey.length} bytes`);
  const keyId = parseInt(hex, 16) >>> 0;
  if ((await keyIdOf(name, publicKey)) !== keyId) throw new AuditProblem("VkeyKeyId");
  const key = await importEd25519(publicKey);
  return { name, keyId, keyIdHex: hex.toLowerCase(), publicKey, key, text: vkey };
}

// Every vkey in a pasted text or a file: each white-space separated word
// with a "+" (a bare vkey, one per line, or `resguardod audit-key` output),
// oldest first: by the "generation G" of audit-key's lines where given,
// else in the order written. VkeyNone when there is none, VkeyDuplicate for
// two of one name and id.
export async function parseVerifierKeys(text: string): Promise<VerifierKey[]> {
  const words: { w: string; gen: number }[] = [];
  text.split("\n").forEach((line, i) => {
    const g = /^\s*generation\s+(\d+)\s/.exec(line);
    for (const w of line.split(/\s+/)) {
      if (w.includes("+")) words.push({ w, gen: g ? Number(g[1]) : i });
    }
  });
  if (words.length === 0) throw new AuditProblem("VkeyNone");
  words.sort((a, b) => a.gen - b.gen);
  const keys: VerifierKey[] = [];
  for (const { w } of words) {
    const k = await parseVerifierKey(w);
    if (keys.some((o) => o.name === k.name && o.keyId === k.keyId)) {
      if (keys.some((o) => o.text === k.text)) continue;  // the same key twice
      throw new AuditProblem("VkeyDuplicate", `${k.name}+${k.keyIdHex}`);
    }
    keys.push(k);
  }
  return keys;
}
