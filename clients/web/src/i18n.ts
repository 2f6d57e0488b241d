// The web client's own texts, Spanish first, English second, one file per
// screen under texts/. Catalogue labels are not here (labels.ts reads them
// from the .proto files' label options, as the CLI does); the node's errors
// come in the user's language (api.ts sends it as Accept-Language).
import { common } from "./texts/common";
import { registerTexts } from "./texts/register";
import { caseListTexts } from "./texts/case_list";
import { casePageTexts } from "./texts/case_page";
import { referralTexts } from "./texts/referrals";
import { statsTexts } from "./texts/stats";
import { alertTexts } from "./texts/alerts";
import { auditTexts } from "./texts/audit";
import { supervisionTexts } from "./texts/supervision";
import { adminTexts } from "./texts/admin";
import { resolutionTexts } from "./texts/resolutions";
import { registryTexts } from "./texts/registry";

export type Lang = "es" | "en";
export type Texts = Record<string, Record<Lang, string>>;

const texts = {
  ...common,
  ...registerTexts,
  ...caseListTexts,
  ...casePageTexts,
  ...referralTexts,
  ...statsTexts,
  ...alertTexts,
  ...auditTexts,
  ...supervisionTexts,
  ...adminTexts,
  ...resolutionTexts,
  ...registryTexts,
};

export type TextKey = keyof typeof texts;

export function t(key: TextKey, lang: Lang): string {
  return texts[key][lang];
}

// A text with its "{name}" placeholders filled in.
export function tf(key: TextKey, lang: Lang, params: Record<string, string | number | bigint>): string {
  return t(key, lang).replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}
