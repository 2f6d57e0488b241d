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
};

}  // namespace

absl::Span<const MessageText> AdminMessages() { return kAdminMessages; }

}  // namespace resguardo::cli
