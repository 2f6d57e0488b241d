// The institution's cases (ListCases, BASIC view: descriptors only) with
// its filters (status, kind, risk level, state, date range) and paging by
// page token; risk and expiring-measure markers. Filters live in memory,
// never in the URL.
import { useEffect, useState } from "preact/hooks";
import { client, toApiError } from "../api";
import type { ApiError } from "../api";
import { ErrorBox } from "../components/error_box";
import { CaseService } from "../gen/resguardo/v1/case_service_pb";
import type { Case } from "../gen/resguardo/v1/case_pb";
import * as cat from "../gen/resguardo/v1/catalogues_pb";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import { labelOf } from "../labels";
import type { Me } from "../me";
import { parentOf } from "../me";
import { onLink } from "../router";
import { formatDate, parseDay } from "../forms/dates";
import { CatalogueSelect } from "../forms/catalogue_select";
import { CheckGroup } from "../forms/field";
import { choicesOf } from "../labels";
import { caseMarkers } from "../case_markers";

const cases = client(CaseService);
const PAGE = 50;

interface Filters {
  statuses: number[];
  kind: number;
  riskLevels: number[];
  stateCode: string;
  from: string;
  to: string;
}
const noFilters: Filters = { statuses: [], kind: 0, riskLevels: [], stateCode: "", from: "", to: "" };

export function CaseList({ me, lang }: { me: Me; lang: Lang }) {
  const [draft, setDraft] = useState<Filters>(noFilters);
  const [filters, setFilters] = useState<Filters>(noFilters);
  const [tokens, setTokens] = useState<string[]>([""]);  // tokens[i]: page i
  const [page, setPage] = useState(0);
  const [rows, setRows] = useState<Case[] | null>(null);
  const [next, setNext] = useState("");
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let live = true;
    setRows(null);
    cases.listCases({
      parent: parentOf(me),
      pageSize: PAGE,
      pageToken: tokens[page],
      statuses: filters.statuses,
      kind: filters.kind,
      riskLevels: filters.riskLevels,
      stateCode: filters.stateCode.trim(),
      reportedFrom: parseDay(filters.from),
      reportedTo: parseDay(filters.to),
    }).then((r) => {
      if (!live) return;
      setRows(r.cases);
      setNext(r.nextPageToken);
      setError(null);
    }, (e) => live && (setError(toApiError(e, lang)), setRows([])));
    return () => { live = false; };
  }, [filters, page, tokens]);

  const apply = (f: Filters) => {
    setFilters(f);
    setTokens([""]);
    setPage(0);
  };

  return (
    <section aria-labelledby="cases-title">
      <h2 id="cases-title">{t("casesTitle", lang)}</h2>
      <form class="filters" onSubmit={(ev) => { ev.preventDefault(); apply(draft); }}>
        <details open>
          <summary>{t("filters", lang)}</summary>
          <CheckGroup id="flt-status" legend={t("fStatus", lang)} lang={lang}
                      choices={choicesOf(cat.CaseStatusSchema, lang)} value={draft.statuses}
                      onChange={(statuses) => setDraft({ ...draft, statuses })} />
          <div class="field">
            <label for="flt-kind">{t("fKindFilter", lang)}</label>
            <CatalogueSelect catalogue={cat.CaseKindSchema} lang={lang} value={draft.kind}
                             emptyLabel="anyValue" aria={{ id: "flt-kind" }}
                             onChange={(kind) => setDraft({ ...draft, kind })} />
          </div>
          <CheckGroup id="flt-risk" legend={t("fRiskFilter", lang)} lang={lang}
                      choices={choicesOf(cat.RiskLevelSchema, lang)} value={draft.riskLevels}
                      onChange={(riskLevels) => setDraft({ ...draft, riskLevels })} />
          <div class="field">
            <label for="flt-state">{t("fStateFilter", lang)}</label>
            <input id="flt-state" value={draft.stateCode} inputMode="numeric" autocomplete="off"
                   onInput={(ev) => setDraft({ ...draft, stateCode: ev.currentTarget.value })} />
          </div>
          <div class="field">
            <label for="flt-from">{t("fReportedFrom", lang)}</label>
            <input id="flt-from" type="date" value={draft.from}
                   onInput={(ev) => setDraft({ ...draft, from: ev.currentTarget.value })} />
          </div>
          <div class="field">
            <label for="flt-to">{t("fReportedTo", lang)}</label>
            <input id="flt-to" type="date" value={draft.to}
                   onInput={(ev) => setDraft({ ...draft, to: ev.currentTarget.value })} />
          </div>
          <button type="submit">{t("applyFilters", lang)}</button>{" "}
          <button type="button" onClick={() => { setDraft(noFilters); apply(noFilters); }}>
            {t("clearFilters", lang)}
          </button>
        </details>
      </form>
      <ErrorBox error={error} lang={lang} />
      <p class="hint">{t("listOrder", lang)}</p>
      {rows === null ? <p role="status">{t("loading", lang)}</p> : (
        <CaseTable rows={rows} lang={lang} />
      )}
      <nav class="pager" aria-label={t("pageN", lang)}>
        <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
          {t("previousPage", lang)}
        </button>
        <span role="status"> {t("pageN", lang)} {page + 1} </span>
        <button type="button" disabled={!next} onClick={() => {
          setTokens([...tokens.slice(0, page + 1), next]);
          setPage(page + 1);
        }}>
          {t("nextPage", lang)}
        </button>
      </nav>
    </section>
  );
}

function CaseTable({ rows, lang }: { rows: Case[]; lang: Lang }) {
  if (rows.length === 0) return <p>{t("noCases", lang)}</p>;
  return (
    <div class="table-wrap">
      <table class="cases">
        <thead>
          <tr>
            <th scope="col">{t("colFolio", lang)}</th>
            <th scope="col">{t("colKind", lang)}</th>
            <th scope="col">{t("colStatus", lang)}</th>
            <th scope="col">{t("colRisk", lang)}</th>
            <th scope="col">{t("colReported", lang)}</th>
            <th scope="col">{t("colMarkers", lang)}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => {
            const d = c.descriptors;
            const marks = caseMarkers(c);
            return (
              <tr key={c.name}>
                <th scope="row">
                  <a href={`/casos/${encodeURIComponent(c.folio)}`} onClick={onLink}>{c.folio}</a>
                </th>
                <td>{d ? labelOf(cat.CaseKindSchema, d.kind, lang) : ""}</td>
                <td>{d ? labelOf(cat.CaseStatusSchema, d.status, lang) : ""}</td>
                <td>{d ? labelOf(cat.RiskLevelSchema, d.riskLevel, lang) : ""}</td>
                <td>{formatDate(d?.reportedDate)}</td>
                <td>{marks.map((m) => <span class={`marker ${m}`} key={m}>{t(m, lang)}</span>)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
