// An error that no field explains: the node's message in the user's
// language when it sent one, and the request id to quote to the operator.
// Announced (role="alert").
import { Code } from "@connectrpc/connect";
import type { ApiError } from "../api";
import type { Lang } from "../i18n";
import { t } from "../i18n";

export function ErrorBox({ error, lang }: { error: ApiError | null; lang: Lang }) {
  if (!error) return null;
  const text = error.code === Code.Unavailable && !error.requestId
    ? t("unreachable", lang)
    : error.message;
  return (
    <div class="error-box" role="alert">
      <p><strong>{t("errorTitle", lang)}:</strong> {text}</p>
      {error.requestId && (
        <p>
          {t("requestId", lang)}: <code>{error.requestId}</code>
        </p>
      )}
    </div>
  );
}
