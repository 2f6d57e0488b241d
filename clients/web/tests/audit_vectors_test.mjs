// The browser's audit verifiers (src/audit/*.ts) against public test vectors
// and trees built here independently, run by Node.js on its WebCrypto (the
// same crypto.subtle API as the browser's; tests/e2e/flows/audit.mjs uses
// them in Chromium against a real node). A wrong implementation fails:
//   - RFC 6962 / RFC 9162 inclusion and consistency proofs: every file of
//     transparency-dev/merkle's testdata (crypto/testdata/vectors/rfc6962,
//     the copy the C++ tests read), honouring wantErr;
//   - Ed25519: every Wycheproof test (valid accepted, invalid refused)
//     through the same WebCrypto calls the page makes;
//   - signed notes: the golang.org/x/mod/sumdb/note example, and
//     checkpoints signed here and then altered;
//   - proofs over trees of 1..40 leaves computed by the RFC's recursive
//     definitions with node:crypto, and the same proofs altered;
//   - the bundle's record framing.
// The vectors run again in Debian's Chromium (tests/browser.mjs), whose
// WebCrypto the page uses.
// Usage: node tests/audit_vectors_test.mjs   (exit 0 = pass)
import { createHash, webcrypto } from "node:crypto";
import { readdirSync, readFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createServer } from "node:http";
import { launch } from "./browser.mjs";

const web = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const vectors = process.env.RESGUARDO_VECTORS_DIR ||
  resolve(web, "../../crypto/testdata/vectors");

// Bundle src/audit for Node.js with the esbuild that Vite uses.
const require = createRequire(import.meta.url);
const esbuild = createRequire(require.resolve("vite"))("esbuild");
const out = mkdtempSync(join(tmpdir(), "resguardo-audit-test-"));
await esbuild.build({
  stdin: {
    contents: ["bytes", "merkle", "verifier_key", "signed_note", "checkpoint", "bundle", "problem", "consistency", "entry_inclusion"]
      .map((f) => `export * from "./${f}";`).join("\n"),
    resolveDir: join(web, "src/audit"),
    loader: "ts",
  },
  bundle: true, format: "esm", platform: "neutral", outfile: join(out, "audit.mjs"),
  logLevel: "error", mainFields: ["module", "main"], conditions: ["import"],
  nodePaths: [join(web, "node_modules")],
});
const bundled = readFileSync(join(out, "audit.mjs"), "utf8");
const A = await import(pathToFileURL(join(out, "audit.mjs")).href);
rmSync(out, { recursive: true, force: true });
if (!globalThis.crypto) globalThis.crypto = webcrypto;

const failures = [];
let passed = 0;
const check = (ok, what) => {
  if (ok) passed++;
  else {
    failures.push(what);
    console.log(`FAIL ${what}`);
  }
};
const b64 = (s) => new Uint8Array(Buffer.from(s, "base64"));
const problem = async (p) => {
  try {
    await p;
    return null;
  } catch (e) {
    if (!(e instanceof A.AuditProblem)) throw e;
    return e.code;
  }
};
const jsonFiles = (dir) => readdirSync(dir).flatMap((f) => {
  const p = join(dir, f);
  return statSync(p).isDirectory() ? jsonFiles(p) : f.endsWith(".json") ? [p] : [];
}).sort();

// --- RFC 6962 vectors --------------------------------------------------------
const inclusion = jsonFiles(join(vectors, "rfc6962/inclusion"));
const consistency = jsonFiles(join(vectors, "rfc6962/consistency"));
check(inclusion.length === 98 && consistency.length === 98,
  `98 inclusion and 98 consistency files in ${vectors} (got ${inclusion.length}, ${consistency.length})`);
