// The CLI's texts for `resguardo audit ...`: help, options, results of proofs,
// exports and verifications, and the fields of the entry list (messages.h;
// Spanish first: it is what most users read).
#include "clients/cli/message_parts.h"

namespace resguardo::cli {
namespace {

constexpr MessageText kAuditMessages[] = {
    {MsgId::kGroupAudit,
     "Bitácora de auditoría: puntos de control, entradas, pruebas y "
     "verificación.",
     "Audit log: checkpoints, entries, proofs and verification."},
    {MsgId::kCmdAuditCheckpoint,
     "Muestra el último punto de control firmado y las claves del nodo.",
     "Shows the latest signed checkpoint and the node's keys."},
    {MsgId::kCmdAuditEntries,
     "Lista entradas de la bitácora (las de su institución; todas si es de "
     "supervisión).",
     "Lists audit log entries (your institution's; all for an oversight "
     "institution)."},
    {MsgId::kCmdAuditProve,
     "Obtiene la prueba de inclusión de una entrada y la verifica localmente.",
     "Fetches an entry's inclusion proof and verifies it locally."},
    {MsgId::kCmdAuditExport,
     "Exporta la bitácora completa a un paquete para verificarla sin conexión.",
     "Exports the whole log to a bundle for offline verification."},
    {MsgId::kCmdAuditVerify,
     "Verifica sin conexión un paquete exportado con la clave pública del "
     "nodo.",
     "Verifies an exported bundle offline with the node's public key."},
    {MsgId::kUsageAuditProve, "ÍNDICE [--vkey LLAVE]...",
     "INDEX [--vkey KEY]..."},
    {MsgId::kUsageAuditExport, "--out ARCHIVO [--size N]",
     "--out FILE [--size N]"},
    {MsgId::kUsageAuditVerify, "PAQUETE --key LLAVE [--vkey LLAVE]...",
     "BUNDLE --key KEY [--vkey KEY]..."},
    {MsgId::kDetailsAuditVerify,
     "Recalcula el árbol de Merkle con las entradas, comprueba la firma de "
     "cada punto de control y nombra el primer índice alterado. La clave "
     "(--key, o --vkey repetible) es la que imprime `resguardod audit-key` (o "
     "un archivo con esa salida); no use la que trae el paquete. Este comando "
     "no se conecta al nodo.",
     "Recomputes the Merkle tree from the entries, checks every checkpoint's "
     "signature and names the first bad index. The key (--key, or the "
     "repeatable --vkey) is the one `resguardod audit-key` prints (or a file "
     "holding that output); do not use the one inside the bundle. This command "
     "does not connect to the node."},
    {MsgId::kFlagAuditKey,
     "clave pública del nodo (vkey de `resguardod audit-key`) o archivo que la "
     "contiene",
     "the node's public key (vkey from `resguardod audit-key`) or a file "
     "holding it"},
    {MsgId::kFlagAuditRefresh,
     "firma antes un punto de control con todas las entradas hasta ahora",
     "first sign a checkpoint covering every entry so far"},
    {MsgId::kFlagAuditFrom, "primer índice", "first index"},
    {MsgId::kFlagAuditTo, "índice final (excluido)", "end index (excluded)"},
    {MsgId::kFlagAuditActor, "usuaria que llamó (institutions/X/users/Y)",
     "calling user (institutions/X/users/Y)"},
    {MsgId::kFlagAuditInstitution, "institución de quien llamó",
     "the caller's institution"},
    {MsgId::kFlagAuditMethod,
     "método, p. ej. GetCase, CaseService/GetCase o "
     "/resguardo.v1.CaseService/GetCase",
     "method, e.g. GetCase, CaseService/GetCase or "
     "/resguardo.v1.CaseService/GetCase"},
    {MsgId::kFlagAuditResource,
     "folio (IEEPCO-2026-000123) o nombre de recurso (institutions/…)",
     "folio (IEEPCO-2026-000123) or resource name (institutions/…)"},
    {MsgId::kFlagAuditOutcome,
     "resultado: OK, NOT_FOUND, PERMISSION_DENIED… o su número (0 = OK)",
     "outcome: OK, NOT_FOUND, PERMISSION_DENIED… or its number (0 = OK)"},
    {MsgId::kErrAuditMethod,
     "--method: ningún método se llama así; p. ej. GetCase o "
     "CaseService/GetCase",
     "--method: no method has that name; e.g. GetCase or CaseService/GetCase"},
    {MsgId::kErrAuditMethodAmbiguous,
     "--method: varios servicios tienen un método con ese nombre; escriba "
     "Servicio/Método",
     "--method: several services have a method of that name; write "
     "Service/Method"},
    {MsgId::kErrAuditOutcome,
     "--outcome: use un resultado (OK, INVALID_ARGUMENT, NOT_FOUND, "
     "PERMISSION_DENIED…) o su número de 0 a 16",
     "--outcome: use an outcome (OK, INVALID_ARGUMENT, NOT_FOUND, "
     "PERMISSION_DENIED…) or its number from 0 to 16"},
    {MsgId::kFlagAuditSince, "desde (fecha y hora)", "from (date and time)"},
    {MsgId::kFlagAuditUntil, "hasta (fecha y hora, excluida)",
     "until (date and time, excluded)"},
    {MsgId::kFlagAuditPageSize, "resultados por página (1–1000)",
     "results per page (1–1000)"},
    {MsgId::kFlagAuditOut, "archivo del paquete a escribir",
     "bundle file to write"},
    {MsgId::kFlagAuditSize,
     "tamaño del árbol a exportar (por omisión, el del último punto de "
     "control)",
     "tree size to export (default: the latest checkpoint's)"},
    {MsgId::kFieldAuditIndex, "Índice", "Index"},
    {MsgId::kFieldAuditTime, "Hora", "Time"},
    {MsgId::kFieldAuditActor, "Quién", "Actor"},
    {MsgId::kAuditActorUnverified, "$0 (sin verificar)", "$0 (unverified)"},
    {MsgId::kFieldAuditMethod, "Método", "Method"},
    {MsgId::kFieldAuditResource, "Recurso", "Resource"},
    {MsgId::kFieldAuditOutcome, "Resultado", "Outcome"},
    {MsgId::kFieldAuditPurpose, "Finalidad", "Purpose"},
    {MsgId::kFieldAuditNote, "Nota", "Note"},
    {MsgId::kAuditCheckpointHeading,
     "Punto de control $0 (tamaño $1), firmado el $2:",
     "Checkpoint $0 (size $1), signed $2:"},
    {MsgId::kAuditKeysHeading, "Claves del nodo (generación, id, vkey):",
     "Node keys (generation, id, vkey):"},
    {MsgId::kAuditProveOk,
     "La entrada $0 está incluida en el punto de control de tamaño $1, firmado "
     "por una clave de confianza.",
     "Entry $0 is included in the checkpoint of size $1, signed by a trusted "
     "key."},
    {MsgId::kAuditProveUntrusted,
     "falta --vkey: la clave pública del nodo tal como se publicó "
     "(resguardod audit-key); las claves que informa el propio nodo no "
     "prueban nada.",
     "missing --vkey: the node's public key as it was published (resguardod "
     "audit-key); keys reported by the node itself prove nothing."},
    {MsgId::kAuditProveFailed, "NO SE PUDO VERIFICAR LA PRUEBA: $0",
     "THE PROOF DOES NOT VERIFY: $0"},
    {MsgId::kAuditExporting, "Exportando", "Exporting"},
    {MsgId::kAuditVerifying, "Verificando", "Verifying"},
    {MsgId::kAuditExportDone,
     "Paquete escrito: $0 ($1 entradas, $2 puntos de control).",
     "Bundle written: $0 ($1 entries, $2 checkpoints)."},
    {MsgId::kAuditVerifyOk,
     "El paquete es íntegro: $0 entradas, $1 puntos de control verificados "
     "(hasta el tamaño $2).",
     "The bundle verifies: $0 entries, $1 checkpoints verified (up to size "
     "$2)."},
    {MsgId::kAuditVerifyUncovered,
     "Aviso: las entradas desde la $0 no están cubiertas por un punto de "
     "control firmado.",
     "Warning: entries from $0 on are not covered by a signed checkpoint."},
    {MsgId::kAuditVerifyFailed, "EL PAQUETE NO ES ÍNTEGRO: $0",
     "THE BUNDLE DOES NOT VERIFY: $0"},
    {MsgId::kAuditFirstBadIndex, "Primer índice alterado: $0",
     "First bad index: $0"},
    {MsgId::kAuditFirstBadRange, "Primer índice alterado: entre $0 y $1",
     "First bad index: between $0 and $1"},
    {MsgId::kErrAuditKeyFile, "no es una clave ni un archivo legible: $0",
     "neither a key nor a readable file: $0"},
    {MsgId::kErrAuditKeyFileEmpty,
     "el archivo $0 no contiene ninguna clave de verificación (una vkey, "
     "como las que imprimen «resguardod audit-key» y «resguardod "
     "publication-key»)",
     "the file $0 holds no verifier key (a vkey, as printed by "
     "\"resguardod audit-key\" and \"resguardod publication-key\")"},
    {MsgId::kErrAuditIndex, "$0 debe ser un número entero ≥ 0",
     "$0 must be a whole number ≥ 0"},
    {MsgId::kErrAuditWrite, "no se pudo escribir $0", "could not write $0"},
};

}  // namespace

absl::Span<const MessageText> AuditMessages() { return kAuditMessages; }

}  // namespace resguardo::cli
