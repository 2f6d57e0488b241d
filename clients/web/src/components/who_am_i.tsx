// Who the browser is, from her certificate as the node reads it: the
// institution, the user and her roles.
import { RoleSchema } from "../gen/resguardo/v1/catalogues_pb";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import { labelOf } from "../labels";
import type { Me } from "../me";

export function WhoAmI({ me, lang }: { me: Me; lang: Lang }) {
  return (
    <dl class="who" aria-label={t("signedInAs", lang)}>
      <div>
        <dt>{t("institution", lang)}</dt>
        <dd>{me.institution?.displayName || me.institution?.institutionId}</dd>
      </div>
      <div>
        <dt>{t("user", lang)}</dt>
        <dd>{me.userId}</dd>
      </div>
      <div>
        <dt>{t("roles", lang)}</dt>
        <dd>{me.roles.map((r) => labelOf(RoleSchema, r, lang)).join(", ")}</dd>
      </div>
    </dl>
  );
}