for (const f of inclusion) {
  const j = JSON.parse(readFileSync(f, "utf8"));
  const code = await problem(A.verifyInclusion(b64(j.leafHash), BigInt(j.leafIdx), BigInt(j.treeSize),
    (j.proof || []).map(b64), b64(j.root)));
  check(j.wantErr ? code === "ProofMalformed" || code === "ProofRoot" : code === null,
    `inclusion ${f.slice(vectors.length)} (${j.desc}): wantErr ${j.wantErr}, got ${code}`);
}
for (const f of consistency) {
  const j = JSON.parse(readFileSync(f, "utf8"));
  const code = await problem(A.verifyConsistency(BigInt(j.size1), BigInt(j.size2),
    (j.proof || []).map(b64), b64(j.root1), b64(j.root2)));
  check(j.wantErr ? code !== null : code === null,
    `consistency ${f.slice(vectors.length)} (${j.desc}): wantErr ${j.wantErr}, got ${code}`);
}

// --- Wycheproof Ed25519, through the page's WebCrypto calls -----------------
const ed = JSON.parse(readFileSync(join(vectors, "wycheproof/ed25519_test.json"), "utf8"));
let edCount = 0;
for (const g of ed.testGroups) {
  let key = null;
  try {
    key = await A.importEd25519(new Uint8Array(Buffer.from(g.publicKey.pk, "hex")));
  } catch (e) {
    if (e.code === "NoWebCrypto") throw e;
  }
  for (const tc of g.tests) {
    edCount++;
    const ok = key !== null && await A.ed25519Verify(key,
      new Uint8Array(Buffer.from(tc.sig, "hex")), new Uint8Array(Buffer.from(tc.msg, "hex")));
    check(tc.result === "valid" ? ok : !ok, `ed25519 tcId ${tc.tcId} (${tc.comment}): ${tc.result}, verified ${ok}`);
  }
}
check(edCount === ed.numberOfTests, `every Wycheproof Ed25519 test ran (${edCount}/${ed.numberOfTests})`);

// --- signed notes: the Go example ------------------------------------------
const goVkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const goText = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const goSig = "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const goKeys = await A.parseVerifierKeys(`generation 1 key-id c74f20a3 vkey ${goVkey}\n`);
check(goKeys.length === 1 && goKeys[0].keyId === 0xc74f20a3 && goKeys[0].name === "PeterNeumann",
  "a vkey from `resguardod audit-key` output parses");
const goNote = await A.openNote(`${goText}\n${goSig}`, goKeys);
check(goNote.text === goText && goNote.verified.length === 1, "the Go note opens under its key");
check(await problem(A.openNote(`${goText.replace("answer", "Answer")}\n${goSig}`, goKeys)) === "NoteBadSignature",
  "the Go note with one letter changed fails its signature");
const otherVkey = await vkeyOf("PeterNeumann", (await keyPair()).pub);
check(await problem(A.openNote(`${goText}\n${goSig}`, await A.parseVerifierKeys(otherVkey))) === "NoteUnsigned",
  "the Go note under another key of the same name: not signed by a trusted key");
