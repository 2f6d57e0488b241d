// The audit log's entries the auditor may see, with the filters of
// ListEntries (actor, caller's institution, method, resource, outcome, time
// range), paged by page token; each entry's inclusion proof fetched and
// verified in this browser against the latest checkpoint verified under
// her key. What a row shows is decoded here from the entry's stored bytes,
// the very bytes the proof covers. Filters live in memory, never in the URL.
import { useEffect, useState } from "preact/hooks";
import { fromBinary } from "@bufbuild/protobuf";
import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { toApiError } from "../api";
import type { ApiError } from "../api";
import { ErrorBox } from "../components/error_box";
import { ProblemText } from "../components/audit_problem";
import { VerifierKeyLoader } from "../components/verifier_key_loader";
import { CheckpointVerdict } from "../components/checkpoint_verdict";
import { AuditEntrySchema } from "../gen/resguardo/v1/audit_pb";
import type { AuditEntry } from "../gen/resguardo/v1/audit_pb";
import type { ListedEntry } from "../gen/resguardo/v1/audit_service_pb";
import { AccessPurposeSchema } from "../gen/resguardo/v1/catalogues_pb";
import type { Lang } from "../i18n";
import { t, tf } from "../i18n";
import { labelOf } from "../labels";
import { audit, useLatestCheckpoint } from "../audit/latest_checkpoint";
import type { VerifiedCheckpoint } from "../audit/checkpoint";
import { checkCovered, verifyEntryInclusion } from "../audit/entry_inclusion";
import { METHODS } from "../audit/methods";
import { OUTCOMES, outcomeName } from "../audit/outcomes";
import { AuditProblem, isAuditProblem } from "../audit/problem";
import { useTrustedKeys } from "../audit/trusted_keys";

const PAGE = 50;

interface Filters {
  actor: string;
  institution: string;
  method: string;
  resource: string;
  outcome: string;  // "" = any, else the code
  since: string;    // datetime-local, the browser's time zone
  until: string;
}
const noFilters: Filters = { actor: "", institution: "", method: "", resource: "", outcome: "", since: "", until: "" };

type Proof =
  | { state: "checking" }
  | { state: "included"; size: bigint }
  | { state: "failed"; problem: AuditProblem }
  | { state: "error"; error: ApiError };

interface Row { listed: ListedEntry; entry: AuditEntry | null; index: bigint }

// The entry as its bytes say; null if they do not parse or name another
// index than the node's listing does.
function decode(l: ListedEntry): Row {
  const index = l.entry?.index ?? 0n;
  try {
    const entry = fromBinary(AuditEntrySchema, l.entryBytes);
    return { listed: l, entry: entry.index === index ? entry : null, index };
  } catch {
    return { listed: l, entry: null, index };
  }
}

const stamp = (s: string) => (s ? timestampFromDate(new Date(s)) : undefined);

