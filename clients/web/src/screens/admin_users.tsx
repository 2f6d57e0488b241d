// An admin's users of her institution (AdminService): the list, a new user
// with her roles, a change of roles with the user's etag, disable and
// enable again. What the node refuses (role separation, her own roles, a
// stale etag) is shown as the node says it, in the page's language, beside
// the form that asked. Another role reaching this path by hand sees the
// node's refusal of ListUsers, not a list.
import { Code } from "@connectrpc/connect";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { useEffect, useState } from "preact/hooks";
import { client, toApiError } from "../api";
import type { ApiError } from "../api";
import { ErrorBox } from "../components/error_box";
import { asSentence } from "../field_messages";
import { Field } from "../forms/field";
import { AdminService } from "../gen/resguardo/v1/admin_service_pb";
import type { User } from "../gen/resguardo/v1/admin_service_pb";
import type { Role } from "../gen/resguardo/v1/catalogues_pb";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import type { Me } from "../me";
import { parentOf } from "../me";
import { KeyRotationPanel } from "./admin_key_rotation";
import { RoleChecks, RoleMeanings, roleLabels } from "./admin_roles";

const admin = client(AdminService);
const PAGE = 100;

// The first violation of a field (or of its list items), as a sentence.
function violation(e: ApiError, field: string): string {
  for (const [path, text] of e.fields) {
    if (path === field || path.startsWith(`${field}[`)) return asSentence(text);
  }
  return "";
}

