// The CLI's texts for the case commands (`resguardo case`, `followup` and
// `measure`): their help, options, prompts, results and the fields of the case
// view (messages.h; Spanish first: it is what most users read).
#include "clients/cli/message_parts.h"

namespace resguardo::cli {
namespace {

constexpr MessageText kCaseMessages[] = {
    {MsgId::kErrNextDueBeforeFollowUp,
     "--next-due no puede ser anterior a la fecha del seguimiento (--occurred)",
     "--next-due cannot be before the follow-up's own date (--occurred)"},
    {MsgId::kGroupCase,
     "Casos: registro, consulta, seguimiento, cierre y borrado de datos "
     "personales.",
     "Cases: registration, reading, follow-up, closure and erasure of personal "
     "data."},
    {MsgId::kGroupFollowUp, "Actuaciones (seguimiento) de un caso.",
     "Follow-ups (actuaciones) of a case."},
    {MsgId::kGroupMeasure, "Medidas de protección de un caso.",
     "Protection measures of a case."},
    {MsgId::kCmdCaseCreate, "Registra un caso (queja).",
     "Registers a case (complaint)."},
    {MsgId::kCmdCaseGet,
     "Muestra un caso; con --view full, también sus datos personales.",
     "Shows a case; with --view full, its personal data too."},
    {MsgId::kCmdCaseList, "Lista los casos de su institución, con filtros.",
     "Lists your institution's cases, with filters."},
    {MsgId::kCmdCaseUpdate, "Cambia campos de un caso.",
     "Changes fields of a case."},
    {MsgId::kCmdFollowUpAdd, "Registra una actuación en un caso.",
     "Records a follow-up on a case."},
    {MsgId::kCmdFollowUpList, "Lista las actuaciones de un caso.",
     "Lists the follow-ups of a case."},
    {MsgId::kCmdMeasureAdd, "Registra una medida de protección en un caso.",
     "Records a protection measure on a case."},
    {MsgId::kCmdCaseClose, "Cierra un caso (supervisora).",
     "Closes a case (supervisor)."},
    {MsgId::kCmdCaseReopen, "Reabre un caso cerrado (supervisora).",
     "Reopens a closed case (supervisor)."},
    {MsgId::kCmdCaseErase,
     "Destruye los datos personales de un caso (supervisora; irreversible).",
     "Destroys a case's personal data (supervisor; irreversible)."},
    {MsgId::kUsageCaseCreate, "[--from-file ARCHIVO] [opciones]",
     "[--from-file FILE] [options]"},
    {MsgId::kUsageCaseGet, "FOLIO [--view basic|full] [--purpose CÓDIGO]",
     "FOLIO [--view basic|full] [--purpose CODE]"},
    {MsgId::kUsageCaseUpdate, "FOLIO --etag ETAG [opciones]",
     "FOLIO --etag ETAG [options]"},
    {MsgId::kUsageFollowUpAdd,
     "FOLIO --kind CÓDIGO [--occurred FECHA] [--next-due AAAA-MM-DD] "
     "[--notes-file ARCHIVO]",
     "FOLIO --kind CODE [--occurred DATE] [--next-due YYYY-MM-DD] "
     "[--notes-file FILE]"},
    {MsgId::kUsageFolioOptions, "FOLIO [opciones]", "FOLIO [options]"},
    {MsgId::kUsageMeasureAdd,
     "FOLIO --type CÓDIGO --status CÓDIGO --authority TEXTO --issued "
     "AAAA-MM-DD [--expires AAAA-MM-DD]",
     "FOLIO --type CODE --status CODE --authority TEXT --issued YYYY-MM-DD "
     "[--expires YYYY-MM-DD]"},
    {MsgId::kUsageCaseClose, "FOLIO --etag ETAG --reason CÓDIGO",
     "FOLIO --etag ETAG --reason CODE"},
    {MsgId::kUsageCaseReopen, "FOLIO --etag ETAG", "FOLIO --etag ETAG"},
    {MsgId::kUsageCaseErase, "FOLIO --etag ETAG --reason CÓDIGO [--yes]",
     "FOLIO --etag ETAG --reason CODE [--yes]"},
    {MsgId::kDetailsCaseCreate,
     "Obligatorios: --kind, --state, --reported, --risk y el nombre de la "
     "víctima.\nSi la entrada es una terminal y falta alguno, se pregunta uno "
     "por uno con las\nopciones del catálogo; si no (scripts), el comando "
     "termina con código 2 y\nnombra lo que falta.\n\nLos datos personales "
     "(nombre, narración, CURP, contacto) van en archivos o se\nescriben "
     "cuando se piden, nunca como valor de una opción: la línea de "
     "comandos\nqueda en el historial del shell y otras personas usuarias del "
     "equipo la ven en\nla lista de procesos (ps). --from-file lee un Case en "
     "formato de texto de\nprotobuf (.textproto) o en JSON (.json); las "
     "opciones lo completan o reemplazan.\n--personal-data-file lee un "
     "CasePersonalData (CURP, teléfono, correo,\ndomicilio, nombres de las "
     "personas agresoras, partido).\n\nEjemplo:\n  resguardo case create "
     "--kind POLITICAL_VIOLENCE "
     "--state 20 \\\n      --reported 2026-11-20 --risk HIGH --violence-type "
     "PSYCHOLOGICAL \\\n      --conduct C11 --victim-name-file nombre.txt "
     "--narrative-file hechos.txt",
     "Required: --kind, --state, --reported, --risk and the victim's name. "
     "When\ninput is a terminal and one is missing, it is asked for, one by "
     "one, with the\ncatalogue's choices; otherwise (scripts) the command "
     "exits with code 2 and\nnames what is missing.\n\nPersonal data (name, "
     "narrative, CURP, contact) goes in files or is typed when\nasked, never "
     "as the value of an option: the command line stays in the shell\nhistory "
     "and other users of the machine see it in the process list "
     "(ps).\n--from-file reads a Case in protobuf text format (.textproto) or "
     "JSON (.json);\noptions complete or override it. --personal-data-file "
     "reads a\nCasePersonalData (CURP, phone, e-mail, address, aggressors' "
     "names, party).\n\nExample:\n  resguardo case create --kind "
     "POLITICAL_VIOLENCE --state 20 \\\n      --reported 2026-11-20 --risk "
     "HIGH --violence-type PSYCHOLOGICAL \\\n      --conduct C11 "
     "--victim-name-file name.txt --narrative-file facts.txt"},
    {MsgId::kDetailsCaseGet,
     "Sin --view se muestra la vista basic (solo descriptores). La vista full "
     "incluye\nlos datos personales y exige --purpose: el motivo queda en la "
     "auditoría antes de\nque los datos salgan del nodo. La etag mostrada es "
     "la que piden los comandos\nque escriben.",
     "Without --view, the basic view (descriptors only) is shown. The full "
     "view\nincludes the personal data and needs --purpose: the purpose is "
     "audited before\nthe data leaves the node. The etag shown is the one that "
     "writing commands ask\nfor."},
    {MsgId::kDetailsCaseUpdate,
     "Cambia solo los campos cuyas opciones se dan; una opción repetible "
     "reemplaza la\nlista completa. --etag es la del caso tal como usted lo "
     "leyó (resguardo case\nget): si alguien lo cambió después, el nodo "
     "responde con un conflicto y nada se\nsobrescribe. Con --from-file, "
     "--mask nombra los campos del archivo que cambian\n(p. ej. --mask "
     "descriptors.risk_level,personal_data.address).",
     "Changes only the fields whose options are given; a repeatable option "
     "replaces\nthe whole list. --etag is the case's as you read it (resguardo "
     "case get): if\nsomeone changed it since, the node answers with a "
     "conflict and nothing is\noverwritten. With --from-file, --mask names the "
     "file's fields to change\n(e.g. --mask "
     "descriptors.risk_level,personal_data.address)."},
    {MsgId::kDetailsFollowUpAdd,
     "--occurred es cuándo ocurrió (AAAA-MM-DD, AAAA-MM-DD HH:MM en hora "
     "local, o\nRFC 3339); por omisión, ahora. Las notas son datos personales: "
     "van en un\narchivo (--notes-file; «-» lee la entrada estándar).",
     "--occurred is when it happened (YYYY-MM-DD, YYYY-MM-DD HH:MM in local "
     "time, or\nRFC 3339); by default, now. Notes are personal data: they go "
     "in a file\n(--notes-file; \"-\" reads standard input)."},
    {MsgId::kDetailsFollowUpList,
     "Las notas se devuelven solo con --purpose (queda en la auditoría); sin "
     "él, las\nactuaciones se listan sin notas. La tabla recorta las notas; "
     "--json las da\ncompletas.",
     "Notes are returned only with --purpose (audited); without it, follow-ups "
     "are\nlisted without notes. The table cuts notes short; --json gives them "
     "whole."},
    {MsgId::kDetailsCaseErase,
     "Destruye para siempre los datos personales del caso y las notas de "
     "sus\nactuaciones; los descriptores y la auditoría permanecen. En una "
     "terminal se\npide escribir el folio para confirmar; en un script, --yes.",
     "Destroys the case's personal data and its follow-ups' notes for good; "
     "the\ndescriptors and the audit trail remain. In a terminal you confirm "
     "by typing the\nfolio; in a script, with --yes."},
    {MsgId::kFlagFromFileCase,
     "lee el caso de un archivo .textproto o .json (mensaje Case)",
     "reads the case from a .textproto or .json file (a Case message)"},
    {MsgId::kFlagFromFileUpdate,
     "lee los valores nuevos de un archivo .textproto o .json (mensaje Case); "
     "exige --mask",
     "reads the new values from a .textproto or .json file (a Case message); "
     "needs --mask"},
    {MsgId::kFlagMask,
     "campos a cambiar, separados por comas (p. ej. descriptors.risk_level)",
     "fields to change, comma-separated (e.g. descriptors.risk_level)"},
    {MsgId::kFlagCaseKind, "tipo de caso", "case kind"},
    {MsgId::kFlagCaseStatus,
     "estatus en la ruta del caso (para cerrar, use case close)",
     "status along the case's route (to close, use case close)"},
    {MsgId::kFlagViolenceType, "tipo de violencia", "violence type"},
    {MsgId::kFlagModality, "modalidad", "modality"},
    {MsgId::kFlagConduct, "conducta (LGAMVLV art. 20 Ter)",
     "conduct (LGAMVLV art. 20 Ter)"},
    {MsgId::kFlagGbvIncident, "tipo de incidente GBVIMS (casos GBV)",
     "GBVIMS incident type (GBV cases)"},
    {MsgId::kFlagAgeBand, "rango de edad de la víctima",
     "the victim's age band"},
    {MsgId::kFlagPosition, "cargo o calidad de la víctima",
     "the victim's position"},
    {MsgId::kFlagTerritorialLevel, "ámbito", "territorial level"},
    {MsgId::kFlagNormativeSystem, "sistema normativo", "normative system"},
    {MsgId::kFlagElectoralStage, "etapa electoral", "electoral stage"},
    {MsgId::kFlagSelfId, "autoadscripción (sensible, opcional)",
     "self-identification (sensitive, optional)"},
    {MsgId::kFlagAggressorRelation,
     "relación de la persona agresora con la víctima",
     "the aggressor's relation to the victim"},
    {MsgId::kFlagAggressorCategory, "categoría de la persona agresora",
     "the aggressor's category"},
    {MsgId::kFlagAggressorCount, "número de personas agresoras",
     "number of aggressors"},
    {MsgId::kFlagRisk, "nivel de riesgo", "risk level"},
    {MsgId::kFlagState, "estado: código INEGI 01–32 (20 = Oaxaca)",
     "state: INEGI code 01–32 (20 = Oaxaca)"},
    {MsgId::kFlagMunicipality, "municipio: código INEGI de tres dígitos",
     "municipality: three-digit INEGI code"},
    {MsgId::kFlagReported, "fecha de recepción de la queja",
     "the day the complaint was received"},
    {MsgId::kFlagIncidentMonth, "mes de los hechos", "month of the incident"},
    {MsgId::kFlagThirdParty,
     "la queja la presentó un tercero (queda pendiente de ratificación)",
     "filed by a third party (awaits the victim's ratification)"},
    {MsgId::kFlagVictimNameFile,
     "archivo con el nombre de la víctima («-»: entrada estándar)",
     "file holding the victim's name (\"-\": standard input)"},
    {MsgId::kFlagVictimName,
     "nombre de la víctima; desaconsejado: queda en el historial y en ps",
     "the victim's name; discouraged: it stays in the history and in ps"},
    {MsgId::kFlagNarrativeFile, "archivo con la narración de los hechos",
     "file holding the narrative of the facts"},
    {MsgId::kFlagEvidenceNotesFile, "archivo con notas sobre las pruebas",
     "file holding notes on the evidence"},
    {MsgId::kFlagPersonalDataFile,
     "archivo .textproto/.json con más datos personales (CasePersonalData)",
     ".textproto/.json file with more personal data (CasePersonalData)"},
    {MsgId::kFlagFilterStatus, "solo casos con este estatus",
     "only cases with this status"},
    {MsgId::kFlagFilterKind, "solo casos de este tipo",
     "only cases of this kind"},
    {MsgId::kFlagFilterRisk, "solo casos con este nivel de riesgo",
     "only cases with this risk level"},
    {MsgId::kFlagFilterState, "solo casos de este estado (código INEGI)",
     "only cases of this state (INEGI code)"},
    {MsgId::kFlagFrom, "recibidos desde este día (inclusive)",
     "received on or after this day"},
    {MsgId::kFlagTo, "recibidos hasta este día (inclusive)",
     "received on or before this day"},
    {MsgId::kFlagFollowUpKind, "tipo de actuación", "follow-up kind"},
    {MsgId::kFlagOccurred, "cuándo ocurrió (por omisión, ahora)",
     "when it happened (default: now)"},
    {MsgId::kFlagNextDue, "fecha de la siguiente acción",
     "when the next action is due"},
    {MsgId::kFlagNotesFile, "archivo con las notas («-»: entrada estándar)",
     "file holding the notes (\"-\": standard input)"},
    {MsgId::kFlagMeasureType, "tipo de medida", "measure type"},
    {MsgId::kFlagMeasureStatus, "estatus de la medida", "measure status"},
    {MsgId::kFlagAuthority,
     "autoridad que la emitió (una institución, no una persona)",
     "issuing authority (an institution, not a person)"},
    {MsgId::kFlagIssued, "fecha de emisión", "date issued"},
    {MsgId::kFlagExpires, "fecha de vencimiento", "expiry date"},
    {MsgId::kFlagClosureReason, "motivo del cierre", "reason for closing"},
    {MsgId::kFlagErasureReason, "motivo del borrado", "reason for erasure"},
    {MsgId::kFlagYes, "confirma sin preguntar (scripts)",
     "confirms without asking (scripts)"},
    {MsgId::kPromptKind, "Tipo de caso", "Case kind"},
    {MsgId::kPromptState, "Estado (código INEGI 01–32; 20 = Oaxaca)",
     "State (INEGI code 01–32; 20 = Oaxaca)"},
    {MsgId::kPromptReported, "Fecha de recepción de la queja (AAAA-MM-DD)",
     "Day the complaint was received (YYYY-MM-DD)"},
    {MsgId::kPromptRisk, "Nivel de riesgo", "Risk level"},
    {MsgId::kPromptVictimName, "Nombre de la víctima", "Victim's name"},
    {MsgId::kPromptFollowUpKind, "Tipo de actuación", "Follow-up kind"},
    {MsgId::kPromptConfirmErase,
     "Se destruirán para siempre los datos personales de $0. Escriba el folio "
     "para confirmar",
     "The personal data of $0 will be destroyed for good. Type the folio to "
     "confirm"},
    {MsgId::kNothingDone, "No se hizo nada.", "Nothing was done."},
    {MsgId::kErrNothingToUpdate,
     "no hay nada que cambiar: dé al menos una opción de campo (vea --help)",
     "nothing to change: give at least one field option (see --help)"},
    {MsgId::kErrEraseNeedsYes,
     "el borrado no se puede deshacer: sin terminal, confirme con --yes",
     "erasure cannot be undone: without a terminal, confirm with --yes"},
    {MsgId::kWarnNameOnCommandLine,
     "Aviso: --victim-name deja el nombre en el historial del shell y en la "
     "lista de procesos; use --victim-name-file o responda a la pregunta.",
     "Warning: --victim-name leaves the name in the shell history and the "
     "process list; use --victim-name-file or answer the question."},
    {MsgId::kDoneCreated, "Caso registrado: $0", "Case registered: $0"},
    {MsgId::kDoneUpdated, "Caso actualizado: $0", "Case updated: $0"},
    {MsgId::kDoneClosed, "Caso cerrado: $0", "Case closed: $0"},
    {MsgId::kDoneReopened, "Caso reabierto: $0", "Case reopened: $0"},
    {MsgId::kDoneErased, "Datos personales destruidos: $0",
     "Personal data destroyed: $0"},
    {MsgId::kDoneFollowUpAdded, "Actuación registrada.", "Follow-up recorded."},
    {MsgId::kDoneMeasureAdded, "Medida de protección registrada.",
     "Protection measure recorded."},
    {MsgId::kHeadingMeasures, "Medidas de protección:", "Protection measures:"},
    {MsgId::kFieldFolio, "Folio", "Folio"},
    {MsgId::kFieldKind, "Tipo", "Kind"},
    {MsgId::kFieldClosureReason, "Motivo de cierre", "Closure reason"},
    {MsgId::kFieldMunicipality, "Municipio", "Municipality"},
    {MsgId::kFieldReported, "Recibida", "Reported"},
    {MsgId::kFieldIncidentMonth, "Mes de los hechos", "Incident month"},
    {MsgId::kFieldThirdParty, "Presentada por tercero",
     "Filed by a third party"},
    {MsgId::kFieldViolenceTypes, "Tipos de violencia", "Violence types"},
    {MsgId::kFieldModalities, "Modalidades", "Modalities"},
    {MsgId::kFieldConducts, "Conductas", "Conducts"},
    {MsgId::kFieldGbvIncidents, "Incidentes GBVIMS", "GBVIMS incidents"},
    {MsgId::kFieldAgeBand, "Edad", "Age band"},
    {MsgId::kFieldPosition, "Cargo", "Position"},
    {MsgId::kFieldTerritorialLevel, "Ámbito", "Territorial level"},
    {MsgId::kFieldNormativeSystem, "Sistema normativo", "Normative system"},
    {MsgId::kFieldElectoralStage, "Etapa electoral", "Electoral stage"},
    {MsgId::kFieldSelfId, "Autoadscripción", "Self-identification"},
    {MsgId::kFieldAggressorRelation, "Relación con quien agrede",
     "Aggressor relation"},
    {MsgId::kFieldAggressorCategories, "Categoría de la persona agresora",
     "Aggressor categories"},
    {MsgId::kFieldAggressorCount, "Número de personas agresoras",
     "Number of aggressors"},
    {MsgId::kFieldFollowUp, "N.º", "No."},
    {MsgId::kFieldOccurred, "Ocurrió", "Occurred"},
    {MsgId::kFieldNextDue, "Siguiente acción", "Next due"},
    {MsgId::kFieldAuthor, "Registró", "Recorded by"},
    {MsgId::kFieldMeasureType, "Medida", "Measure"},
    {MsgId::kFieldAuthority, "Autoridad", "Authority"},
    {MsgId::kFieldIssued, "Emitida", "Issued"},
    {MsgId::kFieldExpires, "Vence", "Expires"},
    {MsgId::kCmdMeasureSet, "Cambia el estatus de una medida de protección.",
     "Changes the status of a protection measure."},
    {MsgId::kUsageMeasureSet,
     "FOLIO NÚM --status CÓDIGO --etag ETAG [--expires AAAA-MM-DD]",
     "FOLIO NUM --status CODE --etag ETAG [--expires YYYY-MM-DD]"},
    {MsgId::kDetailsMeasureSet,
     "NÚM es el número de la medida (columna «Núm.» de `case get`); «Puede "
     "pasar a» lista los estatus permitidos. --etag es el del caso. EXTENDED "
     "pide una nueva fecha de vencimiento (--expires, posterior a la actual); "
     "IN_FORCE la acepta (sin ella, la medida es indefinida).",
     "NUM is the measure's number (column \"No.\" of `case get`); \"May move "
     "to\" lists the statuses allowed. --etag is the case's. EXTENDED needs a "
     "new expiry date (--expires, after the current one); IN_FORCE accepts one "
     "(without it, the measure is indefinite)."},
    {MsgId::kFlagNewExpiry, "nueva fecha de vencimiento", "new expiry date"},
    {MsgId::kDoneMeasureUpdated, "Estatus de la medida cambiado.",
     "Measure status changed."},
    {MsgId::kFieldMeasureNumber, "Núm.", "No."},
    {MsgId::kFieldAllowedNext, "Puede pasar a", "May move to"},
    {MsgId::kErrNotAMeasureNumber,
     "NÚM debe ser el número de una medida (un entero positivo; columna «Núm.» "
     "de `case get`).",
     "NUM must be a measure's number (a positive integer; column \"No.\" of "
     "`case get`)."},
};

}  // namespace

absl::Span<const MessageText> CaseMessages() { return kCaseMessages; }

}  // namespace resguardo::cli
