// The node's field violations (google.rpc.BadRequest: a field path and an
// English description, services/api/field_violations.h) in the user's
// language: the descriptions the node writes are a fixed set of phrases;
// those known here are translated, any other is shown as the node sent it.
import type { Lang } from "./i18n";

const phrases: [RegExp, { es: string; en: string }][] = [
  [/^is required/, { es: "Es obligatorio.", en: "Is required." }],
  [/^must not be in the future/, { es: "No puede ser una fecha futura.", en: "Must not be in the future." }],
  [/^must be a real calendar date/, { es: "Debe ser una fecha real del calendario.", en: "Must be a real calendar date." }],
  [/^must be a year and month/, { es: "Debe ser un año y un mes.", en: "Must be a year and a month." }],
  [/^must not be after the reported date/, { es: "No puede ser posterior a la fecha de recepción.", en: "Must not be after the reported date." }],
  [/^is not a code of its catalogue/, { es: "No es un código de su catálogo.", en: "Is not a code of its catalogue." }],
  [/^repeats a code/, { es: "Repite un código ya elegido.", en: "Repeats a code already chosen." }],
  [/^must be an INEGI state code/, { es: "Debe ser una clave de entidad del INEGI (01 a 32).", en: "Must be an INEGI state code (01 to 32)." }],
  [/^must be an INEGI municipality code/, { es: "Debe ser una clave de municipio del INEGI de tres dígitos (001 a 999).", en: "Must be a three-digit INEGI municipality code (001 to 999)." }],
  [/^must be a phone number/, { es: "Debe ser un teléfono: dígitos, espacios, '-', '()' y un '+' inicial opcional.", en: "Must be a phone number: digits, spaces, '-', '()' and an optional leading '+'." }],
  [/^must have 7 to 15 digits/, { es: "Debe tener de 7 a 15 dígitos.", en: "Must have 7 to 15 digits." }],
  [/^must be an e-mail address/, { es: "Debe ser un correo electrónico como nombre@ejemplo.org.", en: "Must be an e-mail address such as name@example.org." }],
  [/^must be a CURP/, { es: "Debe ser una CURP: 18 caracteres en mayúsculas con fecha de nacimiento y dígito verificador válidos.", en: "Must be a CURP: 18 upper-case characters with a valid birth date and check digit." }],
  [/^applies to political-violence cases only/, { es: "Solo aplica a casos de violencia política.", en: "Applies to political-violence cases only." }],
  [/^applies to GBV cases only/, { es: "Solo aplica a casos de violencia de género.", en: "Applies to GBV cases only." }],
  [/^must not be before/, { es: "No puede ser anterior a la fecha de emisión.", en: "Must not be before the issue date." }],
  [/^must be (\d+) to (\d+) characters|^must have (\d+) to (\d+) characters/, { es: "Tiene una longitud no permitida.", en: "Has a length not allowed." }],
];

export function fieldMessage(description: string, lang: Lang): string {
  for (const [re, m] of phrases) if (re.test(description)) return m[lang];
  return description;
}

// A violation's path without the request's prefix and list indexes:
// "case_record.descriptors.conducts[2]" is the form field
// "descriptors.conducts".
export function formField(path: string, prefix: string): string {
  const p = path.startsWith(prefix) ? path.slice(prefix.length) : path;
  return p.replace(/\[\d+\]/g, "");
}
