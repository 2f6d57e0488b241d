// SHA-256 through WebCrypto (crypto.subtle), the only hash the audit log
// uses: no JavaScript hash implementation is shipped.
import { bufferSource } from "./bytes";
import { AuditProblem } from "./problem";

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  if (!globalThis.crypto?.subtle) throw new AuditProblem("NoWebCrypto", "SHA-256");
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bufferSource(data)));
}