export function AdminUsers({ me, lang }: { me: Me; lang: Lang }) {
  const [users, setUsers] = useState<User[] | null>(null);
  const [next, setNext] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState("");
  const parent = parentOf(me);

  const load = async () => {
    try {
      const r = await admin.listUsers({ parent, pageSize: PAGE });
      setUsers(r.users);
      setNext(r.nextPageToken);
      setError(null);
    } catch (e) {
      setError(toApiError(e, lang));
      setUsers([]);
    }
  };
  useEffect(() => { load(); }, [parent]);
  const more = async () => {
    try {
      const r = await admin.listUsers({ parent, pageSize: PAGE, pageToken: next });
      setUsers([...(users ?? []), ...r.users]);
      setNext(r.nextPageToken);
    } catch (e) {
      setError(toApiError(e, lang));
    }
  };
  // A user the node returned after a write replaces her row.
  const replaced = (u: User, text: Parameters<typeof t>[0]) => {
    setUsers((all) => (all ?? []).map((x) => (x.name === u.name ? u : x)));
    setDone(`${t(text, lang)}: ${u.userId}`);
  };

  return (
    <section aria-labelledby="adm-users-title">
      <h2 id="adm-users-title">{t("admUsersTitle", lang)}</h2>
      <p>{t("admUsersIntro", lang)}</p>
      <p role="status" class="hint">{done}</p>
      <ErrorBox error={error} lang={lang} />
      {users === null ? <p role="status">{t("loading", lang)}</p> : error && users.length === 0 ? null : (
        <>
          {users.length === 0 ? <p>{t("admNoUsers", lang)}</p> : (
            <div class="table-wrap">
              <table>
                <caption class="visually-hidden">{t("admUsersTitle", lang)}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("admColUser", lang)}</th>
                    <th scope="col">{t("admColRoles", lang)}</th>
                    <th scope="col">{t("admColState", lang)}</th>
                    <th scope="col">{t("admColCreated", lang)}</th>
                    <th scope="col">{t("admColActions", lang)}</th>
                  </tr>
                </thead>
                <tbody>
                  {users.map((u) => (
                    <UserRow key={u.name} u={u} me={me} lang={lang}
                             onChanged={replaced} onStale={load} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {next && <button type="button" onClick={more}>{t("admMore", lang)}</button>}
          <CreateUser parent={parent} lang={lang} onCreated={(u) => {
            setUsers((all) => [...(all ?? []), u].sort((a, b) => a.userId.localeCompare(b.userId)));
            setDone(`${t("admUserCreated", lang)}: ${u.userId}`);
          }} />
          <RoleMeanings lang={lang} />
          <KeyRotationPanel parent={parent} lang={lang} />
        </>
      )}
    </section>
  );
}

function UserRow({ u, me, lang, onChanged, onStale }: {
  u: User;
  me: Me;
  lang: Lang;
  onChanged: (u: User, text: Parameters<typeof t>[0]) => void;
  onStale: () => Promise<void>;
}) {
  const [editing, setEditing] = useState(false);
  const [roles, setRoles] = useState<Role[]>(u.roles);
  const [error, setError] = useState<ApiError | null>(null);
  const [rolesError, setRolesError] = useState("");
  const [busy, setBusy] = useState(false);
  const self = u.name === me.name;
  const id = `adm-u-${u.userId.replace(/[^a-z0-9_-]/g, "_")}`;

  // A refusal: beside the roles when the node names them, else in the row;
  // a stale etag reads the list again (the node's message says why).
  const refused = async (e: unknown) => {
    const err = toApiError(e, lang);
    const text = violation(err, "roles");
    if (text) { setRolesError(text); return; }
    setError(err);
    if (err.code === Code.Aborted) await onStale();
  };
  const run = async (write: () => Promise<User>, text: Parameters<typeof t>[0]) => {
    setBusy(true);
    setError(null);
    setRolesError("");
    try {
      const changed = await write();
      setEditing(false);
      onChanged(changed, text);
    } catch (e) {
      await refused(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <tr>
        <th scope="row">{u.userId}</th>
        <td>{roleLabels(u.roles, lang)}</td>
        <td>{u.disabled ? <span class="marker">{t("admDisabled", lang)}</span> : t("admActive", lang)}</td>
        <td>{u.createTime ? timestampDate(u.createTime).toLocaleDateString(lang === "es" ? "es-MX" : "en-US") : ""}</td>
        <td class="actions">
          <button type="button" aria-expanded={editing} aria-controls={editing ? `${id}-form` : undefined}
                  onClick={() => { setEditing(!editing); setRoles(u.roles); setRolesError(""); }}>
            {t("admChangeRoles", lang)}<span class="visually-hidden"> {t("admOf", lang)} {u.userId}</span>
          </button>{" "}
          {u.disabled ? (
            <button type="button" disabled={busy}
                    onClick={() => run(() => admin.enableUser({ name: u.name, etag: u.etag }), "admUserEnabled")}>
              {t("admEnable", lang)}<span class="visually-hidden"> {u.userId}</span>
            </button>
          ) : (
            <button type="button" disabled={busy}
                    onClick={() => run(() => admin.disableUser({ name: u.name, etag: u.etag }), "admUserDisabled")}>
              {t("admDisable", lang)}<span class="visually-hidden"> {u.userId}</span>
            </button>
          )}
          {self && <span class="hint"> ({t("admYou", lang)})</span>}
        </td>
      </tr>
      {(editing || error) && (
        <tr>
          <td colSpan={5}>
            <ErrorBox error={error} lang={lang} />
            {editing && (
              <form id={`${id}-form`} class="inline" noValidate onSubmit={(ev) => {
                ev.preventDefault();
                run(() => admin.setUserRoles({ name: u.name, etag: u.etag, roles }), "admRolesSaved");
              }}>
                <RoleChecks id={`${id}-roles`} legend={`${t("admRolesFor", lang)} ${u.userId}`} lang={lang}
                            value={roles} onChange={setRoles} error={rolesError} />
                <button type="submit" class="primary" disabled={busy}>{t("admSaveRoles", lang)}</button>{" "}
                <button type="button" onClick={() => { setEditing(false); setError(null); }}>{t("cancel", lang)}</button>
              </form>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

function CreateUser({ parent, lang, onCreated }: {
  parent: string;
  lang: Lang;
  onCreated: (u: User) => void;
}) {
  const [userId, setUserId] = useState("");
  const [roles, setRoles] = useState<Role[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [idError, setIdError] = useState("");
  const [rolesError, setRolesError] = useState("");
  const [busy, setBusy] = useState(false);
  return (
    <form class="subform" noValidate aria-labelledby="adm-create-title" onSubmit={async (ev) => {
      ev.preventDefault();
      setError(null);
      setIdError("");
      setRolesError("");
      setBusy(true);
      try {
        const u = await admin.createUser({ parent, user: { userId: userId.trim(), roles } });
        setUserId("");
        setRoles([]);
        onCreated(u);
      } catch (e) {
        const err = toApiError(e, lang);
        const id = violation(err, "user.user_id");
        const r = violation(err, "user.roles");
        setIdError(id);
        setRolesError(r);
        if (!id && !r) setError(err);
      } finally {
        setBusy(false);
      }
    }}>
      <h3 id="adm-create-title">{t("admCreateTitle", lang)}</h3>
      <Field id="adm-new-id" label={t("admUserId", lang)} hint={t("admUserIdHint", lang)}
             lang={lang} required error={idError}>
        {(aria) => <input {...aria} type="text" autocomplete="off" spellcheck={false} value={userId}
                          onInput={(ev) => setUserId(ev.currentTarget.value)} />}
      </Field>
      <RoleChecks id="adm-new-roles" legend={t("admRoles", lang)} lang={lang}
                  value={roles} onChange={setRoles} error={rolesError} />
      <ErrorBox error={error} lang={lang} />
      <button type="submit" class="primary" disabled={busy}>{t("admCreate", lang)}</button>
    </form>
  );
}