for (const [bad, why] of [
  [goVkey.replace("c74f20a3", "c74f20a4"), "VkeyKeyId"],
  [goVkey.replace("+ARpc", "+AhpC"), "VkeyAlgorithm"],
  ["PeterNeumann+c74f20a3", "VkeyMalformed"],
  [goVkey.slice(0, -1), "VkeyMalformed"],
  ["Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "VkeyMalformed"],
]) check(await problem(A.parseVerifierKey(bad)) === why, `vkey ${JSON.stringify(bad)}: ${why}`);
check(await problem(A.parseVerifierKeys("no key here\n")) === "VkeyNone", "a text without a vkey: VkeyNone");
for (const [note, why] of [
  [`${goText}${goSig}`, "no blank line"],
  [`${goText}\n- PeterNeumann x08go/ZJ=\n`, "not an em dash"],
  [`${goText}\n\u2014 PeterNeumann x08gow==\n`, "too short"],
  [`${goText}\n\u2014 PeterNeumann ${"x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM"}\n`, "unpadded"],
  [`${goText}\n${goSig}`.slice(0, -1), "no final newline"],
  [`${goText}\u0007\n\n${goSig}`, "a control character"],
  [`${goText}\ud800\n\n${goSig}`, "a lone surrogate (not UTF-8)"],
]) check(await problem(A.openNote(note, goKeys)) === "NoteMalformed", `a malformed note (${why}): NoteMalformed`);

// --- checkpoints signed here -------------------------------------------------
async function keyPair() {
  const k = await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
  return { priv: k.privateKey, pub: new Uint8Array(await crypto.subtle.exportKey("raw", k.publicKey)) };
}
async function vkeyOf(name, pub) {
  const id = createHash("sha256").update(Buffer.concat([Buffer.from(`${name}\n`), Buffer.from([1]), pub])).digest().subarray(0, 4);
  return `${name}+${id.toString("hex")}+${Buffer.concat([Buffer.from([1]), pub]).toString("base64")}`;
}
async function sign(name, pair, text) {
  const id = createHash("sha256").update(Buffer.concat([Buffer.from(`${name}\n`), Buffer.from([1]), pair.pub])).digest().subarray(0, 4);
  const sig = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, pair.priv, Buffer.from(text)));
  return `\u2014 ${name} ${Buffer.concat([id, sig]).toString("base64")}\n`;
}
const origin = "resguardo.local/audit";
const node = await keyPair();
const keys = await A.parseVerifierKeys(await vkeyOf(origin, node.pub));
const root = createHash("sha256").update("a root").digest();
const body = `${origin}\n42\n${root.toString("base64")}\n`;
const note = `${body}\n${await sign(origin, node, body)}`;
const cp = await A.openCheckpoint(note, keys);
check(cp.size === 42n && Buffer.from(cp.root).equals(root) && cp.origin === origin, "a signed checkpoint opens: size, root, origin");
check(await problem(A.openCheckpoint(note.replace("\n42\n", "\n43\n"), keys)) === "NoteBadSignature", "its size altered: bad signature");
const otherRoot = createHash("sha256").update("another root").digest().toString("base64");
check(await problem(A.openCheckpoint(note.replace(root.toString("base64"), otherRoot), keys)) === "NoteBadSignature", "its root altered: bad signature");
const stranger = await keyPair();
check(await problem(A.openCheckpoint(`${body}\n${await sign(origin, stranger, body)}`, keys)) === "NoteUnsigned", "signed by another key: not signed by a trusted key");
check((await A.openCheckpoint(`${body}\n${await sign("someone-else", stranger, body)}${await sign(origin, node, body)}`, keys)).size === 42n,
  "a signature by an unknown key is ignored");
const elsewhere = await A.parseVerifierKeys(await vkeyOf("other.log/audit", node.pub));
check(await problem(A.openCheckpoint(`${body}\n${await sign("other.log/audit", node, body)}`, elsewhere)) === "CheckpointOrigin", "a checkpoint of another log: CheckpointOrigin");
for (const [b, why] of [
  [`${origin}\n042\n${root.toString("base64")}\n`, "leading zero"],
  [`${origin}\n18446744073709551616\n${root.toString("base64")}\n`, "above 2^64-1"],
  [`${origin}\n42\n${root.subarray(1).toString("base64")}\n`, "a 31-byte root"],
  [`${origin}\n42\n`, "no root"],
  [`${origin}\n42\n${root.toString("base64")}\n\n`, "an empty extension"],
]) check(await problem(A.openCheckpoint(`${b}\n${await sign(origin, node, b)}`, keys)) === "CheckpointMalformed", `a checkpoint body with ${why}: CheckpointMalformed`);
// A key rotation: generation 2 signs from the transition on; the latest
// checkpoint signed by generation 1 alone is refused once both are loaded.
const gen2 = await keyPair();
const rotated = await A.parseVerifierKeys(`generation 2 key-id x vkey ${await vkeyOf(origin, gen2.pub)}\ngeneration 1 key-id y vkey ${await vkeyOf(origin, node.pub)}\n`);
check(rotated.length === 2 && Buffer.from(rotated[1].publicKey).equals(Buffer.from(gen2.pub)), "audit-key lines are ordered by generation, oldest first");
check(await problem(A.openCheckpoint(note, rotated, { newest: true })) === "NotNewestKey", "the latest checkpoint signed by a retired key alone: NotNewestKey");
check((await A.openCheckpoint(note, rotated)).size === 42n, "a saved checkpoint of before the rotation still opens under the old key");
check((await A.openCheckpoint(`${body}\n${await sign(origin, node, body)}${await sign(origin, gen2, body)}`, rotated, { newest: true })).verifiedBy.length === 2, "the transition checkpoint signed by both keys");
check((await A.openCheckpoint(`${body}\n${await sign(origin, gen2, body)}`, rotated, { newest: true })).size === 42n, "a checkpoint after the rotation signed by the new key");
check(A.savedNoteText(`${note.replace(/\n/g, "\r\n").trimEnd()}  \r\n\r\n`) === note, "a saved note's line ends and trailing space are undone");

