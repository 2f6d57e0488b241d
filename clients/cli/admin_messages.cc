// The CLI's texts for the administration commands (`resguardo institution`,
// `user` and `catalogue`): their help, options, results and fields (messages.h;
// Spanish first: it is what most users read).
#include "clients/cli/message_parts.h"

namespace resguardo::cli {
namespace {

constexpr MessageText kAdminMessages[] = {
    {MsgId::kGroupAdmin, "Administración: instituciones, usuarias y roles.",
     "Administration: institutions, users and roles."},
    {MsgId::kGroupInstitution, "Instituciones del nodo.",
     "The node's institutions."},
    {MsgId::kGroupUser, "Usuarias de una institución.",
     "An institution's users."},
    {MsgId::kGroupCatalogue,
     "Catálogos: los códigos que aceptan las opciones y sus etiquetas.",
     "Catalogues: the codes options accept, and their labels."},
    {MsgId::kCmdInstitutionCreate,
     "Crea una institución (administradoras de la institución operadora).",
     "Creates an institution (admins of the operator institution)."},
    {MsgId::kCmdInstitutionList, "Lista las instituciones del nodo.",
     "Lists the node's institutions."},
    {MsgId::kCmdUserCreate,
     "Crea una usuaria en su institución, con sus roles.",
     "Creates a user in your institution, with roles."},
    {MsgId::kCmdUserList, "Lista las usuarias de su institución.",
     "Lists your institution's users."},
    {MsgId::kCmdUserSetRoles, "Reemplaza los roles de una usuaria.",
     "Replaces a user's roles."},
    {MsgId::kCmdUserDisable,
     "Desactiva una usuaria (su certificado deja de ser aceptado).",
     "Disables a user (their certificate is no longer accepted)."},
    {MsgId::kCmdUserEnable,
     "Reactiva una usuaria desactivada (su certificado vuelve a ser "
     "aceptado, "
     "con sus roles).",
     "Enables a disabled user again (their certificate is accepted again, "
     "with their roles)."},
    {MsgId::kCmdCatalogueList,
     "Lista los catálogos, o los códigos y etiquetas de uno.",
     "Lists the catalogues, or the codes and labels of one."},
    {MsgId::kUsageInstitutionCreate,
     "--id ID --display-name NOMBRE --kind CÓDIGO [--state NN]",
     "--id ID --display-name NAME --kind CODE [--state NN]"},
    {MsgId::kUsageUserCreate, "USUARIO --role CÓDIGO [--role CÓDIGO ...]",
     "USER --role CODE [--role CODE ...]"},
    {MsgId::kUsageUserSetRoles,
     "USUARIO --role CÓDIGO [--role CÓDIGO ...] --etag ETAG",
     "USER --role CODE [--role CODE ...] --etag ETAG"},
    {MsgId::kUsageUserDisable, "USUARIO --etag ETAG", "USER --etag ETAG"},
    {MsgId::kUsageUserEnable, "USUARIO --etag ETAG", "USER --etag ETAG"},
    {MsgId::kUsageCatalogueList, "[CATÁLOGO]", "[CATALOGUE]"},
    {MsgId::kDetailsUserCreate,
     "USUARIO es el identificador del "
     "certificado\n(spiffe://DOMINIO/inst/INSTITUCIÓN/user/USUARIO), en la "
     "institución de\n--institution. Su certificado se crea con:\n  "
     "deploy/pki.sh DIR client INSTITUCIÓN USUARIO",
     "USER is the identifier in the "
     "certificate\n(spiffe://DOMAIN/inst/INSTITUTION/user/USER), in the "
     "institution of\n--institution. Its certificate is made with:\n  "
     "deploy/pki.sh DIR client INSTITUTION USER"},
    {MsgId::kFlagInstitutionId,
     "identificador: 2–32 letras A–Z, dígitos o «-» (p. ej. IEEPCO)",
     "identifier: 2–32 letters A–Z, digits or '-' (e.g. IEEPCO)"},
    {MsgId::kFlagDisplayName, "nombre para mostrar", "display name"},
    {MsgId::kFlagInstitutionKind, "tipo de institución", "institution kind"},
    {MsgId::kFlagInstitutionState,
     "estado (código INEGI); vacío para una institución federal",
     "state (INEGI code); empty for a federal institution"},
    {MsgId::kFlagRole, "rol", "role"},
    {MsgId::kFlagUserEtag,
     "la versión (etag) de la usuaria tal como la leyó (admin user list)",
     "the user's etag as you read it (admin user list)"},
    {MsgId::kErrNotAUser,
     "el argumento debe ser un identificador de usuaria o "
     "institutions/…/users/…",
     "the argument must be a user id or institutions/…/users/…"},
    {MsgId::kErrUnknownCatalogue,
     "catálogo desconocido; vea: resguardo catalogue list",
     "unknown catalogue; see: resguardo catalogue list"},
    {MsgId::kDoneInstitutionCreated, "Institución creada: $0",
     "Institution created: $0"},
    {MsgId::kDoneUserCreated, "Usuaria creada: $0", "User created: $0"},
    {MsgId::kDoneUserUpdated, "Roles actualizados: $0", "Roles updated: $0"},
    {MsgId::kDoneUserDisabled, "Usuaria desactivada: $0", "User disabled: $0"},
    {MsgId::kDoneUserEnabled, "Usuaria reactivada: $0", "User enabled: $0"},
    {MsgId::kUserActive, "activa", "active"},
    {MsgId::kUserDisabled, "desactivada", "disabled"},
    {MsgId::kCmdWhoami,
     "Muestra quién es usted para el nodo: institución, usuaria y roles.",
     "Shows who you are to the node: institution, user and roles."},
    {MsgId::kFieldInstitutionId, "Institución", "Institution"},
    {MsgId::kFieldDisplayName, "Nombre", "Name"},
    {MsgId::kFieldInstitutionKind, "Tipo", "Kind"},
    {MsgId::kFieldOperator, "Operadora", "Operator"},
    {MsgId::kFieldUser, "Usuaria", "User"},
    {MsgId::kFieldRoles, "Roles", "Roles"},
    {MsgId::kFieldUserState, "Situación", "State"},
    {MsgId::kFieldCatalogue, "Catálogo", "Catalogue"},
    {MsgId::kFieldCodes, "Códigos", "Codes"},
    {MsgId::kFieldCode, "Código", "Code"},
    {MsgId::kFieldLabel, "Etiqueta", "Label"},
    {MsgId::kGroupKeys, "Claves de cifrado de una institución: su rotación.",
     "An institution's encryption keys: their rotation."},
    {MsgId::kCmdKeysRotate,
     "Rota la clave de cifrado de claves (KEK) de la institución.",
     "Rotates the institution's key-encryption key (KEK)."},
    {MsgId::kCmdKeysRotation,
     "Muestra el avance de una rotación de claves (la última si no se "
     "indica).",
     "Shows the progress of a key rotation (the latest one if none is "
     "given)."},
    {MsgId::kUsageKeysRotate, "[--etag ETIQUETA] [--wait]",
     "[--etag ETAG] [--wait]"},
    {MsgId::kUsageKeysRotation, "[VERSIÓN] [--watch]", "[VERSION] [--watch]"},
    {MsgId::kDetailsKeysRotate,
     "La nueva versión cifra desde ya todo registro nuevo; el nodo "
     "reenvuelve\nen segundo plano las claves de datos existentes (sin tocar "
     "los datos\ncifrados) y, al terminar, destruye las versiones "
     "anteriores. Solo una\nrotación a la vez por institución. La "
     "institución es la de --institution.",
     "The new version encrypts every new record at once; the node rewraps "
     "the\nexisting data keys in the background (the encrypted data are not "
     "touched)\nand, when done, destroys the older versions. One rotation "
     "at a time per\ninstitution. The institution is that of "
     "--institution."},
    {MsgId::kFlagKeysEtag,
     "la etiqueta (etag) de la última rotación tal como la leyó (admin keys "
     "rotation): si empezó otra desde entonces, no se inicia",
     "the latest rotation's etag as you read it (admin keys rotation): if "
     "another one started since, none is started"},
    {MsgId::kFlagKeysWait,
     "espera a que termine y muestra su avance mientras tanto",
     "waits until it is done, showing its progress meanwhile"},
    {MsgId::kErrNotARotationVersion,
     "la versión debe ser un número de 2 en adelante, o institutions/…/"
     "keyRotations/…",
     "the version must be a number from 2 on, or institutions/…/"
     "keyRotations/…"},
    {MsgId::kDoneKeyRotationStarted, "Rotación de claves iniciada: $0",
     "Key rotation started: $0"},
    {MsgId::kHeadingKeyRotation, "Rotación de claves: $0", "Key rotation: $0"},
    {MsgId::kKeyRotationProgress,
     "Claves de datos reenvueltas: $0 de $1 (faltan $2)",
     "Data keys rewrapped: $0 of $1 ($2 left)"},
    {MsgId::kFieldRotationState, "Estado de la rotación", "Rotation state"},
    {MsgId::kFieldFromVersion, "Versión anterior", "From version"},
    {MsgId::kFieldToVersion, "Versión nueva", "To version"},
    {MsgId::kFieldKeysTotal, "Claves de datos", "Data keys"},
    {MsgId::kFieldKeysRewrapped, "Reenvueltas", "Rewrapped"},
    {MsgId::kFieldKeysRemaining, "Faltan", "Remaining"},
    {MsgId::kFieldStarted, "Inicio", "Started"},
    {MsgId::kFieldFinished, "Fin", "Finished"},
    {MsgId::kFieldStartedBy, "Iniciada por", "Started by"},
};

}  // namespace

absl::Span<const MessageText> AdminMessages() { return kAdminMessages; }

}  // namespace resguardo::cli
