// The declaration of a purpose before personal data is shown: the purposes
// of the API (AccessPurpose), the read audited by the node.
import { useState } from "preact/hooks";
import { AccessPurposeSchema } from "../gen/resguardo/v1/catalogues_pb";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import { CatalogueSelect } from "../forms/catalogue_select";
import { Field } from "../forms/field";

export function PurposeGate({ id, lang, onReveal }: {
  id: string;
  lang: Lang;
  onReveal: (purpose: number) => Promise<void>;
}) {
  const [purpose, setPurpose] = useState(0);
  const [missing, setMissing] = useState(false);
  return (
    <form class="purpose" onSubmit={async (ev) => {
      ev.preventDefault();
      if (!purpose) {
        setMissing(true);
        document.getElementById(id)?.focus();
        return;
      }
      setMissing(false);
      await onReveal(purpose);
    }}>
      <p>{t("personalHidden", lang)}</p>
      <Field id={id} label={t("fPurpose", lang)} lang={lang} required
             error={missing ? t("textRequired", lang) : undefined}>
        {(aria) => (
          <CatalogueSelect catalogue={AccessPurposeSchema} lang={lang} value={purpose}
                           onChange={setPurpose} aria={aria} />
        )}
      </Field>
      <button type="submit">{t("showPersonal", lang)}</button>
    </form>
  );
}