// --- trees built here by the RFC's recursive definitions --------------------
const H = (...parts) => createHash("sha256").update(Buffer.concat(parts)).digest();
const leafOf = (i) => H(Buffer.from([0]), Buffer.from(`entry ${i}`));
const split = (n) => { let k = 1; while (k * 2 < n) k *= 2; return k; };
const mth = (l) => l.length === 0 ? H() : l.length === 1 ? l[0] : H(Buffer.from([1]), mth(l.slice(0, split(l.length))), mth(l.slice(split(l.length))));
const path = (m, l) => {
  if (l.length === 1) return [];
  const k = split(l.length);
  return m < k ? [...path(m, l.slice(0, k)), mth(l.slice(k))] : [...path(m - k, l.slice(k)), mth(l.slice(0, k))];
};
const subproof = (m, l, b) => {
  if (m === l.length) return b ? [] : [mth(l)];
  const k = split(l.length);
  return m <= k ? [...subproof(m, l.slice(0, k), b), mth(l.slice(k))] : [...subproof(m - k, l.slice(k), false), mth(l.slice(0, k))];
};
const leaves = Array.from({ length: 40 }, (_, i) => leafOf(i));
let treeChecks = 0;
for (let n = 1; n <= 40; n++) {
  const l = leaves.slice(0, n);
  const r = mth(l);
  for (let m = 0; m < n; m++) {
    const p = path(m, l).map((x) => new Uint8Array(x));
    const ok = await problem(A.verifyInclusion(new Uint8Array(l[m]), BigInt(m), BigInt(n), p, new Uint8Array(r)));
    check(ok === null, `inclusion of ${m} in ${n}: ${ok}`);
    check(A.inclusionProofSize(BigInt(m), BigInt(n)) === p.length, `inclusion proof size ${m}/${n}`);
    if (p.length) {
      const bad = p.map((x, i) => i === p.length - 1 ? Uint8Array.from(x, (y, j) => j === 0 ? y ^ 1 : y) : x);
      check(await problem(A.verifyInclusion(new Uint8Array(l[m]), BigInt(m), BigInt(n), bad, new Uint8Array(r))) === "ProofRoot", `inclusion ${m}/${n} with a flipped bit: ProofRoot`);
    }
    check(await problem(A.verifyInclusion(new Uint8Array(leafOf(99)), BigInt(m), BigInt(n), p, new Uint8Array(r))) === "ProofRoot", `another entry at ${m}/${n}: ProofRoot`);
    treeChecks++;
  }
  for (let m = 1; m <= n; m++) {
    const p = subproof(m, l, true).map((x) => new Uint8Array(x));
    const r1 = new Uint8Array(mth(leaves.slice(0, m)));
    check(await problem(A.verifyConsistency(BigInt(m), BigInt(n), p, r1, new Uint8Array(r))) === null, `consistency ${m} → ${n}`);
    check(A.consistencyProofSize(BigInt(m), BigInt(n)) === p.length, `consistency proof size ${m} → ${n}`);
    if (m < n) {
      const forked = new Uint8Array(mth([...leaves.slice(0, m - 1), leafOf(99)]));
      check(await problem(A.verifyConsistency(BigInt(m), BigInt(n), p, forked, new Uint8Array(r))) === "ProofRoot", `consistency ${m} → ${n} from a rewritten history: ProofRoot`);
    }
    treeChecks++;
  }
}
check(await problem(A.verifyConsistency(5n, 4n, [], new Uint8Array(32), new Uint8Array(32))) === "Shrunk", "a later checkpoint smaller than the saved one: Shrunk");
check(await problem(A.verifyConsistency(4n, 4n, [], new Uint8Array(32), new Uint8Array(leaves[0]))) === "EqualSizeRoots", "two roots for one size: EqualSizeRoots");
check(await problem(A.verifyInclusion(new Uint8Array(32), 0n, 1n, [], new Uint8Array(31))) === "ProofMalformed", "a 31-byte root: ProofMalformed");
check(Buffer.from(await A.hashLeaf(Buffer.from("entry 3"))).equals(leafOf(3)), "hashLeaf is SHA-256(0x00 ‖ entry)");

