// The supervisor's actions on a case page: close it (with a reason),
// reopen it, erase its personal data. Offered by what the node says this
// caller may do: closing when CLOSED is among the case's
// allowed_next_statuses, reopening when the case is closed and the node
// names the status it goes back to, erasing when her roles allow it
// (me.ts can.erase) and the data is still there. A caseworker's page gets
// none of these (the node lists no CLOSED for her and no reopening). Closing
// and erasing open their form from a button, one at a time.
import { useEffect, useState } from "preact/hooks";
import type { Case } from "../gen/resguardo/v1/case_pb";
import { CaseStatus } from "../gen/resguardo/v1/catalogues_pb";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import type { Me } from "../me";
import { can } from "../me";
import { idOf } from "../forms/inputs";
import type { ActionDone } from "./case_action";
import { CloseCase } from "./close_case";
import { EraseCase } from "./erase_case";
import { ReopenCase } from "./reopen_case";

export function Supervision({ me, record, lang, onDone }: {
  me: Me;
  record: Case;
  lang: Lang;
  onDone: ActionDone;
}) {
  const [open, setOpen] = useState<"close" | "erase" | null>(null);
  const [cancelled, setCancelled] = useState<"close" | "erase" | null>(null);
  // A new version of the case (after any write) closes an open form.
  useEffect(() => setOpen(null), [record.etag]);
  useEffect(() => {
    // The opened form's first field takes the focus; a cancelled form
    // gives it back to the button that opened it.
    if (open) document.getElementById(idOf("reason"))?.focus();
    else if (cancelled) document.getElementById(`open-${cancelled}`)?.focus();
  }, [open, cancelled]);
  const closed = record.descriptors?.status === CaseStatus.CLOSED;
  const mayClose = !closed && record.allowedNextStatuses.includes(CaseStatus.CLOSED);
  const mayReopen = closed && record.allowedNextStatuses.length > 0;
  const mayErase = can.erase(me) && !record.personalDataErased;
  if (!mayClose && !mayReopen && !mayErase) return null;
  const show = (which: "close" | "erase") => { setCancelled(null); setOpen(which); };
  const cancel = () => { setCancelled(open); setOpen(null); };
  return (
    <section aria-labelledby="supervision-title">
      <h3 id="supervision-title">{t("supervisionTitle", lang)}</h3>
      {mayReopen && <ReopenCase record={record} lang={lang} onDone={onDone} />}
      {open === null && (
        <p class="actions">
          {mayClose && (
            <button type="button" id="open-close" onClick={() => show("close")}>{t("closeStart", lang)}</button>
          )}{" "}
          {mayErase && (
            <button type="button" id="open-erase" class="danger" onClick={() => show("erase")}>
              {t("eraseStart", lang)}
            </button>
          )}
        </p>
      )}
      {open === "close" && mayClose && <CloseCase record={record} lang={lang} onDone={onDone} onCancel={cancel} />}
      {open === "erase" && mayErase && <EraseCase record={record} lang={lang} onDone={onDone} onCancel={cancel} />}
    </section>
  );
}