export function AuditEntries({ lang }: { lang: Lang }) {
  const keys = useTrustedKeys();
  const { verdict, error: cpError, refresh } = useLatestCheckpoint(keys, lang);
  const [draft, setDraft] = useState<Filters>(noFilters);
  const [filters, setFilters] = useState<Filters>(noFilters);
  const [tokens, setTokens] = useState<string[]>([""]);
  const [page, setPage] = useState(0);
  const [rows, setRows] = useState<Row[] | null>(null);
  const [next, setNext] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [proofs, setProofs] = useState<Map<bigint, Proof>>(new Map());
  const [last, setLast] = useState<bigint | null>(null);

  useEffect(() => {
    let live = true;
    setRows(null);
    audit.listEntries({
      actor: filters.actor.trim(),
      institution: filters.institution.trim(),
      method: filters.method.trim(),
      resource: filters.resource.trim(),
      hasOutcome: filters.outcome !== "",
      outcome: filters.outcome === "" ? 0 : Number(filters.outcome),
      startTime: stamp(filters.since),
      endTime: stamp(filters.until),
      pageSize: PAGE,
      pageToken: tokens[page],
    }).then((r) => {
      if (!live) return;
      setRows(r.entries.map(decode));
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
  const cp: VerifiedCheckpoint | null = verdict.state === "verified" ? verdict.checkpoint : null;

  const prove = async (row: Row) => {
    if (!cp) return;
    const set = (p: Proof) => setProofs((m) => new Map(m).set(row.index, p));
    setLast(row.index);
    set({ state: "checking" });
    try {
      checkCovered(row.index, cp);
      const proof = await audit.getInclusionProof({ index: row.index, treeSize: cp.size });
      await verifyEntryInclusion(row.listed.entryBytes, row.index, cp, proof);
      set({ state: "included", size: cp.size });
    } catch (e) {
      set(isAuditProblem(e) ? { state: "failed", problem: e } : { state: "error", error: toApiError(e, lang) });
    }
  };
  const lastProof = last !== null ? proofs.get(last) : undefined;
  const text = (f: keyof Filters, label: Parameters<typeof t>[0], list?: string) => (
    <div class="field">
      <label for={`aud-${f}`}>{t(label, lang)}</label>
      <input id={`aud-${f}`} value={draft[f]} autocomplete="off" spellcheck={false} list={list}
             onInput={(ev) => setDraft({ ...draft, [f]: ev.currentTarget.value })} />
    </div>
  );

  return (
    <section aria-labelledby="entries-title">
      <h2 id="entries-title">{t("entriesTitle", lang)}</h2>
      <p>{t("entriesIntro", lang)}</p>
      <VerifierKeyLoader lang={lang} />
      <ErrorBox error={cpError} lang={lang} />
      <div class="cp-line">
        <CheckpointVerdict verdict={verdict} lang={lang} />
        {cp && <p>{t("cpSize", lang)}: <span data-testid="cp-size">{String(cp.size)}</span></p>}
        <button type="button" onClick={refresh}>{t("cpRefresh", lang)}</button>
      </div>
      <form class="filters" onSubmit={(ev) => { ev.preventDefault(); apply(draft); }}>
        <details open>
          <summary>{t("filters", lang)}</summary>
          {text("actor", "fActor")}
          {text("institution", "fInstitution")}
          {text("method", "fMethod", "aud-methods")}
          <datalist id="aud-methods">
            {METHODS.map((m) => <option key={m} value={m} />)}
          </datalist>
          {text("resource", "fResource")}
          <div class="field">
            <label for="aud-outcome">{t("fOutcome", lang)}</label>
            <select id="aud-outcome" value={draft.outcome}
                    onChange={(ev) => setDraft({ ...draft, outcome: ev.currentTarget.value })}>
              <option value="">{t("anyValue", lang)}</option>
              {OUTCOMES.map((name, code) => <option key={name} value={String(code)}>{name} ({code})</option>)}
            </select>
          </div>
          <div class="field">
            <label for="aud-since">{t("fSince", lang)}</label>
            <input id="aud-since" type="datetime-local" step={1} value={draft.since}
                   onInput={(ev) => setDraft({ ...draft, since: ev.currentTarget.value })} />
          </div>
          <div class="field">
            <label for="aud-until">{t("fUntil", lang)}</label>
            <input id="aud-until" type="datetime-local" step={1} value={draft.until}
                   onInput={(ev) => setDraft({ ...draft, until: ev.currentTarget.value })} />
          </div>
          <button type="submit">{t("applyFilters", lang)}</button>{" "}
          <button type="button" onClick={() => { setDraft(noFilters); apply(noFilters); }}>
            {t("clearFilters", lang)}
          </button>
        </details>
      </form>
      <ErrorBox error={error} lang={lang} />
      <div aria-live="polite" class="proof-result">
        {last !== null && lastProof && <ProofText index={last} proof={lastProof} lang={lang} />}
      </div>
      {rows === null ? <p role="status">{t("loading", lang)}</p> : rows.length === 0 ? (
        <p>{t("noEntries", lang)} {next && t("emptyPageMore", lang)}</p>
      ) : (
        <div class="table-wrap">
          <table class="entries">
            <thead>
              <tr>
                <th scope="col">{t("colIndex", lang)}</th>
                <th scope="col">{t("colTime", lang)}</th>
                <th scope="col">{t("colActor", lang)}</th>
                <th scope="col">{t("colMethod", lang)}</th>
                <th scope="col">{t("colResource", lang)}</th>
                <th scope="col">{t("colOutcome", lang)}</th>
                <th scope="col">{t("colPurpose", lang)}</th>
                <th scope="col">{t("colNote", lang)}</th>
                <th scope="col">{t("colProof", lang)}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const e = r.entry;
                const p = proofs.get(r.index);
                return (
                  <tr key={String(r.index)} data-index={String(r.index)}>
                    <th scope="row">{String(r.index)}</th>
                    {e ? (
                      <>
                        <td>{e.time ? timestampDate(e.time).toLocaleString(lang === "es" ? "es-MX" : "en-US") : ""}</td>
                        <td>{e.actor}{e.actorUnverified && <> {t("actorUnverified", lang)}</>}</td>
                        <td class="method">{e.method}</td>
                        <td class="resource">{e.resource}</td>
                        <td>{outcomeName(e.outcome)}</td>
                        <td>{e.purpose ? labelOf(AccessPurposeSchema, e.purpose, lang) : ""}</td>
                        <td>{e.note}</td>
                      </>
                    ) : (
                      <td colSpan={7}><ProblemText problem={new AuditProblem("EntryMismatch", String(r.index))} lang={lang} /></td>
                    )}
                    <td>
                      <button type="button" disabled={!cp || p?.state === "checking"} onClick={() => prove(r)}>
                        {t("verifyInclusion", lang)}
                        <span class="visually-hidden"> {t("verifyInclusionOf", lang)} {String(r.index)}</span>
                      </button>
                      {p && p.state !== "checking" && (
                        <span class={p.state === "included" ? "mark ok" : "mark bad"} data-proof={p.state}>
                          {p.state === "included" ? " ✔" : " ✘"}
                          <span class="visually-hidden">{p.state === "included" ? t("yes", lang) : t("no", lang)}</span>
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
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

function ProofText({ index, proof, lang }: { index: bigint; proof: Proof; lang: Lang }) {
  switch (proof.state) {
    case "checking":
      return <p>{tf("inclChecking", lang, { i: index })}</p>;
    case "included":
      return (
        <p class="verdict ok" data-verdict="included">
          <strong><span aria-hidden="true">✔ </span>{tf("inclOk", lang, { i: index, n: proof.size })}</strong>
        </p>
      );
    case "failed":
      return (
        <div class="verdict bad" data-verdict="not-included">
          <p><strong><span aria-hidden="true">✘ </span>{tf("inclFails", lang, { i: index })}</strong></p>
          <p><ProblemText problem={proof.problem} lang={lang} /></p>
        </div>
      );
    case "error":
      return <ErrorBox error={proof.error} lang={lang} />;
  }
}
