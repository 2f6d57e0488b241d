#include "services/api/error_catalogue.h"

#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace resguardo::api {
namespace {

// Not a type.googleapis.com/ URL: the edge never sends it as it is.
constexpr absl::string_view kErrorTextTypeUrl = "resguardo.internal/ErrorText";

using E = ErrorId;

// Written from docs/glosario.md. Field violations complete a sentence that
// starts with the field's name ("folio: debe ser ..."); whole errors are
// sentences.
constexpr CatalogueEntry kCatalogue[] = {
    {E::kRequired, "es obligatorio", "is required"},
    {E::kNotInCatalogue, "no es un código de su catálogo",
     "is not a code of its catalogue"},
    {E::kRepeatedCode, "repite un código ya indicado",
     "repeats a code already given"},
    {E::kNotInFuture, "no puede estar en el futuro",
     "must not be in the future"},
    {E::kRealDateFrom, "debe ser una fecha real a partir de $0",
     "must be a real calendar date from $0 on"},
    {E::kTimeFrom, "debe ser a partir de $0", "must be from $0 on"},
    {E::kValidTime, "debe ser una fecha y hora válidas",
     "must be a valid date and time"},
    {E::kValidTimeInRange,
     "debe ser una fecha y hora válidas, de los años $0 a $1",
     "must be a valid date and time, years $0 to $1"},
    {E::kYearMonth, "debe ser un año y un mes, sin día",
     "must be a year and a month, without a day"},
    {E::kMonthText, "debe ser un mes escrito AAAA-MM",
     "must be a month written YYYY-MM"},
    {E::kUtf8, "debe ser texto UTF-8 válido", "must be valid UTF-8 text"},
    {E::kNoControlMultiLine,
     "no puede contener caracteres de control salvo saltos de línea y "
     "tabuladores",
     "must not contain control characters other than line breaks and tabs"},
    {E::kSingleLine, "debe ser una sola línea, sin caracteres de control",
     "must be a single line without control characters"},
    {E::kLength, "debe tener de $0 a $1 caracteres",
     "must have $0 to $1 characters"},
    {E::kAtMostBytes, "admite como máximo $0 bytes",
     "must be at most $0 bytes"},
    {E::kAtMostValues, "admite como máximo $0 valores (cada uno una vez)",
     "takes at most $0 values (each one once)"},
    {E::kNotBeforeStart, "no puede ser anterior al inicio del periodo",
     "must not be before the start of the period"},
    {E::kAtLeast, "debe ser al menos $0", "must be at least $0"},

    {E::kUndecodableMessage,
     "debe ser un mensaje bien formado; la solicitud no se leyó",
     "must be a well-formed message; the request was not read"},
    {E::kUndecodableUtf8,
     "debe ser texto UTF-8 válido; la solicitud no se leyó",
     "must be valid UTF-8 text; the request was not read"},
    {E::kWrongJsonType,
     "tiene un valor del tipo equivocado o no es un dato de la solicitud; la "
     "solicitud no se leyó",
     "has a value of the wrong type or is not part of the request; the "
     "request was not read"},
    {E::kTimeoutHeader, "debe ser un plazo en milisegundos, de 1 a $0 dígitos",
     "must be a deadline in milliseconds, 1 to $0 digits"},

    {E::kInstitutionName,
     "debe ser el nombre de una institución: institutions/{institución}",
     "must be an institution's name: institutions/{institution}"},
    {E::kInstitutionNameOrAll,
     "debe ser el nombre de una institución (institutions/{institución}) o "
     "institutions/- para todas",
     "must be an institution's name (institutions/{institution}) or "
     "institutions/- for all of them"},
    {E::kCaseName,
     "debe ser el nombre de un caso: institutions/{institución}/cases/{folio}",
     "must be a case's name: institutions/{institution}/cases/{folio}"},
    {E::kUserName,
     "debe ser el nombre de una usuaria: "
     "institutions/{institución}/users/{usuaria}",
     "must be a user's name: institutions/{institution}/users/{user}"},
    {E::kReferralName,
     "debe ser el nombre de una canalización: "
     "institutions/{institución}/referrals/{número}",
     "must be a referral's name: "
     "institutions/{institution}/referrals/{number}"},
    {E::kInstitutionId, "debe ser el identificador de una institución",
     "must be an institution's identifier"},
    {E::kInstitutionIdForm,
     "debe tener de $0 a $1 caracteres: A-Z, 0-9 y '-', y empezar con una "
     "letra",
     "must have $0 to $1 characters: A-Z, 0-9 and '-', starting with a "
     "letter"},
    {E::kUserIdForm,
     "debe tener de $0 a $1 caracteres: a-z, 0-9, '.', '_' y '-', y empezar "
     "con una letra o un dígito",
     "must have $0 to $1 characters: a-z, 0-9, '.', '_' and '-', starting "
     "with a letter or a digit"},
    {E::kInstitutionKind, "debe ser un tipo de institución del catálogo",
     "must be an institution kind of the catalogue"},
    {E::kOtherReceivingInstitution,
     "debe ser otra institución que la que canaliza",
     "must be another institution than the referring one"},
    {E::kReceivingInstitutionOfNode, "debe ser una institución de este nodo",
     "must be an institution of this node"},

    {E::kStateCode, "debe ser un código de estado del INEGI, de 01 a 32",
     "must be an INEGI state code, 01 to 32"},
    {E::kMunicipalityCode,
     "debe ser un código de municipio del INEGI de tres dígitos, de 001 a 570 "
     "(ningún estado tiene más; 999, «no especificado», no es un municipio: "
     "si no lo sabe, omítalo)",
     "must be an INEGI municipality code of three digits, 001 to 570 (no "
     "state has more; 999, \"not specified\", is no municipality: if you do "
     "not know it, leave it out)"},
    {E::kStateMunicipalityCode,
     "debe ser un código de estado y municipio del INEGI (5 dígitos)",
     "must be an INEGI state and municipality code (5 digits)"},
    {E::kPhoneCharacters,
     "debe ser un número de teléfono: dígitos, espacios, '-', '()' y un '+' "
     "inicial opcional",
     "must be a phone number: digits, spaces, '-', '()' and an optional "
     "leading '+'"},
    {E::kPhoneDigits, "debe tener de $0 a $1 dígitos",
     "must have $0 to $1 digits"},
    {E::kEmail, "debe ser un correo electrónico como nombre@ejemplo.org",
     "must be an e-mail address such as name@example.org"},
    {E::kCurp,
     "debe ser una CURP: 18 caracteres en mayúsculas, con fecha de "
     "nacimiento y dígito verificador válidos",
     "must be a CURP: 18 characters in upper case with a valid birth date "
     "and check digit"},
    {E::kAtMostNames, "admite como máximo $0 nombres",
     "takes at most $0 names"},

    {E::kEtagRequired, "es obligatoria: envíe la versión (etag) que leyó",
     "is required: send the version (etag) you read"},
    {E::kEtagForm, "debe ser una versión (etag) que devolvió el nodo",
     "must be a version (etag) the node returned"},
    {E::kPageSizeNegative,
     "no puede ser negativo (0 pide el tamaño predeterminado; uno mayor que "
     "el máximo, el máximo)",
     "must not be negative (0 asks for the default size; one above the "
     "maximum, the maximum)"},
    {E::kPageTokenForm, "debe ser un token de página que devolvió el nodo",
     "must be a page token the node returned"},
    {E::kPageTokenOfAnotherQuery,
     "pertenece a otra consulta: repita la consulta que lo devolvió con los "
     "mismos filtros, o empiece de nuevo sin él",
     "belongs to another query: repeat the query that returned it with the "
     "same filters, or start again without it"},
    {E::kPageTokenOutOfRange,
     "debe ser un token de página de esta consulta: su posición está fuera "
     "del rango pedido",
     "must be a page token of this query: its position is outside the range "
     "asked for"},
    {E::kRequestIdReused,
     "ya lo usó usted para otra solicitud: envíe uno nuevo para una "
     "solicitud nueva (el mismo solo para reintentar la misma)",
     "was already used by you for another request: send a new one for a new "
     "request (the same one only to retry the same request)"},
    {E::kResumeToken,
     "debe ser un token de reanudación de las alertas de esta institución",
     "must be a resume token of this institution's alerts"},

    {E::kRolesRequired, "es obligatorio: indique al menos un rol",
     "is required: give at least one role"},
    {E::kNotARole, "no es un rol del catálogo",
     "is not a role of the catalogue"},
    {E::kRepeatedRole, "repite un rol", "repeats a role"},
    {E::kRolesSeparated,
     "los roles de administradora y auditora no se combinan con los de "
     "registradora, persona de seguimiento o supervisora",
     "the administrator and auditor roles cannot be combined with the "
     "registrar, caseworker or supervisor roles"},
    {E::kMonitorAlone,
     "el rol de monitoreo no se combina con ningún otro: su certificado vive "
     "en el servidor de monitoreo",
     "the monitor role cannot be combined with any other role: its "
     "certificate lives on the monitoring server"},

    {E::kPoliticalViolenceOnly,
     "solo aplica a casos de violencia política contra las mujeres en razón "
     "de género",
     "applies to cases of political violence against women based on gender "
     "only"},
    {E::kGenderViolenceOnly, "solo aplica a casos de violencia de género",
     "applies to gender-based violence cases only"},
    {E::kIncidentAfterReport,
     "no puede ser posterior a la fecha en que se recibió la queja",
     "must not be after the date the complaint was received"},
    {E::kUpdateMaskRequired, "es obligatorio: indique los datos que cambian",
     "is required: name the data that change"},
    {E::kRepeatedPath, "repite un dato", "repeats a piece of data"},
    {E::kOutputOnly, "nombra un dato que solo escribe el nodo",
     "names data that only the node writes"},
    {E::kNotUpdatable, "no es un dato del caso que se pueda cambiar",
     "is not data of the case that can be changed"},
    {E::kCloseWithItsAction,
     "no puede pasar a cerrado aquí: cierre el caso con la acción de cerrar",
     "cannot become closed here: close the case with the close action"},
    {E::kViewBasicOrFull, "debe ser la vista básica o la vista completa",
     "must be the basic view or the full view"},
    {E::kPurposeForFullView,
     "es obligatorio para la vista completa: declare el propósito de la "
     "consulta",
     "is required for the full view: declare the purpose of the access"},
    {E::kExpiryBeforeIssue,
     "no puede ser anterior a la fecha de emisión de la medida",
     "must not be before the date the measure was issued"},

    {E::kServicesRequired, "es obligatorio: indique al menos un servicio",
     "is required: give at least one service"},
    {E::kNotAService, "debe contener servicios de su catálogo",
     "must hold services of its catalogue"},
    {E::kRepeatedService, "no puede repetir un servicio",
     "must not repeat a service"},
    {E::kNotAReferralStatus, "debe contener estatus de canalización",
     "must hold referral statuses"},
    {E::kConsentOrOverride,
     "indique el consentimiento o la excepción por riesgo inminente, no "
     "ambos",
     "give either the consent or the imminent-risk override, not both"},
    {E::kConsentGiver, "es obligatorio: la víctima o su representante legal",
     "is required: the victim or her legal representative"},
    {E::kConsentMethod, "es obligatorio: en persona, por escrito o grabado",
     "is required: in person, in writing or recorded"},
    {E::kConsentScope,
     "es obligatorio: solo contacto; contacto y narración; o completo",
     "is required: contact only; contact and narrative; or full"},
    {E::kTimeFromNotFuture,
     "es obligatoria: una fecha y hora a partir de $0 que no esté en el "
     "futuro",
     "is required: a date and time from $0 on, not in the future"},
    {E::kAllOrSomeInstitutions,
     "indique todas las instituciones o algunas, no ambas cosas",
     "give all institutions or some of them, not both"},
    {E::kOtherThanCaseInstitution,
     "debe ser otra institución que la que tiene el caso",
     "must be another institution than the one that holds the case"},
    {E::kBoxRequired, "es obligatoria: la bandeja de entrada o la de salida",
     "is required: the inbox or the outbox"},

    {E::kAtMostDimensions, "admite como máximo $0 dimensiones",
     "takes at most $0 dimensions"},
    {E::kNotADimension, "no es una dimensión permitida",
     "is not an allowed dimension"},
    {E::kRepeatedDimension, "repite una dimensión", "repeats a dimension"},
    {E::kOnePeriodDimension, "admite una sola dimensión de periodo",
     "takes one period dimension at most"},
    {E::kMunicipalityWithPosition,
     "el municipio nunca se cruza con el cargo de la víctima (la "
     "identificaría)",
     "the municipality is never crossed with the victim's position (it would "
     "identify her)"},
    {E::kMunicipalityWithPositionFilter,
     "el municipio nunca se cruza con el cargo de la víctima, tampoco como "
     "filtro (la identificaría)",
     "the municipality is never crossed with the victim's position, as a "
     "filter either (it would identify her)"},
    {E::kAtMostFilters, "admite como máximo $0 filtros",
     "takes at most $0 filters"},
    {E::kNotAFilterDimension,
     "no es una dimensión de filtro (el periodo se indica con el mes inicial "
     "y el final)",
     "is not a filter dimension (the period is given by the first and the "
     "last month)"},
    {E::kOneFilterPerDimension, "admite un solo filtro por dimensión",
     "takes one filter per dimension"},
    {E::kFilterValues, "debe tener de $0 a $1 valores",
     "must have $0 to $1 values"},
    {E::kDaysBucket, "debe ser uno de: none, 0, 1-2, 3-7, 8-30, 31+",
     "must be one of: none, 0, 1-2, 3-7, 8-30, 31+"},
    {E::kResolutionDaysBucket,
     "debe ser uno de: none, 0-30, 31-90, 91-180, 181-365, 366+",
     "must be one of: none, 0-30, 31-90, 91-180, 181-365, 366+"},
    {E::kStatsPopulationBelowK,
     "La consulta abarca menos de $0 casos (o mujeres, o valores): no se "
     "publica nada. Amplíe los filtros o los meses.",
     "The query covers fewer than $0 cases (or women, or values): nothing "
     "is released. Widen the filters or the months."},
    {E::kNotAMeasure, "no es una medida del catálogo",
     "is not a measure of the catalogue"},
    {E::kEpsilonRange, "debe ser 0 (sin privacidad diferencial) o de 0.01 a 10",
     "must be 0 (no differential privacy) or 0.01 to 10"},
    {E::kEpsilonMeasure,
     "con presupuesto de privacidad solo se cuentan casos o víctimas "
     "distintas",
     "with a privacy budget only cases or distinct victims are counted"},
    {E::kEpsilonMunicipality,
     "el municipio solo se admite sin presupuesto de privacidad",
     "the municipality is taken only without a privacy budget"},
    {E::kEpsilonMonthsRequired,
     "con presupuesto de privacidad y una dimensión de periodo, el mes "
     "inicial y el final son obligatorios",
     "with a privacy budget and a period dimension, the first and the last "
     "month are required"},
    {E::kEpsilonYears, "con presupuesto de privacidad, como máximo $0 años",
     "with a privacy budget, at most $0 years"},
    {E::kPrivateTableCells,
     "con presupuesto de privacidad la tabla admite como máximo $0 celdas: "
     "reduzca las dimensiones o los meses",
     "with a privacy budget the table takes at most $0 cells: narrow the "
     "dimensions or the months"},
    {E::kTableCells,
     "una tabla admite como máximo $0 celdas y esta dimensión la excede: use "
     "menos dimensiones, un periodo más amplio, menos meses o un filtro",
     "a table takes at most $0 cells and this dimension takes it past them: "
     "use fewer dimensions, a coarser period, fewer months or a filter"},

    {E::kEndIndex, "debe ser 0 (sin límite) o al menos la entrada inicial",
     "must be 0 (no bound) or at least the first entry"},
    {E::kOutcomeCode, "debe ser un código de resultado de 0 a $0",
     "must be an outcome code from 0 to $0"},
    {E::kTreeSizeAboveIndex, "debe ser mayor que la posición de la entrada",
     "must be greater than the entry's position"},
    {E::kAtLeastOldSize, "debe ser al menos el tamaño anterior de la bitácora",
     "must be at least the audit log's earlier size"},
    {E::kAtMostTreeSize,
     "no puede ser mayor que el tamaño de la bitácora pedido",
     "must not be greater than the audit log size asked for"},

    {E::kCodeCancelled, "La llamada se canceló.", "The call was cancelled."},
    {E::kCodeUnknown,
     "El nodo no pudo completar la llamada; su operadora puede buscarla por "
     "el identificador de solicitud de esta respuesta.",
     "The node could not complete the call; its operator can look it up by "
     "this answer's request id."},
    {E::kCodeInvalidArgument, "La solicitud tiene datos inválidos.",
     "The request has invalid values."},
    {E::kCodeDeadlineExceeded,
     "La llamada no terminó dentro de su plazo; reintente más tarde.",
     "The call did not finish within its deadline; retry later."},
    {E::kCodeNotFound, "No encontrado.", "Not found."},
    {E::kCodeAlreadyExists, "Ya existe.", "It already exists."},
    {E::kCodePermissionDenied, "Sin permiso para esta acción.",
     "Not allowed to do this (permission denied)."},
    {E::kCodeResourceExhausted,
     "El nodo está ocupado o la solicitud excede un límite; reintente más "
     "tarde o pida menos.",
     "The node is busy or the request is over a limit; retry later or ask "
     "for less."},
    {E::kCodeFailedPrecondition, "La acción no es posible en el estado actual.",
     "The action is not possible in the current state."},
    {E::kCodeAborted,
     "Alguien más hizo un cambio desde que usted leyó los datos; vuelva a "
     "leerlos y repita la acción.",
     "Someone else made a change since you read the data; read them again "
     "and repeat the action."},
    {E::kCodeOutOfRange, "Un valor está fuera del rango permitido.",
     "A value is outside the allowed range."},
    {E::kCodeUnimplemented, "El nodo no ofrece esta acción.",
     "The node does not offer this action."},
    {E::kCodeInternal,
     "El nodo no pudo completar la llamada; su operadora puede buscarla por "
     "el identificador de solicitud de esta respuesta.",
     "The node could not complete the call; its operator can look it up by "
     "this answer's request id."},
    {E::kCodeUnavailable, "El nodo no está disponible; reintente más tarde.",
     "The node is not available; retry later."},
    {E::kCodeDataLoss,
     "El nodo no pudo completar la llamada; su operadora puede buscarla por "
     "el identificador de solicitud de esta respuesta.",
     "The node could not complete the call; its operator can look it up by "
     "this answer's request id."},
    {E::kCodeUnauthenticated,
     "Su certificado no corresponde a una usuaria de este nodo.",
     "Your certificate is not one of a user of this node."},
    {E::kStorageUnavailable,
     "El almacenamiento del nodo no está disponible; reintente más tarde.",
     "The node's storage is not available; retry later."},
    {E::kCaseChanged,
     "Alguien más cambió el caso desde que usted lo leyó; vuelva a leerlo y "
     "repita el cambio.",
     "Someone else changed the case since you read it; read it again and "
     "repeat the change."},
    {E::kConsentRequired,
     "Canalizar un caso requiere el consentimiento de la víctima (o, ante "
     "un riesgo inminente, la excepción de una supervisora).",
     "Referring a case requires the victim's consent (or, for imminent risk, "
     "a supervisor's override)."},
    {E::kRequestNotDecoded,
     "La solicitud no es un mensaje válido de esta acción; no se leyó.",
     "The request is not a valid message of this action; it was not read."},
    {E::kRoleSeparationOverTime,
     "Esta usuaria tuvo un rol que no se combina con el pedido (separación "
     "de roles): ese trabajo necesita otra usuaria.",
     "This user held a role that does not combine with the one asked for "
     "(role separation): that work needs another user."},
    {E::kMeasureName,
     "debe ser el nombre de una medida de protección: "
     "institutions/{institución}/cases/{folio}/protectionMeasures/{n}",
     "must be a protection measure's name: "
     "institutions/{institution}/cases/{folio}/protectionMeasures/{n}"},
    {E::kExpiryOnlyExtendedOrInForce,
     "solo cuando la medida se prorroga o entra en vigor",
     "only when the measure is extended or comes into force"},
    {E::kExpiryAfterCurrent,
     "una prórroga debe vencer después del vencimiento actual",
     "an extension must expire after the current expiry date"},
    {E::kCompressionNotAccepted,
     "El nodo no acepta solicitudes comprimidas; envíela sin comprimir.",
     "The node accepts no compressed requests; send it uncompressed."},
    {E::kAlertsDeadlinePassed,
     "Pasó el plazo que usted fijó para recibir alertas; vuelva a pedirlas "
     "con el token de reanudación de la última alerta.",
     "The deadline you set for receiving alerts passed; ask for them again "
     "with the last alert's resume token."},
    {E::kDeniedUserDisabled,
     "Su usuaria está deshabilitada en este nodo; solo la administradora de "
     "su institución puede volver a habilitarla.",
     "Your user is disabled on this node; only your institution's "
     "administrator can enable it again."},
    {E::kDeniedNoRoleMayCall,
     "Ningún rol puede hacer esta acción en este nodo.",
     "No role may do this action on this node."},
    {E::kDeniedRole,
     "Ninguno de sus roles permite esta acción; si su trabajo la requiere, "
     "pida el rol a la administradora de su institución.",
     "None of your roles allows this action; if your work needs it, ask your "
     "institution's administrator for the role."},
    {E::kDeniedOperatorOnly,
     "Solo las administradoras de la institución operadora del nodo pueden "
     "hacer esta acción.",
     "Only the administrators of the node's operating institution may do "
     "this action."},
    {E::kDeniedOtherInstitutionUsers,
     "Una administradora gestiona solo las usuarias de su propia "
     "institución; en otra institución, las de la institución operadora "
     "solo crean administradoras.",
     "An administrator manages only her own institution's users; in another "
     "institution, the operating institution's administrators only create "
     "administrators."},
    {E::kDeniedOwnInstitution, "Usted actúa solo por su propia institución.",
     "You may act only for your own institution."},
    {E::kDeniedExportOversightOnly,
     "Solo las auditoras de un órgano de supervisión exportan la bitácora "
     "completa; usted consulta las entradas de su institución.",
     "Only the auditors of an oversight body export the whole audit log; you "
     "read your institution's entries."},
    {E::kDeniedStatsScope,
     "Solo las analistas de un órgano de supervisión cuentan los casos de "
     "otras instituciones; usted cuenta los de su institución.",
     "Only the analysts of an oversight body count other institutions' "
     "cases; you count your institution's."},
    {E::kDeniedReceiverOnly,
     "Solo la institución que recibe la canalización puede hacer esta "
     "acción.",
     "Only the institution that receives the referral may do this action."},
    {E::kDeniedSenderOnly,
     "Solo la institución que canaliza puede hacer esta acción.",
     "Only the referring institution may do this action."},
    {E::kDeniedReceiverWithdraw,
     "La institución que recibe solo retira una canalización para registrar "
     "que la víctima retiró su consentimiento.",
     "The receiving institution withdraws a referral only to record that the "
     "victim withdrew her consent."},
    {E::kDeniedOverrideSupervisor,
     "Solo una supervisora canaliza sin consentimiento (la excepción por "
     "riesgo inminente).",
     "Only a supervisor refers a case without consent (the imminent-risk "
     "override)."},
    {E::kDeniedReferralSharedData,
     "Solo la institución que recibe lee los datos compartidos de una "
     "canalización; la que canaliza lee su propio caso.",
     "Only the receiving institution reads a referral's shared data; the "
     "referring one reads its own case."},
    {E::kDeniedReferralFullView,
     "La vista completa de una canalización es para personas de seguimiento "
     "y supervisoras.",
     "A referral's full view is for caseworkers and supervisors."},
    {E::kBudgetAnalystRelease,
     "Usted agotó su presupuesto de privacidad (épsilon) de este periodo de "
     "publicación: pida un épsilon menor o espere al periodo siguiente.",
     "You spent your privacy budget (epsilon) for this release period: ask "
     "with a smaller epsilon or wait for the next period."},
    {E::kBudgetInstitutionRelease,
     "Su institución agotó su presupuesto de privacidad (épsilon) de este "
     "periodo de publicación: pida un épsilon menor o espere al periodo "
     "siguiente.",
     "Your institution spent its privacy budget (epsilon) for this release "
     "period: ask with a smaller epsilon or wait for the next period."},
    {E::kBudgetLifetime,
     "Se agotó el presupuesto de privacidad (épsilon) que admiten en total "
     "los datos de estos trimestres; ningún periodo nuevo lo renueva: pida "
     "otros meses o un épsilon menor.",
     "The total privacy budget (epsilon) of the data of these quarters is "
     "spent; no new period renews it: ask for other months or a smaller "
     "epsilon."},
    {E::kQueriesAnalystRelease,
     "Usted agotó sus consultas de este periodo de publicación; repetir una "
     "consulta idéntica no cuesta, o pida con épsilon.",
     "You spent your queries for this release period; repeating an identical "
     "query is free, or ask with epsilon."},
    {E::kQueriesInstitutionRelease,
     "Su institución agotó sus consultas de este periodo de publicación; "
     "repetir una consulta idéntica no cuesta, o pida con épsilon.",
     "Your institution spent its queries for this release period; repeating "
     "an identical query is free, or ask with epsilon."},
    {E::kQueriesLifetime,
     "Se agotaron las consultas que admiten en total los datos de estos "
     "trimestres; ningún periodo nuevo las renueva: pida otros meses.",
     "The total queries of the data of these quarters are spent; no new "
     "period renews them: ask for other months."},
    {E::kCurpBirthYear,
     "no concuerda con la fecha de nacimiento: el año de la CURP (caracteres "
     "5 y 6) es otro",
     "does not match the birth date: the CURP's year (characters 5 and 6) is "
     "another one"},
    {E::kCurpBirthMonth,
     "no concuerda con la fecha de nacimiento: el mes de la CURP (caracteres "
     "7 y 8) es otro",
     "does not match the birth date: the CURP's month (characters 7 and 8) "
     "is another one"},
    {E::kCurpBirthDay,
     "no concuerda con la fecha de nacimiento: el día de la CURP (caracteres "
     "9 y 10) es otro",
     "does not match the birth date: the CURP's day (characters 9 and 10) is "
     "another one"},
    {E::kUserChanged,
     "Alguien más cambió a esta usuaria desde que usted la leyó; vuelva a "
     "leerla y repita el cambio.",
     "Someone else changed this user since you read it; read it again and "
     "repeat the change."},
    {E::kOwnRolesUnchangeable,
     "Una administradora no puede cambiar sus propios roles; debe hacerlo "
     "otra administradora.",
     "An administrator cannot change her own roles; another administrator "
     "must do it."},
    {E::kCannotDisableSelf,
     "Una administradora no puede desactivarse a sí misma; debe hacerlo "
     "otra administradora.",
     "An administrator cannot disable herself; another administrator must "
     "do it."},
    {E::kUserAlreadyDisabled, "Esta usuaria ya está desactivada.",
     "This user is already disabled."},
    {E::kUserNotDisabled,
     "Esta usuaria no está desactivada: no hay nada que reactivar.",
     "This user is not disabled: there is nothing to enable."},
    {E::kOperatorCreatesInstitutions,
     "Solo las administradoras de la institución operadora del nodo crean "
     "instituciones.",
     "Only administrators of the node's operator institution create "
     "institutions."},
    {E::kKeyRotationName,
     "debe ser el nombre de una rotación de claves: "
     "institutions/{institución}/keyRotations/{versión}, o "
     "institutions/{institución}/keyRotations/- para la última",
     "must be a key rotation's name: "
     "institutions/{institution}/keyRotations/{version}, or "
     "institutions/{institution}/keyRotations/- for the latest one"},
    {E::kKeyRotationRunning,
     "Ya hay una rotación de claves en curso en esta institución: espere a "
     "que termine (consulte su avance) antes de iniciar otra.",
     "A key rotation is already running in this institution: wait until it "
     "is done (check its progress) before starting another one."},
    {E::kKeyRotationChanged,
     "Otra rotación de claves empezó desde que usted consultó la última; "
     "vuelva a consultarla antes de iniciar otra.",
     "Another key rotation started since you read the latest one; read it "
     "again before starting another one."},
    {E::kDeniedOtherInstitutionKeys,
     "Una administradora rota solo las claves de su propia institución (las "
     "de la institución operadora, también las de las demás).",
     "An administrator rotates only her own institution's keys (those of the "
     "operator institution, the other institutions' keys too)."},
    {E::kResolutionName,
     "debe ser el nombre de una resolución: "
     "institutions/{institución}/cases/{folio}/resolutions/{n}",
     "must be a resolution's name: "
     "institutions/{institution}/cases/{folio}/resolutions/{n}"},
    {E::kAppealName,
     "debe ser el nombre de una impugnación: "
     "institutions/{institución}/cases/{folio}/resolutions/{n}/appeals/{k}",
     "must be an appeal's name: "
     "institutions/{institution}/cases/{folio}/resolutions/{n}/appeals/{k}"},
    {E::kReparationMeasureName,
     "debe ser el nombre de una medida de reparación: "
     "institutions/{institución}/cases/{folio}/resolutions/{n}/"
     "reparationMeasures/{m}",
     "must be a reparation measure's name: "
     "institutions/{institution}/cases/{folio}/resolutions/{n}/"
     "reparationMeasures/{m}"},
    {E::kNotBeforeReportedDate,
     "no puede ser anterior a la fecha de recepción de la queja",
     "must not be before the day the complaint was received"},
    {E::kNotBeforeResolutionDate,
     "no puede ser anterior a la fecha de la resolución",
     "must not be before the resolution date"},
    {E::kNotBeforeAppealFiled,
     "no puede ser anterior a la fecha en que se presentó la impugnación",
     "must not be before the day the appeal was filed"},
    {E::kNotBeforeAppealDecided,
     "no puede ser anterior a la fecha en que se resolvió la última "
     "impugnación",
     "must not be before the day the last appeal was decided"},
    {E::kSanctionedPersonsWhenProven,
     "es obligatorio cuando la violencia se acreditó y debe quedar vacío "
     "cuando no se acreditó",
     "is required when the violence was proven and must be empty when it was "
     "not"},
    {E::kSanctionNoneAlone, "«Ninguna» no se combina con otra sanción",
     "\"None\" does not combine with another sanction"},
    {E::kFineAmount,
     "debe ser un monto positivo en pesos (MXN), en centavos exactos",
     "must be a positive amount in pesos (MXN), in whole centavos"},
    {E::kOnlyWithFine, "solo se indica con una multa",
     "is given only with a fine"},
    {E::kTermWithInscription,
     "es obligatorio con la inscripción en el registro de personas sancionadas",
     "is required with inscription in the registry of sanctioned persons"},
    {E::kOnlyWithInscription,
     "solo se indica con la inscripción en el registro de personas sancionadas",
     "is given only with inscription in the registry of sanctioned persons"},
    {E::kRegistryTerm,
     "debe tener de 0 a 30 años, de 0 a 120 meses y de 0 a 1000 días, y no ser "
     "todo cero",
     "must have 0 to 30 years, 0 to 120 months and 0 to 1000 days, and not be "
     "all zero"},
    {E::kAppealOutcomeDecided,
     "debe ser un sentido ya resuelto, no «En trámite»",
     "must be a decided outcome, not \"Pending\""},
    {E::kCaseTransition,
     "El caso no puede pasar a ese estado desde su estado actual; elija uno de "
     "los estados que el caso ofrece.",
     "The case cannot move to that status from its current one; choose one of "
     "the statuses the case offers."},
    {E::kResolutionPoliticalViolenceOnly,
     "Solo un caso de violencia política tiene resoluciones de este "
     "procedimiento.",
     "Only a political-violence case has resolutions of this proceeding."},
    {E::kResolutionNotNow,
     "Una resolución se registra cuando el caso está remitido al tribunal y "
     "aún no la tiene, o cuando está impugnado y la impugnación revocó la "
     "resolución o la devolvió para una nueva; corrija la resolución vigente "
     "en lugar de registrar otra.",
     "A resolution is recorded when the case has been sent to court and has "
     "none yet, or when it is appealed and the appeal revoked the resolution "
     "or remanded it for a new one; correct the current resolution instead of "
     "recording another."},
    {E::kResolutionNotCurrent,
     "Solo se corrige, impugna, declara firme o recibe medidas de reparación "
     "la resolución vigente del caso (la última registrada).",
     "Only the case's current resolution (the last recorded) is corrected, "
     "appealed, declared final or given reparation measures."},
    {E::kResolutionIsFinal,
     "La resolución ya quedó firme: ya no se corrige ni se impugna.",
     "The resolution is already final: it is no longer corrected or appealed."},
    {E::kAppealPending,
     "La resolución tiene una impugnación en trámite: registre primero su "
     "sentido.",
     "The resolution has a pending appeal: record its outcome first."},
    {E::kAppealAlreadyDecided,
     "Esta impugnación ya tiene su sentido registrado.",
     "This appeal's outcome is already recorded."},
    {E::kResolutionRevoked,
     "La última impugnación revocó la resolución o la devolvió: registre la "
     "nueva resolución.",
     "The last appeal revoked or remanded the resolution: record the new "
     "resolution."},
    {E::kRouteNeedsResolution,
     "Para pasar a «Resuelta», el caso necesita una resolución registrada y "
     "sin impugnar (después de una impugnación que la revocó, la nueva).",
     "To move to \"Resolved\", the case needs a recorded resolution that is "
     "not appealed (after an appeal that revoked it, the new one)."},
    {E::kRouteNeedsAppeal,
     "Para pasar a «Impugnada», la resolución vigente necesita una impugnación "
     "en trámite registrada.",
     "To move to \"Appealed\", the current resolution needs a pending appeal "
     "on record."},
    {E::kRouteNeedsFinalDate,
     "Para pasar a «Firme», la resolución vigente necesita la fecha en que "
     "quedó firme.",
     "To move to \"Final\", the current resolution needs the day it became "
     "final."},
    {E::kReparationTransition,
     "Ese cambio de cumplimiento no está permitido para la medida de "
     "reparación en su estado actual.",
     "That compliance change is not allowed for the reparation measure in its "
     "current status."},
    {E::kSanctionedPersonName,
     "debe ser el nombre de una persona sancionada de una resolución: "
     "institutions/{institución}/cases/{folio}/resolutions/{n}/"
     "sanctionedPersons/{k}",
     "must be the name of a resolution's sanctioned person: "
     "institutions/{institution}/cases/{folio}/resolutions/{n}/"
     "sanctionedPersons/{k}"},
    {E::kRegistryEntryName,
     "debe ser el nombre de una inscripción del registro: "
     "institutions/{institución}/registryEntries/{n}",
     "must be a registry entry's name: "
     "institutions/{institution}/registryEntries/{n}"},
    {E::kAggressorIndex,
     "debe ser el número (desde 0) de una de las personas agresoras "
     "registradas en el caso",
     "must be the number (from 0) of one of the aggressors recorded in the "
     "case"},
    {E::kRegistryStartBeforeFinal,
     "no puede ser anterior a la fecha en que la resolución quedó firme",
     "cannot be before the day the resolution became final"},
    {E::kRegistryCaseNotFinal,
     "Solo se inscribe en el registro a una persona de un caso firme o ya "
     "inscrito.",
     "Only a person of a case that is final or already registered is "
     "inscribed in the registry."},
    {E::kRegistryResolutionNotFinal,
     "La resolución aún no está firme: registre primero la fecha en que "
     "quedó firme.",
     "The resolution is not final yet: record the day it became final "
     "first."},
    {E::kRegistryNoInscriptionOrdered,
     "La resolución no ordena inscribir a esta persona en el registro.",
     "The resolution does not order this person's inscription in the "
     "registry."},
    {E::kRegistryAlreadyInscribed,
     "Esta persona sancionada ya está inscrita en el registro.",
     "This sanctioned person is already inscribed in the registry."},
    {E::kRegistryEntryChanged,
     "Alguien más cambió la inscripción desde que usted la leyó; vuelva a "
     "leerla y repita el cambio.",
     "Someone else changed the registry entry since you read it; read it "
     "again and repeat the change."},
    {E::kRegistryEntryDelisted,
     "La inscripción ya fue dada de baja del registro.",
     "The registry entry was already delisted."},
    {E::kCaseStatusByRegistry,
     "Los estados «Inscrito en el registro» y «Dado de baja del registro» los "
     "pone el registro de personas sancionadas (al inscribir y al dar de "
     "baja), no una actualización del caso.",
     "The statuses \"Registered\" and \"Delisted\" are set by the registry of "
     "sanctioned persons (when it inscribes and delists), not by an update of "
     "the case."},
    {E::kCaseRegistryInForce,
     "El caso sigue «Inscrito en el registro» mientras alguna de sus "
     "inscripciones esté vigente; pasa a «Dado de baja del registro» cuando "
     "termina la última.",
     "The case stays \"Registered\" while any of its registry entries is in "
     "force; it becomes \"Delisted\" when the last one ends."},
};

static_assert(sizeof(kCatalogue) / sizeof(kCatalogue[0]) ==
                  static_cast<size_t>(ErrorId::kCount),
              "one catalogue entry per ErrorId");

constexpr bool InIdOrder() {
  for (size_t i = 0; i < sizeof(kCatalogue) / sizeof(kCatalogue[0]); ++i) {
    if (static_cast<size_t>(kCatalogue[i].id) != i) return false;
  }
  return true;
}
static_assert(InIdOrder(),
              "catalogue entries in ErrorId order (entry i has id i)");

}  // namespace

