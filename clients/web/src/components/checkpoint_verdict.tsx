// The verdict on the node's latest checkpoint, said plainly: verifies, does
// not verify (and why), or cannot be verified without a key. The values
// shown as facts are the ones the verified signature covers.
import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { GetCheckpointResponse } from "../gen/resguardo/v1/audit_service_pb";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import { toBase64 } from "../audit/bytes";
import type { Verdict } from "../audit/latest_checkpoint";
import { ProblemText } from "./audit_problem";

export function CheckpointVerdict({ verdict, lang }: { verdict: Verdict; lang: Lang }) {
  switch (verdict.state) {
    case "nokey":
      return <p class="verdict none">{t("cpUnverified", lang)}</p>;
    case "verifying":
      return <p class="verdict none" role="status">{t("cpVerifying", lang)}</p>;
    case "verified":
      return (
        <div class="verdict ok" role="status" data-verdict="verified">
          <p><strong><span aria-hidden="true">✔ </span>{t("cpVerifies", lang)}</strong></p>
          <p>{t("cpVerifiesDetail", lang)}</p>
        </div>
      );
    case "failed":
      return (
        <div class="verdict bad" role="alert" data-verdict="failed">
          <p><strong><span aria-hidden="true">✘ </span>{t("cpFails", lang)}</strong></p>
          <p><ProblemText problem={verdict.problem} lang={lang} /></p>
          <p>{t("cpFailsDetail", lang)}</p>
        </div>
      );
  }
}

export function CheckpointFacts({ response, verdict, lang }: {
  response: GetCheckpointResponse;
  verdict: Verdict;
  lang: Lang;
}) {
  const cp = response.checkpoint;
  const v = verdict.state === "verified" ? verdict.checkpoint : null;
  return (
    <>
      {v && (
        <dl class="facts">
          <div><dt>{t("cpOrigin", lang)}</dt><dd><code>{v.origin}</code></dd></div>
          <div><dt>{t("cpSize", lang)}</dt><dd data-testid="cp-size">{String(v.size)}</dd></div>
          <div><dt>{t("cpRoot", lang)}</dt><dd><code class="hash">{toBase64(v.root)}</code></dd></div>
          <div><dt>{t("cpSignedBy", lang)}</dt><dd>{v.verifiedBy.map((k) => `${k.name} (${k.keyIdHex})`).join(", ")}</dd></div>
          <div><dt>{t("cpSeq", lang)}</dt><dd>{String(cp?.seq ?? "")}</dd></div>
          <div><dt>{t("cpSigned", lang)}</dt><dd>{cp?.signTime ? timestampDate(cp.signTime).toLocaleString(lang === "es" ? "es-MX" : "en-US") : ""}</dd></div>
        </dl>
      )}
      <details>
        <summary>{t("cpNote", lang)}</summary>
        <pre class="note">{cp?.note ?? ""}</pre>
      </details>
    </>
  );
}
