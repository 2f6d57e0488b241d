// The web client's own texts, Spanish first, English second, one file per
// screen under texts/. Catalogue labels are not here (labels.ts reads them
// from the .proto files' label options, as the CLI does); the node's errors
// come in the user's language (api.ts sends it as Accept-Language).
import { common } from "./texts/common";
import { registerTexts } from "./texts/register";
import { caseListTexts } from "./texts/case_list";
import { casePageTexts } from "./texts/case_page";
import { referralTexts } from "./texts/referrals";
import { alertTexts } from "./texts/alerts";
import { adminTexts } from "./texts/admin";

export type Lang = "es" | "en";
export type Texts = Record<string, Record<Lang, string>>;

const texts = {
  ...common,
  ...registerTexts,
  ...caseListTexts,
  ...casePageTexts,
  ...referralTexts,
  ...alertTexts,
  ...adminTexts,
};

export type TextKey = keyof typeof texts;

export function t(key: TextKey, lang: Lang): string {
  return texts[key][lang];
}