absl::Span<const CatalogueEntry> ErrorCatalogue() { return kCatalogue; }

std::string Render(const ErrorText& text, Language language) {
  const size_t index = static_cast<size_t>(text.id());
  if (index >= static_cast<size_t>(ErrorId::kCount)) return "";
  const CatalogueEntry& entry = kCatalogue[index];
  const absl::string_view pattern =
      language == Language::kEnglish ? entry.en : entry.es;
  std::string out;
  out.reserve(pattern.size());
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '$' && i + 1 < pattern.size() &&
        absl::ascii_isdigit(pattern[i + 1])) {
      const size_t n = static_cast<size_t>(pattern[i + 1] - '0');
      if (n < text.limits().size()) absl::StrAppend(&out, text.limits()[n]);
      ++i;
      continue;
    }
    out.push_back(pattern[i]);
  }
  return out;
}

ErrorId ErrorIdForCode(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kCancelled:
      return E::kCodeCancelled;
    case absl::StatusCode::kInvalidArgument:
      return E::kCodeInvalidArgument;
    case absl::StatusCode::kDeadlineExceeded:
      return E::kCodeDeadlineExceeded;
    case absl::StatusCode::kNotFound:
      return E::kCodeNotFound;
    case absl::StatusCode::kAlreadyExists:
      return E::kCodeAlreadyExists;
    case absl::StatusCode::kPermissionDenied:
      return E::kCodePermissionDenied;
    case absl::StatusCode::kResourceExhausted:
      return E::kCodeResourceExhausted;
    case absl::StatusCode::kFailedPrecondition:
      return E::kCodeFailedPrecondition;
    case absl::StatusCode::kAborted:
      return E::kCodeAborted;
    case absl::StatusCode::kOutOfRange:
      return E::kCodeOutOfRange;
    case absl::StatusCode::kUnimplemented:
      return E::kCodeUnimplemented;
    case absl::StatusCode::kInternal:
      return E::kCodeInternal;
    case absl::StatusCode::kUnavailable:
      return E::kCodeUnavailable;
    case absl::StatusCode::kDataLoss:
      return E::kCodeDataLoss;
    case absl::StatusCode::kUnauthenticated:
      return E::kCodeUnauthenticated;
    default:
      return E::kCodeUnknown;
  }
}

