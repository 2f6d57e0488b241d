// The related-case hint of a case page (GetRelatedCases), asked only once
// personal data is shown, under the purpose declared for it (the node
// audits it as a read of personal data): whether another case of hers is at
// this institution, how many other public authorities hold one, and — only
// when the node's answer has them (her consent to coordination) — which
// institutions, with the other case's status and dates. Never a folio.
import { useEffect, useState } from "preact/hooks";
import { client, toApiError } from "../api";
import type { ApiError } from "../api";
import { ErrorBox } from "../components/error_box";
import { CaseService } from "../gen/resguardo/v1/case_service_pb";
import type { RelatedCases } from "../gen/resguardo/v1/case_service_pb";
import { CaseStatusSchema } from "../gen/resguardo/v1/catalogues_pb";
import type { Lang } from "../i18n";
import { t, tf } from "../i18n";
import { labelOf } from "../labels";
import { formatDate } from "../forms/dates";

const cases = client(CaseService);

export function RelatedHint({ name, purpose, lang }: { name: string; purpose: number; lang: Lang }) {
  const [answer, setAnswer] = useState<RelatedCases | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let live = true;
    setAnswer(null);
    cases.getRelatedCases({ name, purpose }).then(
      (a) => { if (live) { setAnswer(a); setError(null); } },
      (e) => { if (live) setError(toApiError(e, lang)); });
    return () => { live = false; };
  }, [name, purpose]);
  if (error) return <ErrorBox error={error} lang={lang} />;
  if (!answer) return null;
  const day = (ts?: { seconds: bigint }) => ts ? new Date(Number(ts.seconds) * 1000).toISOString().slice(0, 10) : "";
  return (
    <section aria-labelledby="related-title" class="related">
      <h4 id="related-title">{t("relatedTitle", lang)}</h4>
      {answer.relatedCaseAtOwnInstitution && <p>{t("relatedOwn", lang)}</p>}
      <p>{tf("relatedCount", lang, { n: answer.otherInstitutionsCaseCount })}</p>
      {answer.relatedCases.length > 0 && (
        <ul>
          {answer.relatedCases.map((r, i) => (
            <li key={i}>
              {tf("relatedLine", lang, {
                institution: r.institutionDisplayName,
                status: labelOf(CaseStatusSchema, r.status, lang),
                reported: formatDate(r.reportedDate),
                updated: day(r.updateTime),
              })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