// --- a saved checkpoint against the latest, an entry against a checkpoint ---
const signedAt = async (n) => {
  const b = `${origin}\n${n}\n${mth(leaves.slice(0, n)).toString("base64")}\n`;
  return `${b}\n${await sign(origin, node, b)}`;
};
const latest = await A.openCheckpoint(await signedAt(13), keys);
const proofOf = async (m, n) => subproof(Number(m), leaves.slice(0, Number(n)), true).map((x) => new Uint8Array(x));
check((await A.checkSavedCheckpoint((await signedAt(6)).trimEnd(), latest, keys, proofOf)).size === 6n, "a saved checkpoint of 6 is extended by the latest of 13");
check((await A.checkSavedCheckpoint(await signedAt(13), latest, keys, proofOf)).size === 13n, "a saved checkpoint equal to the latest");
const forkBody = `${origin}\n6\n${mth([...leaves.slice(0, 5), leafOf(99)]).toString("base64")}\n`;
check(await problem(A.checkSavedCheckpoint(`${forkBody}\n${await sign(origin, node, forkBody)}`, latest, keys, proofOf)) === "ProofRoot", "a saved checkpoint of another history: ProofRoot");
check(await problem(A.checkSavedCheckpoint(await signedAt(20), latest, keys, proofOf)) === "Shrunk", "a saved checkpoint larger than the latest: Shrunk");
check(await problem(A.checkSavedCheckpoint((await signedAt(6)).replace("\n6\n", "\n7\n"), latest, keys, proofOf)) === "NoteBadSignature", "an altered saved checkpoint: NoteBadSignature");
const entry = (i) => Buffer.from(`entry ${i}`);
const inclusionOf = (i, n) => ({ entryBytes: new Uint8Array(entry(i)), treeSize: BigInt(n), hashes: path(i, leaves.slice(0, n)).map((x) => new Uint8Array(x)) });
check(await problem(A.verifyEntryInclusion(new Uint8Array(entry(4)), 4n, latest, inclusionOf(4, 13))) === null, "entry 4 is included in the checkpoint of 13");
check(await problem(A.verifyEntryInclusion(new Uint8Array(entry(5)), 4n, latest, inclusionOf(4, 13))) === "EntryMismatch", "a proof of other bytes than those shown: EntryMismatch");
check(await problem(A.verifyEntryInclusion(new Uint8Array(entry(13)), 13n, latest, inclusionOf(4, 13))) === "NotCovered", "an entry after the checkpoint: NotCovered");
check(await problem(A.verifyEntryInclusion(new Uint8Array(entry(4)), 4n, latest, { ...inclusionOf(4, 13), hashes: inclusionOf(5, 13).hashes })) === "ProofRoot", "entry 4 with entry 5's path: ProofRoot");

