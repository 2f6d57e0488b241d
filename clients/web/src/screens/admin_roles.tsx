// The roles as an admin chooses them: what each one allows, in plain words,
// with the separation rules the node enforces (services/admin/directory.h),
// and the group of role checkboxes of the user forms.
import { Role, RoleSchema } from "../gen/resguardo/v1/catalogues_pb";
import type { Lang, TextKey } from "../i18n";
import { t } from "../i18n";
import { choicesOf, labelOf } from "../labels";

const meaning: Record<Exclude<Role, Role.UNSPECIFIED>, TextKey> = {
  [Role.REGISTRAR]: "admRoleREGISTRAR",
  [Role.CASEWORKER]: "admRoleCASEWORKER",
  [Role.SUPERVISOR]: "admRoleSUPERVISOR",
  [Role.ANALYST]: "admRoleANALYST",
  [Role.AUDITOR]: "admRoleAUDITOR",
  [Role.ADMIN]: "admRoleADMIN",
  [Role.MONITOR]: "admRoleMONITOR",
};

export function roleLabels(roles: Role[], lang: Lang): string {
  return roles.map((r) => labelOf(RoleSchema, r, lang)).join(", ");
}

export function RoleMeanings({ lang }: { lang: Lang }) {
  return (
    <section aria-labelledby="adm-roles-title" class="subform">
      <h3 id="adm-roles-title">{t("admRolesTitle", lang)}</h3>
      <dl class="facts">
        {choicesOf(RoleSchema, lang).map((c) => (
          <div key={c.number}>
            <dt>{c.label}</dt>
            <dd>{t(meaning[c.number as keyof typeof meaning], lang)}</dd>
          </div>
        ))}
      </dl>
      <h4 id="adm-separation">{t("admSeparationTitle", lang)}</h4>
      <ul aria-labelledby="adm-separation">
        <li>{t("admSeparation1", lang)}</li>
        <li>{t("admSeparation2", lang)}</li>
        <li>{t("admSeparation3", lang)}</li>
        <li>{t("admSeparation4", lang)}</li>
      </ul>
      <p class="hint">{t("admSeparationNote", lang)}</p>
    </section>
  );
}

// A required group of role checkboxes; `error` (the node's violation of
// the roles) is announced and described by the group.
export function RoleChecks({ id, legend, lang, value, onChange, error }: {
  id: string;
  legend: string;
  lang: Lang;
  value: Role[];
  onChange: (v: Role[]) => void;
  error?: string;
}) {
  return (
    <fieldset id={id} class={error ? "checks invalid" : "checks"}
              aria-describedby={error ? `${id}-error` : undefined}>
      <legend>
        {legend} <span class="req">{t("required", lang)}</span>
      </legend>
      {choicesOf(RoleSchema, lang).map((c) => (
        <label class="check" key={c.number}>
          <input type="checkbox" name={`${id}-role`} value={c.code}
                 checked={value.includes(c.number)}
                 onChange={(ev) => {
                   const on = ev.currentTarget.checked;
                   onChange(on ? [...value, c.number] : value.filter((n) => n !== c.number));
                 }} />{" "}
          {c.label}
        </label>
      ))}
      <p class="field-error" id={`${id}-error`} aria-live="assertive" hidden={!error}>
        {error}
      </p>
    </fieldset>
  );
}
