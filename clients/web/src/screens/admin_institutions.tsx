// The node's institutions (AdminService.ListInstitutions) and, for the
// operator institution's admins, a new institution and its first
// administrator (CreateInstitution, then CreateUser with the ADMIN role
// only: the operator never chooses another institution's staff). The node
// decides; a refusal is shown as it says it.
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { useEffect, useState } from "preact/hooks";
import { client, toApiError } from "../api";
import type { ApiError } from "../api";
import { ErrorBox } from "../components/error_box";
import { asSentence } from "../field_messages";
import { CatalogueSelect } from "../forms/catalogue_select";
import { Field } from "../forms/field";
import { AdminService } from "../gen/resguardo/v1/admin_service_pb";
import type { Institution } from "../gen/resguardo/v1/admin_service_pb";
import { InstitutionKindSchema, Role } from "../gen/resguardo/v1/catalogues_pb";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import { labelOf } from "../labels";
import type { Me } from "../me";

const admin = client(AdminService);

function violation(e: ApiError, field: string): string {
  const text = e.fields.get(field);
  return text ? asSentence(text) : "";
}

export function AdminInstitutions({ me, lang }: { me: Me; lang: Lang }) {
  const [rows, setRows] = useState<Institution[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState("");
  const [created, setCreated] = useState<Institution | null>(null);

  const load = async () => {
    const all: Institution[] = [];
    try {
      let token = "";
      do {
        const r = await admin.listInstitutions({ pageSize: 500, pageToken: token });
        all.push(...r.institutions);
        token = r.nextPageToken;
      } while (token);
      setRows(all);
      setError(null);
    } catch (e) {
      setError(toApiError(e, lang));
      setRows([]);
    }
  };
  useEffect(() => { load(); }, []);
  const operatorAdmin = !!me.institution?.operator && me.roles.includes(Role.ADMIN);

  return (
    <section aria-labelledby="adm-inst-title">
      <h2 id="adm-inst-title">{t("admInstitutionsTitle", lang)}</h2>
      <p>{t("admInstitutionsIntro", lang)}</p>
      <p role="status" class="hint">{done}</p>
      <ErrorBox error={error} lang={lang} />
      {rows === null ? <p role="status">{t("loading", lang)}</p> : rows.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{t("admInstitutionsTitle", lang)}</caption>
            <thead>
              <tr>
                <th scope="col">{t("admColId", lang)}</th>
                <th scope="col">{t("admColName", lang)}</th>
                <th scope="col">{t("admColKind", lang)}</th>
                <th scope="col">{t("admColStateCode", lang)}</th>
                <th scope="col">{t("admColCreated", lang)}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((i) => (
                <tr key={i.name}>
                  <th scope="row">{i.institutionId}</th>
                  <td>
                    {i.displayName}
                    {i.operator && <> <span class="marker">{t("admOperator", lang)}</span></>}
                  </td>
                  <td>{labelOf(InstitutionKindSchema, i.kind, lang)}</td>
                  <td>{i.stateCode || t("admFederal", lang)}</td>
                  <td>{i.createTime ? timestampDate(i.createTime).toLocaleDateString(lang === "es" ? "es-MX" : "en-US") : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {operatorAdmin && (
        <CreateInstitution lang={lang} onCreated={async (i) => {
          setDone(`${t("admInstitutionCreated", lang)}: ${i.institutionId}`);
          setCreated(i);
          await load();
        }} />
      )}
      {operatorAdmin && created && (
        <FirstAdmin institution={created} lang={lang} onCreated={(user) => {
          setDone(`${t("admUserCreated", lang)}: ${user}`);
          setCreated(null);
        }} />
      )}
    </section>
  );
}

function CreateInstitution({ lang, onCreated }: {
  lang: Lang;
  onCreated: (i: Institution) => Promise<void>;
}) {
  const [id, setId] = useState("");
  const [name, setName] = useState("");
  const [kind, setKind] = useState(0);
  const [state, setState] = useState("");
  const [fields, setFields] = useState<ApiError | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const f = (field: string) => (fields ? violation(fields, `institution.${field}`) : "");
  return (
    <form class="subform" noValidate aria-labelledby="adm-new-inst-title" onSubmit={async (ev) => {
      ev.preventDefault();
      setError(null);
      setFields(null);
      setBusy(true);
      try {
        const i = await admin.createInstitution({
          institution: { institutionId: id.trim(), displayName: name.trim(), kind, stateCode: state.trim() },
        });
        setId(""); setName(""); setKind(0); setState("");
        await onCreated(i);
      } catch (e) {
        const err = toApiError(e, lang);
        if (err.fields.size) setFields(err); else setError(err);
      } finally {
        setBusy(false);
      }
    }}>
      <h3 id="adm-new-inst-title">{t("admNewInstitution", lang)}</h3>
      <p class="hint">{t("admNewInstitutionIntro", lang)}</p>
      <Field id="adm-inst-id" label={t("admInstitutionId", lang)} hint={t("admInstitutionIdHint", lang)}
             lang={lang} required error={f("institution_id")}>
        {(aria) => <input {...aria} type="text" autocomplete="off" spellcheck={false} value={id}
                          onInput={(ev) => setId(ev.currentTarget.value)} />}
      </Field>
      <Field id="adm-inst-name" label={t("admDisplayName", lang)} lang={lang} required error={f("display_name")}>
        {(aria) => <input {...aria} type="text" autocomplete="off" value={name}
                          onInput={(ev) => setName(ev.currentTarget.value)} />}
      </Field>
      <Field id="adm-inst-kind" label={t("admKind", lang)} lang={lang} required error={f("kind")}>
        {(aria) => <CatalogueSelect catalogue={InstitutionKindSchema} lang={lang} value={kind}
                                    onChange={setKind} aria={aria} />}
      </Field>
      <Field id="adm-inst-state" label={t("admStateCode", lang)} hint={t("admStateCodeHint", lang)}
             lang={lang} error={f("state_code")}>
        {(aria) => <input {...aria} type="text" inputMode="numeric" maxLength={2} autocomplete="off" value={state}
                          onInput={(ev) => setState(ev.currentTarget.value)} />}
      </Field>
      <ErrorBox error={error} lang={lang} />
      <button type="submit" class="primary" disabled={busy}>{t("admCreateInstitution", lang)}</button>
    </form>
  );
}

function FirstAdmin({ institution, lang, onCreated }: {
  institution: Institution;
  lang: Lang;
  onCreated: (user: string) => void;
}) {
  const [userId, setUserId] = useState("admin");
  const [idError, setIdError] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form class="subform" noValidate aria-labelledby="adm-first-admin-title" onSubmit={async (ev) => {
      ev.preventDefault();
      setError(null);
      setIdError("");
      setBusy(true);
      try {
        const u = await admin.createUser({
          parent: institution.name, user: { userId: userId.trim(), roles: [Role.ADMIN] },
        });
        onCreated(`${institution.institutionId}/${u.userId}`);
      } catch (e) {
        const err = toApiError(e, lang);
        const id = violation(err, "user.user_id");
        if (id) setIdError(id); else setError(err);
      } finally {
        setBusy(false);
      }
    }}>
      <h3 id="adm-first-admin-title">{t("admFirstAdmin", lang)}: {institution.institutionId}</h3>
      <Field id="adm-first-admin" label={t("admUserId", lang)} hint={t("admFirstAdminHint", lang)}
             lang={lang} required error={idError}>
        {(aria) => <input {...aria} type="text" autocomplete="off" spellcheck={false} value={userId}
                          onInput={(ev) => setUserId(ev.currentTarget.value)} />}
      </Field>
      <ErrorBox error={error} lang={lang} />
      <button type="submit" class="primary" disabled={busy}>{t("admCreateFirstAdmin", lang)}</button>
    </form>
  );
}
