// The verifier keys the auditor loaded, held in this page's memory only
// (never in browser storage): shared by the auditor's screens while she
// moves between them, gone on reload or when she removes them.
import { useEffect, useState } from "preact/hooks";
import type { VerifierKey } from "./verifier_key";

let trusted: VerifierKey[] = [];
const listeners = new Set<(k: VerifierKey[]) => void>();

export function setTrustedKeys(keys: VerifierKey[]): void {
  trusted = keys;
  for (const l of listeners) l(trusted);
}

export function useTrustedKeys(): VerifierKey[] {
  const [keys, setKeys] = useState(trusted);
  useEffect(() => {
    listeners.add(setKeys);
    setKeys(trusted);
    return () => { listeners.delete(setKeys); };
  }, []);
  return keys;
}
