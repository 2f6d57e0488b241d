// Where the auditor gives the page the node's verifier key: pasted, or
// loaded from the file the operator gave her (`resguardod audit-key`
// output). Parsed and imported into WebCrypto at once; held in memory only.
import { useState } from "preact/hooks";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import { AuditProblem, isAuditProblem } from "../audit/problem";
import { setTrustedKeys, useTrustedKeys } from "../audit/trusted_keys";
import { parseVerifierKeys } from "../audit/verifier_key";
import { ProblemText } from "./audit_problem";

export function VerifierKeyLoader({ lang }: { lang: Lang }) {
  const keys = useTrustedKeys();
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<AuditProblem | null>(null);
  const [fileError, setFileError] = useState(false);

  const use = async (s: string) => {
    try {
      setTrustedKeys(await parseVerifierKeys(s));
      setProblem(null);
      setText("");
    } catch (e) {
      setProblem(isAuditProblem(e) ? e : new AuditProblem("VkeyMalformed", String(e)));
    }
  };

  if (keys.length) {
    return (
      <section class="vkey" aria-labelledby="vkey-title">
        <h3 id="vkey-title">{t("vkeyTitle", lang)}</h3>
        <p>{t("vkeyLoaded", lang)}:</p>
        <ul>
          {keys.map((k) => (
            <li key={k.text}>
              <code>{k.name}</code> — {t("vkeyKeyId", lang)} <code>{k.keyIdHex}</code>
            </li>
          ))}
        </ul>
        <button type="button" onClick={() => setTrustedKeys([])}>{t("vkeyForget", lang)}</button>
      </section>
    );
  }
  return (
    <section class="vkey" aria-labelledby="vkey-title">
      <h3 id="vkey-title">{t("vkeyTitle", lang)}</h3>
      <p>{t("vkeyNeeded", lang)}</p>
      <form onSubmit={(ev) => { ev.preventDefault(); use(text); }}>
        <div class={problem ? "field invalid" : "field"}>
          <label for="vkey-text">{t("vkeyPaste", lang)}</label>
          <textarea id="vkey-text" rows={3} value={text} spellcheck={false} autocomplete="off"
                    aria-invalid={problem ? "true" : undefined}
                    aria-describedby={problem ? "vkey-error" : undefined}
                    onInput={(ev) => setText(ev.currentTarget.value)} />
          <p class="field-error" id="vkey-error" aria-live="assertive" hidden={!problem}>
            {problem && <ProblemText problem={problem} lang={lang} />}
          </p>
        </div>
        <button type="submit" class="primary">{t("vkeyUse", lang)}</button>
        <div class="field">
          <label for="vkey-file">{t("vkeyFile", lang)}</label>
          <input id="vkey-file" type="file" accept=".vkey,.vkeys,.txt,text/plain"
                 aria-describedby={fileError ? "vkey-file-error" : undefined}
                 onChange={(ev) => {
                   const f = ev.currentTarget.files?.[0];
                   ev.currentTarget.value = "";
                   if (!f) return;
                   f.text().then((s) => { setFileError(false); use(s); }, () => setFileError(true));
                 }} />
          <p class="field-error" id="vkey-file-error" aria-live="assertive" hidden={!fileError}>
            {t("fileReadFailed", lang)}
          </p>
        </div>
      </form>
    </section>
  );
}
