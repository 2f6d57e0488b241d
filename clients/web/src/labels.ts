// Catalogue labels from the .proto files' `(resguardo.v1.label)` option on
// each enum value — the same source as the CLI's — never retyped here.
import { getOption, hasOption } from "@bufbuild/protobuf";
import type { DescEnum } from "@bufbuild/protobuf";
import { catalogue_label, label } from "./gen/resguardo/v1/labels_pb";
import type { Lang } from "./i18n";

export interface Choice {
  number: number;
  code: string;
  label: string;
}

// The label of `value` in `lang`; the code itself when the value has none
// (only *_UNSPECIFIED, which forms never offer).
export function labelOf(e: DescEnum, value: number, lang: Lang): string {
  const v = e.value[value];
  if (!v) return String(value);
  if (!hasOption(v, label)) return v.name;
  const l = getOption(v, label);
  return lang === "es" ? l.es : l.en;
}

// The values a form offers: every value but *_UNSPECIFIED, in proto order.
export function choicesOf(e: DescEnum, lang: Lang): Choice[] {
  return e.values
    .filter((v) => v.number !== 0)
    .map((v) => ({
      number: v.number,
      code: v.localName,
      label: labelOf(e, v.number, lang),
    }));
}

// A catalogue's own label (its `(resguardo.v1.catalogue_label)` option, as
// the CLI's `catalogue list` shows it); its type name when it has none.
export function catalogueLabelOf(e: DescEnum, lang: Lang): string {
  if (!hasOption(e, catalogue_label)) return e.name;
  const l = getOption(e, catalogue_label);
  return (lang === "es" ? l.es : l.en) || e.name;
}
