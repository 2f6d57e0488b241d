// Reopening a closed case (supervisor): CaseService.ReopenCase with the
// case's etag. The case goes back to the status it had before the closure,
// which the node names as the one status it allows this caller now
// (Case.allowed_next_statuses); the case page offers this only then.
import { client } from "../api";
import { ErrorBox } from "../components/error_box";
import { CaseService } from "../gen/resguardo/v1/case_service_pb";
import type { Case } from "../gen/resguardo/v1/case_pb";
import { CaseStatusSchema } from "../gen/resguardo/v1/catalogues_pb";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import { labelOf } from "../labels";
import { useWrite } from "../forms/write";
import { staleAsConflict } from "./case_action";
import type { ActionDone } from "./case_action";

const cases = client(CaseService);

export function ReopenCase({ record, lang, onDone }: { record: Case; lang: Lang; onDone: ActionDone }) {
  const { failure, busy, run } = useWrite(lang, "");
  const back = record.allowedNextStatuses[0];
  const submit = async (ev: Event) => {
    ev.preventDefault();
    let stale = false;
    const ok = await run(new Map(), async () => {
      stale = await staleAsConflict(() => cases.reopenCase({ name: record.name, etag: record.etag }));
    });
    if (ok) await onDone(stale ? "conflict" : "reopened");
  };
  return (
    <form class="subform" onSubmit={submit} noValidate aria-labelledby="reopen-title">
      <h4 id="reopen-title">{t("reopenCase", lang)}</h4>
      <p id="reopen-hint">{t("reopenHint", lang)} <strong>{labelOf(CaseStatusSchema, back, lang)}</strong>.</p>
      <ErrorBox error={failure} lang={lang} />
      <button type="submit" aria-describedby="reopen-hint" aria-disabled={busy ? "true" : undefined}>
        {t("reopenCase", lang)}
      </button>
    </form>
  );
}
