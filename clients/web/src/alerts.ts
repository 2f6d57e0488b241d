// The institution's alerts: the recent ones (ListAlerts, newest first),
// then every later one live from WatchAlerts, resumed after the last one
// seen (its resume token) when the stream ends — a node restart, a network
// drop — so that none is lost or repeated (alerts are kept by sequence).
// Where the node does not serve the stream to browsers, the list is read
// again every POLL_MS instead. Alerts carry no personal data.
import { Code } from "@connectrpc/connect";
import { useEffect, useState } from "preact/hooks";
import { client, toApiError } from "./api";
import { ReferralService } from "./gen/resguardo/v1/referral_service_pb";
import type { Alert } from "./gen/resguardo/v1/referral_service_pb";
import type { Lang } from "./i18n";

const referrals = client(ReferralService);
const POLL_MS = 5000;
const RETRY_MS = 2000;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((r) => {
    const id = setTimeout(r, ms);
    signal.addEventListener("abort", () => { clearTimeout(id); r(); }, { once: true });
  });

function merge(known: Alert[], more: Alert[]): Alert[] {
  const by = new Map(known.map((a) => [a.sequence, a]));
  for (const a of more) by.set(a.sequence, a);
  return [...by.values()].sort((a, b) => (b.sequence > a.sequence ? 1 : -1));
}

export function useAlerts(parent: string | null, lang: Lang) {
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [live, setLive] = useState(false);
  useEffect(() => {
    if (!parent) return;
    const stop = new AbortController();
    (async () => {
      let token = "";
      let streaming = true;
      // The stream opened once (its headers came): a later failure is a
      // drop to resume from, not a node that does not serve it.
      let opened = false;
      while (!stop.signal.aborted) {
        try {
          if (!token || !streaming) {
            const page = await referrals.listAlerts({ parent, pageSize: 50 }, { signal: stop.signal });
            setAlerts((a) => merge(a, page.alerts));
            token = page.resumeToken;
          }
          if (!streaming) { await sleep(POLL_MS, stop.signal); continue; }
          const stream = referrals.watchAlerts({ parent, resumeToken: token },
            { signal: stop.signal, onHeader: () => { opened = true; setLive(true); } });
          for await (const a of stream) {
            setAlerts((x) => merge(x, [a]));
            token = a.resumeToken;
          }
        } catch (e) {
          if (stop.signal.aborted) return;
          const err = toApiError(e, lang);
          setLive(false);
          // Never opened (not served to browsers by this node: 501): read
          // the list again from time to time instead.
          if (!opened || err.code === Code.Unimplemented) streaming = false;
          else await sleep(RETRY_MS, stop.signal);
        }
      }
    })();
    return () => stop.abort();
  }, [parent]);
  return { alerts, live };
}
