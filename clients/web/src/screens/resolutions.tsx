// A political-violence case's resolutions on its case page: each with its
// authority, file number, date, outcome, sanctioned persons by number (never
// by name) with qualification, sanctions and term, appeals, final date and
// reparation measures with due date and compliance. Caseworkers and
// supervisors of the case's own institution get the forms: record a
// resolution (offered when the node's rule, resolution_rules.cc, takes
// one: SENT_TO_COURT without one, or APPEALED after a revoking or remanding
// decision), file or decide an appeal of the current one, declare it final
// (supervisors, only when the node would allow it), and a reparation
// measure's compliance.
import { useState } from "preact/hooks";
import type { Case, Resolution, SanctionedPerson } from "../gen/resguardo/v1/case_pb";
import {
  AppealOutcome, AppealOutcomeSchema, CaseKind, CaseStatus, FaultQualificationSchema, ReparationComplianceStatusSchema,
  ReparationMeasureKindSchema, ResolutionOutcomeSchema, Role, SanctionType, SanctionTypeSchema,
} from "../gen/resguardo/v1/catalogues_pb";
import type { Lang } from "../i18n";
import { t, tf } from "../i18n";
import { labelOf } from "../labels";
import type { Me } from "../me";
import { can, institutionId } from "../me";
import { formatDate } from "../forms/dates";
import { AddResolution } from "./resolution_add";
import { DecideAppeal, FileAppeal, mayBeFinal, pendingAppeal, ReparationStatus, SetFinal } from "./resolution_actions";
import type { ResolutionDone } from "./resolution_actions";

export function Resolutions({ me, record, lang, onChanged }: {
  me: Me;
  record: Case;
  lang: Lang;
  onChanged: () => Promise<void>;
}) {
  const [conflict, setConflict] = useState(false);
  if (record.descriptors?.kind !== CaseKind.POLITICAL_VIOLENCE) return null;
  const own = record.name.split("/")[1] === institutionId(me);
  const writes = own && can.edit(me);
  const supervisor = own && me.roles.includes(Role.SUPERVISOR);
  const done: ResolutionDone = async (c) => { setConflict(c); await onChanged(); };
  const n = record.resolutions.length;
  const status = record.descriptors?.status;
  const last = record.resolutions[n - 1]?.appeals.at(-1)?.outcome;
  const mayAdd = (status === CaseStatus.SENT_TO_COURT && n === 0) ||
    (status === CaseStatus.APPEALED && (last === AppealOutcome.REVOKED || last === AppealOutcome.REMANDED));
  return (
    <section aria-labelledby="resolutions-title">
      <h3 id="resolutions-title">{t("resolutionsTitle", lang)}</h3>
      {conflict && <p class="conflict" role="alert">{t("resolutionConflict", lang)}</p>}
      {n === 0 && <p>{t("noResolutions", lang)}</p>}
      {record.resolutions.map((r, i) => (
        <ResolutionView key={r.name} r={r} current={i === n - 1} etag={record.etag} lang={lang}
                        writes={writes} supervisor={supervisor} onDone={done} />
      ))}
      {writes && mayAdd && <AddResolution key={record.etag} name={record.name} lang={lang} onAdded={onChanged} />}
    </section>
  );
}

