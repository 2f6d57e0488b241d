#!/usr/bin/env python3
"""An independent verifier of a Resguardo audit bundle, written from
docs/audit-log-format.md alone: no protobuf library, no code of the node.
It shows that the document is enough to write a verifier in another
language (tests/audit_integration_test.cc runs it on a real export).

    python3 docs/verify_bundle.py BUNDLE VKEY [VKEY...]

Exit 0 if the bundle verifies; 1 with "first bad index ..." or
"checkpoint ..." if not; 2 for a malformed file or key.
Needs the `cryptography` package (Debian: python3-cryptography) for Ed25519.
"""
import base64
import hashlib
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

MAGIC = b"resguardo-audit-bundle/v1\n"
ROTATION = "resguardo-key-rotation "


class Malformed(Exception):
    pass


def varint(buf, pos):
    value, shift = 0, 0
    while True:
        if pos >= len(buf) or shift > 63:
            raise Malformed("bad varint")
        b = buf[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, pos


def fields(buf):
    """Yields (number, wire type, value) of a protobuf message."""
    pos = 0
    while pos < len(buf):
        key, pos = varint(buf, pos)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise Malformed("field 0")
        if wire == 0:
            value, pos = varint(buf, pos)
        elif wire == 1:
            value, pos = buf[pos:pos + 8], pos + 8
        elif wire == 2:
            length, pos = varint(buf, pos)
            value, pos = buf[pos:pos + length], pos + length
        elif wire == 5:
            value, pos = buf[pos:pos + 4], pos + 4
        else:
            raise Malformed("wire type")
        if pos > len(buf):
            raise Malformed("truncated field")
        yield number, wire, value


def entry_index(entry):
    """The `index` of an AuditEntry (field 1), checking the strings are
    UTF-8 as proto3 requires; None if the bytes are not an AuditEntry."""
    index = 0
    try:
        for number, wire, value in fields(entry):
            if number == 1:
                if wire != 0:
                    return None
                index = value
            elif number in (3, 4, 6, 7, 10, 11, 12):
                if wire != 2:
                    return None
                value.decode("utf-8")
    except (Malformed, UnicodeDecodeError):
        return None
    return index


class Key:
    def __init__(self, vkey):
        # The name has no "+"; the base64 key may.
        name, key_id, b64 = vkey.split("+", 2)
        raw = base64.b64decode(b64, validate=True)
        if len(raw) != 33 or raw[0] != 1:
            raise Malformed("not an Ed25519 vkey")
        self.name, self.public = name, raw[1:]
        self.key_id = hashlib.sha256(
            name.encode() + b"\n" + b"\x01" + self.public).digest()[:4]
        if self.key_id.hex() != key_id:
            raise Malformed("key id does not match")
        self.verifier = Ed25519PublicKey.from_public_bytes(self.public)


def open_checkpoint(note, trusted, origin):
    """(size, root, extensions, ids of the keys whose signatures verified) of
    a note a trusted key signed, else None."""
    cut = note.rfind("\n\n")
    if cut < 0:
        return None
    text, signatures = note[:cut + 1], note[cut + 2:]
    verified = set()
    for line in signatures.split("\n"):
        if not line:
            continue
        if not line.startswith("\u2014 "):
            return None
        name, b64 = line[2:].rsplit(" ", 1)
        blob = base64.b64decode(b64)
        for key in trusted:
            if key.name == name and key.key_id == blob[:4]:
                try:
                    key.verifier.verify(blob[4:], text.encode())
                except InvalidSignature:
                    return None
                verified.add(key.key_id)
    lines = text.split("\n")[:-1]
    if not verified or len(lines) < 3 or lines[0] != origin:
        return None
    return int(lines[1]), base64.b64decode(lines[2]), lines[3:], verified


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


class CompactRange:
    def __init__(self):
        self.size, self.nodes = 0, []  # [(height, hash)], largest first

    def append(self, leaf):
        self.nodes.append((0, leaf))
        self.size += 1
        while len(self.nodes) > 1 and self.nodes[-1][0] == self.nodes[-2][0]:
            (h, right), (_, left) = self.nodes.pop(), self.nodes.pop()
            self.nodes.append((h + 1, node_hash(left, right)))

    def root(self):
        if not self.nodes:
            return hashlib.sha256(b"").digest()
        root = self.nodes[-1][1]
        for _, left in reversed(self.nodes[:-1]):
            root = node_hash(left, root)
        return root


def records(data):
    pos = len(MAGIC)
    while pos < len(data):
        length, pos = varint(data, pos)
        if pos + length > len(data):
            raise Malformed("truncated record")
        record = data[pos:pos + length]
        pos += length
        kinds = [(n, v) for n, _, v in fields(record)]
        if len(kinds) != 1:
            raise Malformed("a record holds one field")
        yield kinds[0]


def verify(path, vkeys):
    trusted = [Key(k) for k in vkeys]
    origin = trusted[0].name
    data = open(path, "rb").read()
    if not data.startswith(MAGIC):
        raise Malformed("bad magic line")
    recs = records(data)
    kind, header = next(recs)
    if kind != 1:
        raise Malformed("no header")
    total = dict((n, v) for n, _, v in fields(header)).get(2, 0)
    checkpoints, last, last_seq, entries = [], 0, 0, []
    current = None  # after a rotation: the key id that must sign
    for kind, value in recs:
        if kind == 2:
            if entries:
                raise Malformed("a checkpoint after the entries")
            cp = dict((n, v) for n, _, v in fields(value))
            opened = open_checkpoint(cp.get(3, b"").decode("utf-8"), trusted,
                                     origin)
            if opened is None or opened[0] < last:
                return "checkpoint %d does not verify" % cp.get(1, 0)
            if current is not None and current not in opened[3]:
                return ("checkpoint %d is not signed by the key its rotation "
                        "introduced" % cp.get(1, 0))
            if checkpoints and cp.get(1, 0) <= last_seq:
                raise Malformed("checkpoint out of order or repeated")
            last, last_seq = opened[0], cp.get(1, 0)
            rotations = [e for e in opened[2] if e.startswith(ROTATION)]
            if len(rotations) > 1:
                return "checkpoint %d introduces more than one key" % last_seq
            for ext in rotations:
                key = Key(ext[len(ROTATION):])
                if key.name != origin:
                    return ("checkpoint %d introduces a key of another "
                            "name" % last_seq)
                # The new key must sign the transition checkpoint; from then
                # on it alone makes a checkpoint valid.
                if open_checkpoint(cp.get(3, b"").decode("utf-8"), [key],
                                   origin) is None:
                    return ("the transition checkpoint %d is not signed by "
                            "the key it introduces" % last_seq)
                trusted.append(key)
                current = key.key_id
            checkpoints.append(opened[:2])
        elif kind == 3:
            entries.append(value)
        else:
            raise Malformed("unexpected record")
    tree, good, nxt = CompactRange(), 0, 0

    def check_roots():
        nonlocal good, nxt
        while nxt < len(checkpoints) and checkpoints[nxt][0] == tree.size:
            size, root = checkpoints[nxt]
            if tree.root() != root:
                if size - good == 1:
                    return "first bad index %d" % good
                return "first bad index in [%d, %d)" % (good, size)
            good, nxt = size, nxt + 1
        return None

    problem = check_roots()
    for i, entry in enumerate(entries):
        if problem:
            return problem
        if i >= total or entry_index(entry) != i:
            return "first bad index %d" % i
        tree.append(hashlib.sha256(b"\x00" + entry).digest())
        problem = check_roots()
    if problem:
        return problem
    if len(entries) < total:
        return "first bad index %d" % len(entries)
    if not checkpoints:
        return "no checkpoint"
    print("OK entries=%d checkpoints=%d verified_size=%d" %
          (len(entries), len(checkpoints), good))
    return None


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        problem = verify(sys.argv[1], sys.argv[2:])
    except (Malformed, ValueError, OSError) as e:
        print("malformed: %s" % e, file=sys.stderr)
        return 2
    if problem:
        print("FAIL %s" % problem)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
