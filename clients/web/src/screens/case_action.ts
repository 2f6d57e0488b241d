// What the supervisor's actions on a case (close, reopen, erase) share:
// each is sent with the etag of the version on screen, and a stale one
// (ABORTED: someone changed the case meanwhile) is not an error of the
// form but a conflict: the page reads the case again and says so.
import { Code, ConnectError } from "@connectrpc/connect";
import type { TextKey } from "../i18n";

export type ActionOutcome = "closed" | "reopened" | "erased" | "conflict";
export type ActionDone = (outcome: ActionOutcome) => Promise<void>;

// Runs `call`; true if the node answered ABORTED, false if it succeeded;
// any other refusal is thrown on (forms/write.ts shows it).
export async function staleAsConflict(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return false;
  } catch (e) {
    if (ConnectError.from(e).code === Code.Aborted) return true;
    throw e;
  }
}

// What the page says after each outcome.
export const outcomeText = {
  closed: "closed",
  reopened: "reopened",
  erased: "erasedNow",
  conflict: "actionConflict",
} as const satisfies Record<ActionOutcome, TextKey>;