// --- the bundle's framing ----------------------------------------------------
const parts = A.bundleParts({ origin, treeSize: 2n, keys: [], checkpoints: [], entries: [Uint8Array.of(8, 1), new Uint8Array(200)], exportTime: new Date(0) });
const all = Buffer.concat(parts);
check(all.subarray(0, 26).toString() === "resguardo-audit-bundle/v1\n", "the bundle starts with its magic");
check(all[27] === 0x0a, "then the header record (field 1)");
const tail = all.subarray(all.length - 205);
check(Buffer.from([4, 0x1a, 2, 8, 1]).equals(all.subarray(all.length - 205 - 5, all.length - 205)), "an entry record of 2 bytes is 04 1a 02 <bytes>");
check(Buffer.from([0xcb, 1, 0x1a, 0xc8, 1]).equals(tail.subarray(0, 5)), "a 200-byte entry: cb 01 1a c8 01 <bytes> (two-byte varints)");

// --- the same vectors in Debian's Chromium (its WebCrypto, BoringSSL) ------
// Served from 127.0.0.1 (a secure context, as the node's HTTPS origin is).
const server = createServer((req, res) => {
  const js = req.url === "/audit.mjs";
  res.writeHead(200, { "Content-Type": js ? "text/javascript" : "text/html", "Cache-Control": "no-store" });
  res.end(js ? bundled : "<!doctype html><title>audit vectors</title>");
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const browser = await launch();
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const cases = {
    inclusion: inclusion.map((f) => JSON.parse(readFileSync(f, "utf8"))),
    consistency: consistency.map((f) => JSON.parse(readFileSync(f, "utf8"))),
    ed25519: ed.testGroups,
    go: { vkey: goVkey, note: `${goText}\n${goSig}` },
  };
  const r = await page.evaluate(async (c) => {
    const A = await import("/audit.mjs");
    const b64 = (s) => Uint8Array.from(atob(s), (x) => x.charCodeAt(0));
    const hex = (s) => Uint8Array.from(s.match(/../g) || [], (x) => parseInt(x, 16));
    const bad = [];
    let n = 0;
    const code = async (p) => { try { await p; return null; } catch (e) { return e.code || String(e); } };
    for (const j of c.inclusion) {
      n++;
      const got = await code(A.verifyInclusion(b64(j.leafHash), BigInt(j.leafIdx), BigInt(j.treeSize), (j.proof || []).map(b64), b64(j.root)));
      if (j.wantErr ? got === null : got !== null) bad.push(`inclusion ${j.desc}: ${got}`);
    }
    for (const j of c.consistency) {
      n++;
      const got = await code(A.verifyConsistency(BigInt(j.size1), BigInt(j.size2), (j.proof || []).map(b64), b64(j.root1), b64(j.root2)));
      if (j.wantErr ? got === null : got !== null) bad.push(`consistency ${j.desc}: ${got}`);
    }
    for (const g of c.ed25519) {
      let key = null;
      try { key = await A.importEd25519(hex(g.publicKey.pk)); } catch (e) { if (e.code === "NoWebCrypto") return { bad: ["no Ed25519 in WebCrypto"], n, ua: navigator.userAgent }; }
      for (const tc of g.tests) {
        n++;
        const ok = key !== null && await A.ed25519Verify(key, hex(tc.sig), hex(tc.msg));
        if (tc.result === "valid" ? !ok : ok) bad.push(`ed25519 tcId ${tc.tcId}: ${tc.result}, verified ${ok}`);
      }
    }
    n++;
    const opened = await code(A.openNote(c.go.note, await A.parseVerifierKeys(c.go.vkey)));
    if (opened !== null) bad.push(`the Go note: ${opened}`);
    return { bad, n, ua: navigator.userAgent };
  }, cases);
  for (const b of r.bad) check(false, `in Chromium: ${b}`);
  check(r.n === inclusion.length + consistency.length + ed.numberOfTests + 1, `in Chromium: every vector ran (${r.n})`);
  passed += r.n - r.bad.length;
  console.log(`in ${r.ua.match(/HeadlessChrome\/[0-9.]+|Chrome\/[0-9.]+/)?.[0]}: ${r.n - r.bad.length} of ${r.n} vectors passed`);
} finally {
  await browser.close();
  server.close();
}

console.log(`audit_vectors_test: ${passed} checks passed (${inclusion.length + consistency.length} RFC 6962 files, ${edCount} Ed25519 tests, ${treeChecks} tree cases), ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
