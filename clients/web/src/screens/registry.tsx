// The registry of sanctioned persons (/registro, supervisors): her
// institution's entries (ListRegistryEntries) with an early delisting for
// those in force, the search of the registry in force by name, position and
// state (SearchRegistry: the node audits it without the terms), inscribing
// a sanctioned person of a final resolution (registry_inscribe.tsx), and
// the signed export (ExportRegistry): CSV, JSON and the signed note, saved
// from memory. The person's name shown is the registry's public field.
import { useEffect, useState } from "preact/hooks";
import { client, toApiError } from "../api";
import type { ApiError } from "../api";
import { ErrorBox } from "../components/error_box";
import { RegistryEntryStatus, RegistryEntryStatusSchema, RegistryService } from "../gen/resguardo/v1/registry_service_pb";
import type { RegistryEntry, RegistryExport } from "../gen/resguardo/v1/registry_service_pb";
import type { Lang } from "../i18n";
import { t, tf } from "../i18n";
import { labelOf } from "../labels";
import type { Me } from "../me";
import { parentOf } from "../me";
import { formatDate } from "../forms/dates";
import { TextRow } from "../forms/inputs";
import { downloadFile, revokeDownload } from "../download";
import { DelistEntry, InscribePerson } from "./registry_inscribe";

const registry = client(RegistryService);

export function Registry({ me, lang }: { me: Me; lang: Lang }) {
  const [entries, setEntries] = useState<RegistryEntry[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [conflict, setConflict] = useState(false);
  const load = async () => {
    try {
      setEntries((await registry.listRegistryEntries({ parent: parentOf(me), pageSize: 500 })).entries);
      setError(null);
    } catch (e) {
      setError(toApiError(e, lang));
    }
  };
  useEffect(() => { load(); }, []);
  return (
    <section aria-labelledby="registry-title">
      <h2 id="registry-title">{t("registryTitle", lang)}</h2>
      <section aria-labelledby="registry-own-title">
        <h3 id="registry-own-title">{t("registryOwnTitle", lang)}</h3>
        {conflict && <p class="conflict" role="alert">{t("entryConflict", lang)}</p>}
        <ErrorBox error={error} lang={lang} />
        {entries === null ? (!error && <p role="status">{t("loading", lang)}</p>) : (
          <EntryTable entries={entries} lang={lang} withStatus action={(e) =>
            e.status === RegistryEntryStatus.IN_FORCE && (
              <DelistEntry entry={e} lang={lang} onDone={async (c) => { setConflict(c); await load(); }} />
            )} />
        )}
      </section>
      <InscribePerson me={me} lang={lang} onDone={load} />
      <Search me={me} lang={lang} />
      <Export me={me} lang={lang} />
    </section>
  );
}

function EntryTable({ entries, lang, withStatus, action }: {
  entries: RegistryEntry[];
  lang: Lang;
  withStatus?: boolean;
  action?: (e: RegistryEntry) => unknown;
}) {
  if (entries.length === 0) return <p>{withStatus ? t("noRegistryEntries", lang) : t("noMatches", lang)}</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t("colPerson", lang)}</th>
            <th scope="col">{t("colPosition", lang)}</th>
            <th scope="col">{t("colState", lang)}</th>
            <th scope="col">{t("colFile", lang)}</th>
            <th scope="col">{t("colStart", lang)}</th>
            <th scope="col">{t("colEnd", lang)}</th>
            {withStatus && <th scope="col">{t("colEntryStatus", lang)}</th>}
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.name}>
              <td>{e.personName}</td>
              <td>{e.position}</td>
              <td>{e.stateCode}</td>
              <td>{e.fileNumber}</td>
              <td>{formatDate(e.startDate)}</td>
              <td>{formatDate(e.endDate)}</td>
              {withStatus && (
                <td>{labelOf(RegistryEntryStatusSchema, e.status, lang)}{action?.(e) as never}</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Search({ me, lang }: { me: Me; lang: Lang }) {
  const [name, setName] = useState("");
  const [position, setPosition] = useState("");
  const [state, setState] = useState("");
  const [found, setFound] = useState<RegistryEntry[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const errors = error?.fields ?? new Map<string, string>();
  const submit = async (ev: Event) => {
    ev.preventDefault();
    try {
      setFound((await registry.searchRegistry({
        parent: parentOf(me), personName: name.trim(), position: position.trim(), stateCode: state.trim(), pageSize: 100,
      })).entries);
      setError(null);
    } catch (e) {
      setError(toApiError(e, lang));
      setFound(null);
    }
  };
  const c = { lang, errors };
  return (
    <section aria-labelledby="registry-search-title">
      <h3 id="registry-search-title">{t("searchTitle", lang)}</h3>
      <form class="subform" role="search" onSubmit={submit} noValidate aria-labelledby="registry-search-title">
        <TextRow {...c} path="person_name" label="fSearchName" value={name} onInput={setName} />
        <TextRow {...c} path="position" label="fSearchPosition" value={position} onInput={setPosition} />
        <TextRow {...c} path="state_code" label="fSearchState" value={state} onInput={setState} />
        {error && error.fields.size === 0 && <ErrorBox error={error} lang={lang} />}
        <button type="submit">{t("search", lang)}</button>
      </form>
      {found && <EntryTable entries={found} lang={lang} />}
    </section>
  );
}

function Export({ me, lang }: { me: Me; lang: Lang }) {
  const [made, setMade] = useState<RegistryExport | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [urls, setUrls] = useState<string[]>([]);
  useEffect(() => () => urls.forEach(revokeDownload), [urls]);
  const make = async () => {
    try {
      setMade(await registry.exportRegistry({ parent: parentOf(me) }));
      setError(null);
    } catch (e) {
      setError(toApiError(e, lang));
    }
  };
  const save = (parts: BlobPart[], type: string, name: string) =>
    setUrls((u) => [...u, downloadFile(parts, type, name)]);
  return (
    <section aria-labelledby="registry-export-title">
      <h3 id="registry-export-title">{t("registryExportTitle", lang)}</h3>
      <button type="button" onClick={make}>{t("exportMake", lang)}</button>
      <ErrorBox error={error} lang={lang} />
      {made && (
        <>
          <p role="status">{tf("exportReady", lang, { n: made.entryCount })}</p>
          <p class="actions">
            <button type="button" onClick={() => save([made.csv as BlobPart], "text/csv", made.csvFileName)}>
              {t("downloadCsv", lang)}
            </button>{" "}
            <button type="button" onClick={() => save([made.json as BlobPart], "application/json", made.jsonFileName)}>
              {t("downloadJson", lang)}
            </button>{" "}
            <button type="button" onClick={() => save([made.signedNote], "text/plain",
                                                       made.csvFileName.replace(/\.csv$/, ".note"))}>
              {t("downloadNote", lang)}
            </button>
          </p>
        </>
      )}
    </section>
  );
}
