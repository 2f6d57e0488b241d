// The offline bundle of the audit log (docs/audit-log-format.md §5), put
// together in the browser from ExportLog pages: the magic line, then
// records, each the varint length of a serialized AuditBundleRecord and
// those bytes: one header, every checkpoint in signing order, every entry's
// stored bytes in index order. `resguardo audit verify` reads it.
import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { AuditBundleHeader, SignedCheckpoint } from "../gen/resguardo/v1/audit_service_pb";
import { AuditBundleHeaderSchema, AuditBundleRecordSchema } from "../gen/resguardo/v1/audit_service_pb";
import type { AuditSigningKey } from "../gen/resguardo/v1/audit_service_pb";
import { bufferSource, utf8 } from "./bytes";

export const BUNDLE_MAGIC = "resguardo-audit-bundle/v1\n";

function varint(n: number): Uint8Array {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return Uint8Array.from(out);
}

type Record = AuditBundleHeader | SignedCheckpoint | Uint8Array;

function record(r: Record): Uint8Array[] {
  const msg = create(AuditBundleRecordSchema, {
    record: r instanceof Uint8Array
      ? { case: "entry", value: r }
      : r.$typeName === "resguardo.v1.AuditBundleHeader"
        ? { case: "header", value: r }
        : { case: "checkpoint", value: r },
  });
  const bytes = toBinary(AuditBundleRecordSchema, msg);
  return [varint(bytes.length), bytes];
}

// The bundle's parts, ready for a Blob: no copy of the whole log is made.
export function bundleParts(b: {
  origin: string;
  treeSize: bigint;
  keys: AuditSigningKey[];
  checkpoints: SignedCheckpoint[];
  entries: Uint8Array[];
  exportTime: Date;
}): Uint8Array<ArrayBuffer>[] {
  const header = create(AuditBundleHeaderSchema, {
    origin: b.origin,
    treeSize: b.treeSize,
    keys: b.keys,
    exportTime: timestampFromDate(b.exportTime),
  });
  return [
    utf8(BUNDLE_MAGIC),
    ...record(header),
    ...b.checkpoints.flatMap(record),
    ...b.entries.flatMap(record),
  ].map(bufferSource);
}
