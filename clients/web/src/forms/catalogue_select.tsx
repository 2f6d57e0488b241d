// A <select> over one catalogue (a proto enum): its labels in the user's
// language from the proto's label options, the value its number; 0 (the
// *_UNSPECIFIED value) is "choose one" / "any".
import type { DescEnum } from "@bufbuild/protobuf";
import type { Lang } from "../i18n";
import { t } from "../i18n";
import { choicesOf } from "../labels";
import type { ControlAria } from "./field";

export interface CatalogueSelectProps {
  catalogue: DescEnum;
  lang: Lang;
  value: number;
  onChange: (v: number) => void;
  aria: ControlAria;
  emptyLabel?: "chooseOne" | "anyValue" | "noChange";
  only?: number[];
}

export function CatalogueSelect({ catalogue, lang, value, onChange, aria, emptyLabel, only }: CatalogueSelectProps) {
  const choices = choicesOf(catalogue, lang).filter((c) => !only || only.includes(c.number));
  return (
    <select {...aria} value={String(value)} onChange={(ev) => onChange(Number(ev.currentTarget.value))}>
      <option value="0">{t(emptyLabel ?? "chooseOne", lang)}</option>
      {choices.map((c) => (
        <option value={String(c.number)} key={c.number}>{c.label}</option>
      ))}
    </select>
  );
}
