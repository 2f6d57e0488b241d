// The node's API as the browser reaches it: the Connect protocol, JSON, on
// the page's own origin (the node's HTTPS listener), with the browser's
// client certificate as the only credential. Nothing else identifies the
// user: no token, no cookie.
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import type { Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import type { DescService } from "@bufbuild/protobuf";
import {
  BadRequestSchema,
  LocalizedMessageSchema,
} from "./gen/google/rpc/error_details_pb";
import type { Lang } from "./i18n";

// The language the node answers errors in (its LocalizedMessage and field
// violations): the page's, not the browser's, so a switch takes effect on
// the next call.
let apiLanguage: Lang = "es";
export function setApiLanguage(lang: Lang): void {
  apiLanguage = lang;
}

const transport = createConnectTransport({
  baseUrl: window.location.origin,
  useBinaryFormat: false,
  interceptors: [
    (next) => async (req) => {
      req.header.set("Accept-Language", apiLanguage);
      return next(req);
    },
  ],
  // Never sent anywhere but the node; the certificate does the rest.
  fetch: (input, init) =>
    globalThis.fetch(input, { ...init, credentials: "same-origin" }),
});

export function client<S extends DescService>(service: S): Client<S> {
  return createClient(service, transport);
}

// A refusal as a screen shows it: the code, the text in the user's
// language when the node sent one, the field violations by field path
// (shown beside the field), and the request id to quote to the operator.
export interface ApiError {
  code: Code;
  message: string;
  fields: Map<string, string>;
  requestId: string;
}

export function toApiError(e: unknown, lang: Lang): ApiError {
  const err = ConnectError.from(e);
  const localized = err
    .findDetails(LocalizedMessageSchema)
    .find((m) => m.locale.startsWith(lang));
  const fields = new Map<string, string>();
  for (const br of err.findDetails(BadRequestSchema)) {
    for (const v of br.fieldViolations) fields.set(v.field, v.description);
  }
  return {
    code: err.code,
    message: localized?.message ?? err.rawMessage,
    fields,
    requestId: err.metadata.get("x-request-id") ?? "",
  };
}

// A new idempotency key (AIP-155) for one write: a form keeps it in memory
// until the write is known to be done, so that a double click or a retry
// after a lost answer writes once.
export function newRequestId(): string {
  return crypto.randomUUID();
}

// True when a write may have happened although no answer came (the
// connection dropped, the deadline passed): a retry must reuse its request
// id. False for a refusal: nothing was written.
export function outcomeUnknown(e: ApiError): boolean {
  return e.code === Code.Unavailable || e.code === Code.DeadlineExceeded ||
    e.code === Code.Unknown || e.code === Code.Internal || e.code === Code.Canceled;
}
