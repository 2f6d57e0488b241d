// The consistency check between a checkpoint the auditor saved earlier
// (pasted, or loaded from its file; never kept by the browser) and the
// latest verified one: the proof is fetched and verified here.
import { useState } from "preact/hooks";
import type { Lang } from "../i18n";
import { t, tf } from "../i18n";
import { checkSavedCheckpoint } from "../audit/consistency";
import type { VerifiedCheckpoint } from "../audit/checkpoint";
import { audit } from "../audit/latest_checkpoint";
import { AuditProblem, isAuditProblem } from "../audit/problem";
import type { VerifierKey } from "../audit/verifier_key";
import { toApiError } from "../api";
import type { ApiError } from "../api";
import { ErrorBox } from "./error_box";
import { ProblemText } from "./audit_problem";

type Result = { ok: true; old: bigint } | { ok: false; problem: AuditProblem } | null;

export function AuditConsistency({ latest, keys, lang }: {
  latest: VerifiedCheckpoint | null;
  keys: VerifierKey[];
  lang: Lang;
}) {
  const [saved, setSaved] = useState("");
  const [result, setResult] = useState<Result>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [fileError, setFileError] = useState(false);

  const run = async (text: string) => {
    if (!latest) return;
    setBusy(true);
    setResult(null);
    setError(null);
    try {
      const old = await checkSavedCheckpoint(text, latest, keys, async (oldSize, newSize) =>
        (await audit.getConsistencyProof({ oldSize, newSize })).hashes);
      setResult({ ok: true, old: old.size });
    } catch (e) {
      if (isAuditProblem(e)) setResult({ ok: false, problem: e });
      else setError(toApiError(e, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="cons-title">
      <h3 id="cons-title">{t("consTitle", lang)}</h3>
      <p>{t("consIntro", lang)}</p>
      {!latest && <p class="hint">{t("consNeedLatest", lang)}</p>}
      <form onSubmit={(ev) => { ev.preventDefault(); run(saved); }}>
        <div class="field">
          <label for="cons-text">{t("consPaste", lang)}</label>
          <textarea id="cons-text" rows={5} value={saved} spellcheck={false} autocomplete="off"
                    onInput={(ev) => setSaved(ev.currentTarget.value)} />
        </div>
        <button type="submit" disabled={!latest || busy || !saved.trim()}>{t("consCheck", lang)}</button>
        <div class="field">
          <label for="cons-file">{t("consFile", lang)}</label>
          <input id="cons-file" type="file" accept=".txt,text/plain" disabled={!latest || busy}
                 aria-describedby={fileError ? "cons-file-error" : undefined}
                 onChange={(ev) => {
                   const f = ev.currentTarget.files?.[0];
                   ev.currentTarget.value = "";
                   if (!f) return;
                   f.text().then((s) => { setFileError(false); setSaved(s); run(s); }, () => setFileError(true));
                 }} />
          <p class="field-error" id="cons-file-error" aria-live="assertive" hidden={!fileError}>
            {t("fileReadFailed", lang)}
          </p>
        </div>
      </form>
      <ErrorBox error={error} lang={lang} />
      {result && result.ok && latest && (
        <div class="verdict ok" role="status" data-verdict="consistent">
          <p><strong><span aria-hidden="true">✔ </span>{t("consOk", lang)}</strong></p>
          <p>{tf("consSizes", lang, { old: result.old, new: latest.size })}</p>
        </div>
      )}
      {result && !result.ok && (
        <div class="verdict bad" role="alert" data-verdict="inconsistent">
          <p><strong><span aria-hidden="true">✘ </span>{t("consFails", lang)}</strong></p>
          <p><ProblemText problem={result.problem} lang={lang} /></p>
        </div>
      )}
    </section>
  );
}