function ResolutionView({ r, current, etag, lang, writes, supervisor, onDone }: {
  r: Resolution; current: boolean; etag: string; lang: Lang;
  writes: boolean; supervisor: boolean; onDone: ResolutionDone;
}) {
  const n = r.name.split("/").pop() ?? "";
  const pending = pendingAppeal(r);
  const open = current && !r.finalDate;
  return (
    <section class="resolution" aria-labelledby={`res-${n}`}>
      <h4 id={`res-${n}`}>{tf("resolutionN", lang, { n })} {current && t("resolutionCurrent", lang)}</h4>
      <dl>
        <dt>{t("rAuthority", lang)}</dt><dd>{r.resolvingAuthority}</dd>
        <dt>{t("rFileNumber", lang)}</dt><dd>{r.fileNumber}</dd>
        <dt>{t("rDate", lang)}</dt><dd>{formatDate(r.resolutionDate)}</dd>
        <dt>{t("rOutcome", lang)}</dt><dd>{labelOf(ResolutionOutcomeSchema, r.outcome, lang)}</dd>
        <dt>{t("rFinalDate", lang)}</dt><dd>{formatDate(r.finalDate) || t("rNotFinal", lang)}</dd>
      </dl>
      {r.sanctionedPersons.map((p, k) => <PersonView key={p.name} p={p} k={k + 1} lang={lang} />)}
      {r.appeals.length > 0 && (
        <>
          <h5>{t("appealsTitle", lang)}</h5>
          <ul>
            {r.appeals.map((a) => (
              <li key={a.name}>
                {tf("appealLine", lang, {
                  filed: formatDate(a.filedDate), court: a.reviewingAuthority,
                  file: a.fileNumber ? ` (${a.fileNumber})` : "",
                  outcome: labelOf(AppealOutcomeSchema, a.outcome, lang),
                })}
                {a.outcomeDate && tf("decidedOn", lang, { date: formatDate(a.outcomeDate) })}
              </li>
            ))}
          </ul>
        </>
      )}
      {r.reparationMeasures.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption>{t("reparationsTitle", lang)}</caption>
            <thead>
              <tr>
                <th scope="col">{t("colRepKind", lang)}</th>
                <th scope="col">{t("colResponsible", lang)}</th>
                <th scope="col">{t("colRepDue", lang)}</th>
                <th scope="col">{t("colCompliance", lang)}</th>
              </tr>
            </thead>
            <tbody>
              {r.reparationMeasures.map((m) => (
                <tr key={m.name}>
                  <td>{labelOf(ReparationMeasureKindSchema, m.kind, lang)}</td>
                  <td>{m.responsibleAuthority}</td>
                  <td>{formatDate(m.dueDate)}</td>
                  <td>
                    {labelOf(ReparationComplianceStatusSchema, m.complianceStatus, lang)}
                    {writes && <ReparationStatus m={m} etag={etag} lang={lang} onDone={onDone} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {writes && open && !pending && mayBeFinal(r) && <FileAppeal r={r} lang={lang} onDone={onDone} />}
      {writes && open && pending && <DecideAppeal appealName={pending.name} etag={etag} lang={lang} onDone={onDone} />}
      {supervisor && current && mayBeFinal(r) && <SetFinal r={r} etag={etag} lang={lang} onDone={onDone} />}
    </section>
  );
}

function PersonView({ p, k, lang }: { p: SanctionedPerson; k: number; lang: Lang }) {
  const sanctions = p.sanctions.map((s) => {
    const label = labelOf(SanctionTypeSchema, s.type, lang);
    if (s.type !== SanctionType.FINE || !s.fineAmount) return label;
    const cents = String(Math.round(s.fineAmount.nanos / 10_000_000)).padStart(2, "0");
    return `${label} ${s.fineAmount.units}.${cents} ${s.fineAmount.currencyCode}`;
  });
  return (
    <div class="sanctioned-person">
      <h5>{tf("personN", lang, { n: k })}</h5>
      <dl>
        <dt>{t("rQualification", lang)}</dt>
        <dd>{labelOf(FaultQualificationSchema, p.qualification, lang)}{p.repeatOffence && ` (${t("rRepeat", lang)})`}</dd>
        <dt>{t("rSanctions", lang)}</dt><dd>{sanctions.join("; ")}</dd>
        {p.registryTerm && (
          <>
            <dt>{t("rTerm", lang)}</dt>
            <dd>{tf("termText", lang, { y: p.registryTerm.years, m: p.registryTerm.months, d: p.registryTerm.days })}</dd>
          </>
        )}
      </dl>
    </div>
  );
}
