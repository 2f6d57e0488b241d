// The rotation of the institution's key-encryption key (KEK), on the
// admin's users screen (AdminService.StartKeyRotation, GetKeyRotation): the
// latest rotation's progress, asked for again every second while it runs,
// and a button that starts a new one (with the latest one's etag, so that
// two admins do not start two). The node decides; a refusal is shown as it
// says it. Versions and counts only: no key leaves the node.
import { Code } from "@connectrpc/connect";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { useEffect, useState } from "preact/hooks";
import { client, toApiError } from "../api";
import type { ApiError } from "../api";
import { ErrorBox } from "../components/error_box";
import {
  AdminService,
  KeyRotationState,
  KeyRotationStateSchema,
} from "../gen/resguardo/v1/admin_service_pb";
import type { KeyRotation } from "../gen/resguardo/v1/admin_service_pb";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import { labelOf } from "../labels";

const admin = client(AdminService);
const POLL_MS = 1000;

export function KeyRotationPanel({ parent, lang }: { parent: string; lang: Lang }) {
  const [rotation, setRotation] = useState<KeyRotation | null | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async () => {
    try {
      setRotation(await admin.getKeyRotation({ name: `${parent}/keyRotations/-` }));
      setError(null);
    } catch (e) {
      const err = toApiError(e, lang);
      if (err.code === Code.NotFound) setRotation(null); else setError(err);
    }
  };
  useEffect(() => { load(); }, [parent]);
  const running = rotation?.state === KeyRotationState.RUNNING;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(load, POLL_MS);
    return () => clearInterval(timer);
  }, [running, parent]);

  const when = (r: KeyRotation, which: "start" | "finish") => {
    const ts = which === "start" ? r.startTime : r.finishTime;
    return ts ? timestampDate(ts).toLocaleString(lang === "es" ? "es-MX" : "en-US") : "";
  };

  return (
    <section class="subform" aria-labelledby="adm-keys-title">
      <h3 id="adm-keys-title">{t("admKeysTitle", lang)}</h3>
      <p class="hint">{t("admKeysIntro", lang)}</p>
      {rotation === undefined && !error && <p role="status">{t("loading", lang)}</p>}
      {rotation === null && <p>{t("admKeysNone", lang)}</p>}
      {rotation && (
        <dl class="key-rotation" aria-live="polite">
          <dt>{t("admKeysState", lang)}</dt>
          <dd>{labelOf(KeyRotationStateSchema, rotation.state, lang)}</dd>
          <dt>{t("admKeysVersions", lang)}</dt>
          <dd>{rotation.fromVersion} → {rotation.toVersion}</dd>
          <dt>{t("admKeysProgress", lang)}</dt>
          <dd>
            <progress max={Number(rotation.dataKeysTotal) || 1}
                      value={running ? Number(rotation.dataKeysRewrapped) : Number(rotation.dataKeysTotal) || 1}
                      aria-label={t("admKeysProgress", lang)} />{" "}
            <span>
              {t("admKeysRewrapped", lang)}: {String(rotation.dataKeysRewrapped)} / {String(rotation.dataKeysTotal)}
              {" · "}{t("admKeysRemaining", lang)}: {String(rotation.dataKeysRemaining)}
            </span>
          </dd>
          <dt>{t("admKeysStarted", lang)}</dt>
          <dd>{when(rotation, "start")}</dd>
          {!running && <><dt>{t("admKeysFinished", lang)}</dt><dd>{when(rotation, "finish")}</dd></>}
        </dl>
      )}
      <ErrorBox error={error} lang={lang} />
      <button type="button" disabled={busy || running || rotation === undefined} onClick={async () => {
        setBusy(true);
        setError(null);
        try {
          setRotation(await admin.startKeyRotation({ parent, etag: rotation?.etag ?? "" }));
        } catch (e) {
          setError(toApiError(e, lang));
        } finally {
          setBusy(false);
        }
      }}>{t("admKeysRotate", lang)}</button>
    </section>
  );
}
