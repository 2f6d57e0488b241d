// Why a verification failed, in the user's language, with its precise
// detail (sizes, indices, key ids; never an entry's content).
import type { Lang, TextKey } from "../i18n";
import { t } from "../i18n";
import type { AuditProblem } from "../audit/problem";

export function ProblemText({ problem, lang }: { problem: AuditProblem; lang: Lang }) {
  return (
    <>
      {t(`ap${problem.code}` as TextKey, lang)}
      {problem.detail && <> ({t("apDetail", lang)}: <code>{problem.detail}</code>)</>}
    </>
  );
}
