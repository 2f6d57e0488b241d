// For auditors of an oversight body: the whole log as an offline bundle
// (ExportLog pages at one fixed tree size, put together in the browser,
// docs/audit-log-format.md §5), downloaded as a file, with a progress bar on
// long logs. A stopped or failed export leaves no file.
import { useEffect, useRef, useState } from "preact/hooks";
import type { AuditSigningKey, ExportLogResponse, SignedCheckpoint } from "../gen/resguardo/v1/audit_service_pb";
import type { Lang } from "../i18n";
import { t, tf } from "../i18n";
import { toApiError } from "../api";
import type { ApiError } from "../api";
import { bundleParts } from "../audit/bundle";
import { downloadFile, revokeDownload } from "../download";
import { audit } from "../audit/latest_checkpoint";
import { ErrorBox } from "./error_box";

const PAGE = 1000;

interface Progress { done: bigint; total: bigint }
interface Done { url: string; file: string; entries: bigint; checkpoints: number }

export function AuditExport({ lang }: { lang: Lang }) {
  const [progress, setProgress] = useState<Progress | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [stopped, setStopped] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const stop = useRef(false);
  const url = useRef<string | null>(null);
  const running = progress !== null && done === null && !stopped && !error;

  // Leaving the page stops an export and drops the file from memory.
  useEffect(() => () => { stop.current = true; revokeDownload(url.current); }, []);

  const run = async () => {
    revokeDownload(url.current);
    url.current = null;
    setDone(null);
    setError(null);
    setStopped(false);
    stop.current = false;
    setProgress({ done: 0n, total: 0n });
    const entries: Uint8Array[] = [];
    const checkpoints: SignedCheckpoint[] = [];
    let first: ExportLogResponse | null = null;
    let treeSize = 0n;
    let next = 0n;
    try {
      for (;;) {
        const page = await audit.exportLog({ treeSize, startIndex: next, pageSize: PAGE });
        if (stop.current) {
          setStopped(true);
          return;
        }
        if (!first) {
          first = page;
          treeSize = page.treeSize;
        }
        checkpoints.push(...page.checkpoints);
        entries.push(...page.entries);
        setProgress({ done: page.nextIndex, total: page.treeSize });
        const last = page.nextIndex >= page.treeSize || page.nextIndex <= next;
        next = page.nextIndex;
        if (last) break;
      }
    } catch (e) {
      setError(toApiError(e, lang));
      return;
    }
    const keys: AuditSigningKey[] = first?.keys ?? [];
    const file = `resguardo-audit-${treeSize}.bundle`;
    url.current = downloadFile(bundleParts({
      origin: first?.origin ?? "", treeSize, keys, checkpoints, entries, exportTime: new Date(),
    }), "application/octet-stream", file);
    setDone({ url: url.current, file, entries: BigInt(entries.length), checkpoints: checkpoints.length });
  };

  return (
    <section aria-labelledby="export-title">
      <h3 id="export-title">{t("exportTitle", lang)}</h3>
      <p>{t("exportIntro", lang)}</p>
      <button type="button" class="primary" disabled={running} onClick={run}>{t("exportStart", lang)}</button>
      {running && (
        <> <button type="button" onClick={() => { stop.current = true; }}>{t("exportCancel", lang)}</button></>
      )}
      {progress && progress.total > 0n && (
        <div class="field">
          <label for="export-progress">{t("exportProgress", lang)}</label>
          <progress id="export-progress" max={Number(progress.total)} value={Number(progress.done)} />
          <span role="status"> {String(progress.done)} / {String(progress.total)}</span>
        </div>
      )}
      <ErrorBox error={error} lang={lang} />
      {stopped && <p role="status">{t("exportStopped", lang)}</p>}
      {done && (
        <p role="status" data-export="done">
          {tf("exportDone", lang, { n: done.entries, c: done.checkpoints, f: done.file })}{" "}
          <a href={done.url} download={done.file}>{t("exportAgain", lang)}</a>
        </p>
      )}
    </section>
  );
}
