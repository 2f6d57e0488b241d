// The node's field violations (google.rpc.BadRequest) come described in the
// page's language: the node writes them from its one error catalogue
// (services/api/error_catalogue.cc) for the Accept-Language that api.ts
// sends. What is left here is where a violation's path lands in a form.

// A violation's description as a sentence beside its field: the node
// writes "debe tener de 7 a 15 dígitos"; the form shows "Debe tener de 7 a
// 15 dígitos.".
export function asSentence(description: string): string {
  const text = description.trim();
  if (!text) return text;
  const first = text.charAt(0).toLocaleUpperCase() + text.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

// A violation's path without the request's prefix and list indexes:
// "case_record.descriptors.conducts[2]" is the form field
// "descriptors.conducts". The lists named in `indexed` are shown one block
// per element, so their index stays, as a path step:
// "resolution.sanctioned_persons[1].sanctions[0].fine_amount" with
// indexed ["sanctioned_persons"] is "sanctioned_persons.1.sanctions.fine_amount".
export function formField(path: string, prefix: string, indexed: readonly string[] = []): string {
  const p = path.startsWith(prefix) ? path.slice(prefix.length) : path;
  return p.replace(/(\w*)\[(\d+)\]/g, (_m, list: string, i: string) =>
    indexed.includes(list) ? `${list}.${i}` : list);
}
