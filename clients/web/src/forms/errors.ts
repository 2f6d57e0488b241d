// Field errors of a form: the client's own checks (text keys) and the
// node's field violations (by path, in the user's language: api.ts asks
// the node for it), and focus
// on the first field in error so that a keyboard user lands on it.
import type { ApiError } from "../api";
import type { Lang, TextKey } from "../i18n";
import { t } from "../i18n";
import { asSentence, formField } from "../field_messages";
import { idOf } from "./inputs";

export function localErrors(keys: Map<string, TextKey>, lang: Lang): Map<string, string> {
  return new Map([...keys].map(([path, key]) => [path, t(key, lang)]));
}

// The node's violations by form field; `prefix` is the request's path to
// the form's message ("case_record."); `indexed`: the lists whose elements
// have fields of their own (formField).
export function nodeErrors(e: ApiError, prefix: string, indexed: readonly string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, description] of e.fields) {
    const field = formField(path, prefix, indexed);
    const text = asSentence(description);
    out.set(field, out.has(field) ? `${out.get(field)} ${text}` : text);
  }
  return out;
}

export function focusFirstError(errors: Map<string, string>): void {
  // After the render that shows them.
  setTimeout(() => {
    const ids = [...errors.keys()].map(idOf);
    const el = ids.map((id) => document.getElementById(id)).find(Boolean) ??
      document.querySelector<HTMLElement>("[aria-invalid='true']");
    if (!el) return;
    const target = el.tagName === "FIELDSET"
      ? el.querySelector<HTMLElement>("input") ?? el
      : el;
    target.focus();
  }, 0);
}
