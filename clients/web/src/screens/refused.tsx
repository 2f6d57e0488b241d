// A screen the user's roles do not offer, reached by a hand-typed address:
// the client does not decide alone. It asks the node the screen's own read
// (refusal_probes.ts) and shows the node's refusal (PERMISSION_DENIED, or
// NOT_FOUND for another institution's record) in the user's language,
// with its request id. Whatever the node might answer is never shown: if
// it answers at all, the page says only that her roles do not offer the
// screen. A path with no probe gets that text without a call.
import { useEffect, useState } from "preact/hooks";
import { toApiError } from "../api";
import type { ApiError } from "../api";
import { ErrorBox } from "../components/error_box";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import type { Me } from "../me";
import { probeFor } from "./refusal_probes";

export function Refused({ path, me, lang }: { path: string; me: Me; lang: Lang }) {
  const [refusal, setRefusal] = useState<ApiError | null>(null);
  const [asked, setAsked] = useState(false);
  useEffect(() => {
    let live = true;
    setRefusal(null);
    setAsked(false);
    const probe = probeFor(path, me);
    if (!probe) { setAsked(true); return; }
    // The answer, if any, is dropped unread.
    probe().then(
      () => { if (live) setAsked(true); },
      (e) => { if (live) { setRefusal(toApiError(e, lang)); setAsked(true); } });
    return () => { live = false; };
  }, [path, lang]);
  return (
    <section aria-labelledby="refused-title">
      <h2 id="refused-title">{t("refusedTitle", lang)}</h2>
      {!asked ? <p role="status">{t("loading", lang)}</p> : refusal ? (
        <>
          <p>{t("refusedIntro", lang)}</p>
          <ErrorBox error={refusal} lang={lang} />
        </>
      ) : <p role="alert">{t("noAccess", lang)}</p>}
    </section>
  );
}
