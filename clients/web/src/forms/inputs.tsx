// The form rows the case forms are made of: a text, date, month or
// catalogue field and a multi-select, each labelled, with its error (by the
// node's field path) beside it. Field ids are the path with "." as "-".
import type { DescEnum } from "@bufbuild/protobuf";
import type { Lang, TextKey } from "../i18n";
import { t } from "../i18n";
import { choicesOf } from "../labels";
import { CatalogueSelect } from "./catalogue_select";
import { CheckGroup, Field } from "./field";

export const idOf = (path: string) => `f-${path.replace(/[._]/g, "-")}`;

interface Common {
  path: string;
  label: TextKey;
  lang: Lang;
  errors: Map<string, string>;
  required?: boolean;
  hint?: TextKey;
}

export function TextRow(props: Common & {
  value: string;
  onInput: (v: string) => void;
  type?: "text" | "date" | "month" | "email" | "tel" | "datetime-local";
  multiline?: boolean;
  autocomplete?: string;
  max?: string;
}) {
  const { path, label, lang, errors, required, hint, value, onInput, type, multiline, max } = props;
  return (
    <Field id={idOf(path)} label={t(label, lang)} lang={lang} error={errors.get(path)}
           hint={hint ? t(hint, lang) : undefined} required={required}>
      {(aria) => multiline ? (
        <textarea {...aria} rows={4} value={value}
                  onInput={(ev) => onInput(ev.currentTarget.value)} />
      ) : (
        <input {...aria} type={type ?? "text"} value={value} max={max}
               autocomplete={props.autocomplete ?? "off"}
               onInput={(ev) => onInput(ev.currentTarget.value)} />
      )}
    </Field>
  );
}

export function SelectRow(props: Common & {
  catalogue: DescEnum;
  value: number;
  onChange: (v: number) => void;
  only?: number[];
  emptyLabel?: "chooseOne" | "noChange";
}) {
  const { path, label, lang, errors, required, hint, catalogue, value, onChange, only, emptyLabel } = props;
  return (
    <Field id={idOf(path)} label={t(label, lang)} lang={lang} error={errors.get(path)}
           hint={hint ? t(hint, lang) : undefined} required={required}>
      {(aria) => (
        <CatalogueSelect catalogue={catalogue} lang={lang} value={value}
                         onChange={onChange} aria={aria} only={only} emptyLabel={emptyLabel} />
      )}
    </Field>
  );
}

export function MultiRow(props: Common & {
  catalogue: DescEnum;
  value: number[];
  onChange: (v: number[]) => void;
}) {
  const { path, label, lang, errors, catalogue, value, onChange } = props;
  return (
    <CheckGroup id={idOf(path)} legend={t(label, lang)} lang={lang}
                choices={choicesOf(catalogue, lang)} value={value}
                onChange={onChange} error={errors.get(path)} />
  );
}
