// One write of a form: the client's own checks first (shown and focused),
// then the call with the form's request id (AIP-155), kept in memory until
// the write is known to be done or refused so that a double submit or a
// retry after a lost answer writes once; the node's field violations beside
// their fields, any other refusal with its request id.
import { useRef, useState } from "preact/hooks";
import { newRequestId, outcomeUnknown, toApiError } from "../api";
import type { ApiError } from "../api";
import type { Lang, TextKey } from "../i18n";
import { focusFirstError, localErrors, nodeErrors } from "./errors";

// `prefix`: the request's path to the form's message ("case_record."), cut
// from the node's field paths; `indexed`: the lists the form shows one block
// per element, whose errors keep the element's index (formField).
export function useWrite(lang: Lang, prefix: string, indexed: readonly string[] = []) {
  const [errors, setErrors] = useState(new Map<string, string>());
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const requestId = useRef(newRequestId());
  const sending = useRef(false);

  // True when the call was made and answered.
  const run = async (local: Map<string, TextKey>,
                     call: (requestId: string) => Promise<unknown>): Promise<boolean> => {
    if (sending.current) return false;  // a double click: the first goes on
    const shown = localErrors(local, lang);
    setErrors(shown);
    setFailure(null);
    if (local.size) {
      focusFirstError(shown);
      return false;
    }
    sending.current = true;
    setBusy(true);
    try {
      await call(requestId.current);
      requestId.current = newRequestId();
      return true;
    } catch (e) {
      const err = toApiError(e, lang);
      // Refused: nothing was written, the next attempt is a new request.
      // Unknown outcome: a retry must be the same request.
      if (!outcomeUnknown(err)) requestId.current = newRequestId();
      const fields = nodeErrors(err, prefix, indexed);
      setErrors(fields);
      setFailure(fields.size ? null : err);
      focusFirstError(fields);
      return false;
    } finally {
      sending.current = false;
      setBusy(false);
    }
  };
  // When the form's blocks change (one removed), errors by index would
  // land beside another block's fields: they go.
  const clear = () => setErrors(new Map());
  return { errors, failure, busy, run, clear };
}
