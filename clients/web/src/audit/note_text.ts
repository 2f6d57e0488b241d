// The text rules of C2SP signed notes (crypto/signed_note.h): a key name is
// non-empty, with no "+", no Unicode white space and no control character;
// a note's text is non-empty, ends in "\n" and has no control character but
// "\n". A JavaScript string is UTF-16: a lone surrogate is not UTF-8.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F]/;
const SPACE = /[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/;

export function isKeyName(name: string): boolean {
  return name.length > 0 && !name.includes("+") && !SPACE.test(name) &&
    !CONTROL.test(name) && !LONE_SURROGATE.test(name);
}

export function isNoteText(text: string): boolean {
  return text.endsWith("\n") && !CONTROL.test(text) && !LONE_SURROGATE.test(text);
}