absl::Status WithErrorText(absl::Status status, const ErrorText& text) {
  status.SetPayload(kErrorTextTypeUrl, absl::Cord(EncodeErrorText(text)));
  return status;
}

std::optional<ErrorText> ErrorTextOf(const absl::Status& status) {
  auto payload = status.GetPayload(kErrorTextTypeUrl);
  if (!payload.has_value()) return std::nullopt;
  return DecodeErrorText(std::string(*payload));
}

std::string EncodeErrorText(const ErrorText& text) {
  std::string out = absl::StrCat(static_cast<int>(text.id()));
  if (!text.limits().empty()) {
    absl::StrAppend(&out, ":", absl::StrJoin(text.limits(), ","));
  }
  return out;
}

std::optional<ErrorText> DecodeErrorText(absl::string_view encoded) {
  std::pair<absl::string_view, absl::string_view> parts =
      absl::StrSplit(encoded, absl::MaxSplits(':', 1));
  int id = 0;
  if (!absl::SimpleAtoi(parts.first, &id) || id < 0 ||
      id >= static_cast<int>(ErrorId::kCount)) {
    return std::nullopt;
  }
  ErrorText text(static_cast<ErrorId>(id));
  if (parts.second.empty()) return text;
  std::vector<int64_t> limits;
  for (absl::string_view limit : absl::StrSplit(parts.second, ',')) {
    int64_t n = 0;
    if (!absl::SimpleAtoi(limit, &n)) return std::nullopt;
    limits.push_back(n);
  }
  return ErrorText::WithLimits(static_cast<ErrorId>(id), std::move(limits));
}

}  // namespace resguardo::api
