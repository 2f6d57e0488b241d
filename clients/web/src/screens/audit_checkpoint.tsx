// The auditor's checkpoint screen: her verifier key, the node's latest
// signed checkpoint verified in this browser, saving it as a file, the
// consistency check against one she saved earlier, and (oversight
// auditors) the export of the whole log.
import { useEffect, useRef } from "preact/hooks";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import type { Me } from "../me";
import { can } from "../me";
import { ErrorBox } from "../components/error_box";
import { VerifierKeyLoader } from "../components/verifier_key_loader";
import { CheckpointFacts, CheckpointVerdict } from "../components/checkpoint_verdict";
import { AuditConsistency } from "../components/audit_consistency";
import { AuditExport } from "../components/audit_export";
import { useLatestCheckpoint } from "../audit/latest_checkpoint";
import { useTrustedKeys } from "../audit/trusted_keys";
import { downloadFile, revokeDownload } from "../download";

export function AuditCheckpoint({ me, lang }: { me: Me; lang: Lang }) {
  const keys = useTrustedKeys();
  const { response, verdict, error, refresh } = useLatestCheckpoint(keys, lang);
  const saved = useRef<string | null>(null);
  useEffect(() => () => revokeDownload(saved.current), []);
  const cp = response?.checkpoint;

  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">{t("auditTitle", lang)}</h2>
      <p>{t("auditIntro", lang)}</p>
      <VerifierKeyLoader lang={lang} />
      <section aria-labelledby="cp-title">
        <h3 id="cp-title">{t("cpLatest", lang)}</h3>
        <ErrorBox error={error} lang={lang} />
        {!response && !error && <p role="status">{t("loading", lang)}</p>}
        {response && (
          <>
            <CheckpointVerdict verdict={verdict} lang={lang} />
            <CheckpointFacts response={response} verdict={verdict} lang={lang} />
            <p class="actions">
              <button type="button" onClick={refresh}>{t("cpRefresh", lang)}</button>{" "}
              <button type="button" disabled={!cp} onClick={() => {
                revokeDownload(saved.current);
                saved.current = downloadFile([cp?.note ?? ""], "text/plain;charset=utf-8",
                  `resguardo-checkpoint-${cp?.treeSize ?? 0n}.txt`);
              }}>
                {t("cpSave", lang)}
              </button>
            </p>
            <p class="hint">{t("cpSaveHint", lang)}</p>
          </>
        )}
      </section>
      <AuditConsistency latest={verdict.state === "verified" ? verdict.checkpoint : null}
                        keys={keys} lang={lang} />
      {can.exportLog(me) && <AuditExport lang={lang} />}
    </section>
  );
}
