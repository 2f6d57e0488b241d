// The node's latest signed checkpoint as the auditor's screens use it:
// fetched (GetCheckpoint, with refresh on request) and its note verified in
// the browser under the keys she loaded — never under the keys the node
// reports about itself. The verdict is one of: no key yet, verifying,
// verified (the checkpoint), or a problem.
import { useEffect, useState } from "preact/hooks";
import { client, toApiError } from "../api";
import type { ApiError } from "../api";
import { AuditService } from "../gen/resguardo/v1/audit_service_pb";
import type { GetCheckpointResponse } from "../gen/resguardo/v1/audit_service_pb";
import type { Lang } from "../i18n";
import { openCheckpoint } from "./checkpoint";
import type { VerifiedCheckpoint } from "./checkpoint";
import { AuditProblem, isAuditProblem } from "./problem";
import type { VerifierKey } from "./verifier_key";

export const audit = client(AuditService);

export type Verdict =
  | { state: "nokey" }
  | { state: "verifying" }
  | { state: "verified"; checkpoint: VerifiedCheckpoint }
  | { state: "failed"; problem: AuditProblem };

export async function verdictOf(note: string, keys: VerifierKey[]): Promise<Verdict> {
  if (keys.length === 0) return { state: "nokey" };
  try {
    return { state: "verified", checkpoint: await openCheckpoint(note, keys, { newest: true }) };
  } catch (e) {
    if (isAuditProblem(e)) return { state: "failed", problem: e };
    return { state: "failed", problem: new AuditProblem("NoteMalformed", String(e)) };
  }
}

export function useLatestCheckpoint(keys: VerifierKey[], lang: Lang) {
  const [response, setResponse] = useState<GetCheckpointResponse | null>(null);
  const [verdict, setVerdict] = useState<Verdict>({ state: "nokey" });
  const [error, setError] = useState<ApiError | null>(null);
  const [asks, setAsks] = useState(0);

  useEffect(() => {
    let live = true;
    // The first load asks for a refresh too, so that the entries the
    // auditor just listed are (within the node's rate limit) covered.
    audit.getCheckpoint({ refresh: true }).then((r) => {
      if (!live) return;
      setResponse(r);
      setError(null);
    }, (e) => live && setError(toApiError(e, lang)));
    return () => { live = false; };
  }, [asks]);

  useEffect(() => {
    let live = true;
    const note = response?.checkpoint?.note;
    if (note === undefined) return;
    setVerdict({ state: keys.length ? "verifying" : "nokey" });
    verdictOf(note, keys).then((v) => live && setVerdict(v));
    return () => { live = false; };
  }, [response, keys]);

  return { response, verdict, error, refresh: () => setAsks(asks + 1) };
}
