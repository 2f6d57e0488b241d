// The CLI's texts for every command: the general help and exit codes, value
// names, global options, flag, file and configuration errors, prompts, the
// node's error codes and field violations, and fields that several views show
// (messages.h; Spanish first: it is what most users read).
#include "clients/cli/message_parts.h"

namespace resguardo::cli {
namespace {

constexpr MessageText kCommonMessages[] = {
    {MsgId::kNone, "", ""},
    {MsgId::kHelpTagline,
     "resguardo — cliente de un nodo Resguardo: registro y seguimiento de "
     "casos de\nviolencia política contra las mujeres en razón de género y de "
     "violencia de género.",
     "resguardo — client of a Resguardo node: registration and follow-up of "
     "cases of\npolitical violence against women based on gender and of "
     "gender-based violence."},
    {MsgId::kHelpUsage,
     "Uso: resguardo [opciones globales] COMANDO [opciones] [ARGUMENTOS]",
     "Usage: resguardo [global options] COMMAND [options] [ARGUMENTS]"},
    {MsgId::kHelpCommands, "Comandos:", "Commands:"},
    {MsgId::kHelpGlobalFlags,
     "Opciones globales (valen con cualquier comando):",
     "Global options (accepted by every command):"},
    {MsgId::kHelpConfig,
     "Configuración: un archivo de líneas «clave = valor», leído de --config, "
     "si no\nde $RESGUARDO_CONFIG, si no de "
     "$XDG_CONFIG_HOME/resguardo/cli.conf o\n~/.config/resguardo/cli.conf. Las "
     "opciones globales lo reemplazan; una clave\ndesconocida es un error. Las "
     "rutas relativas parten de la carpeta del archivo.\n  server      = "
     "localhost:8443\n  ca          = pki/ca.crt\n  cert        = "
     "pki/clients/IEEPCO/ana.crt\n  key         = pki/clients/IEEPCO/ana.key\n "
     " institution = IEEPCO\n  deadline    = 10s\n  server_name = (opcional) "
     "nombre del certificado del nodo",
     "Configuration: a file of \"key = value\" lines, read from --config, else "
     "from\n$RESGUARDO_CONFIG, else from $XDG_CONFIG_HOME/resguardo/cli.conf "
     "or\n~/.config/resguardo/cli.conf. Global options override it; an unknown "
     "key is an\nerror. Relative paths start at the file's folder.\n  server   "
     "   = localhost:8443\n  ca          = pki/ca.crt\n  cert        = "
     "pki/clients/IEEPCO/ana.crt\n  key         = pki/clients/IEEPCO/ana.key\n "
     " institution = IEEPCO\n  deadline    = 10s\n  server_name = (optional) "
     "name in the node's certificate"},
    {MsgId::kHelpLanguage,
     "Idioma: --lang es|en; si no, LC_ALL, LC_MESSAGES o LANG (es* → español; "
     "otro\nvalor → inglés); sin ninguno, español.",
     "Language: --lang es|en; else LC_ALL, LC_MESSAGES or LANG (es* → Spanish; "
     "any\nother value → English); with none set, Spanish."},
    {MsgId::kHelpPersonalData,
     "Datos personales: nunca los escriba como valor de una opción; quedarían "
     "en el\nhistorial del shell y en la lista de procesos (ps), visible para "
     "otras personas\nusuarias del equipo. Use archivos (--victim-name-file, "
     "--narrative-file,\n--personal-data-file, --from-file; «-» lee la entrada "
     "estándar) o responda a\nlas preguntas en la terminal.",
     "Personal data: never type it as the value of an option; it would stay in "
     "the\nshell history and in the process list (ps), visible to other users "
     "of the\nmachine. Use files (--victim-name-file, "
     "--narrative-file,\n--personal-data-file, --from-file; \"-\" reads "
     "standard input) or answer the\nquestions in the terminal."},
    {MsgId::kHelpExitCodes, "Códigos de salida:", "Exit codes:"},
    {MsgId::kExit0, "0  correcto", "0  success"},
    {MsgId::kExit1,
     "1  el nodo rechazó o no pudo completar la operación (otro motivo)",
     "1  the node refused or could not complete the call (any other reason)"},
    {MsgId::kExit2,
     "2  uso incorrecto: comando, opción, código, fecha, dato faltante o "
     "archivo de entrada",
     "2  usage: command, option, code, date, missing value or input file"},
    {MsgId::kExit3,
     "3  sin conexión: configuración o archivos TLS, nodo inalcanzable o "
     "certificado no aceptado",
     "3  cannot connect: settings or TLS files, node unreachable or "
     "certificate not accepted"},
    {MsgId::kExit4, "4  no existe o no tiene acceso",
     "4  does not exist or you have no access"},
    {MsgId::kExit5,
     "5  conflicto: alguien lo cambió, ya existe, o su estatus no lo permite",
     "5  conflict: someone changed it, it already exists, or its state does "
     "not allow it"},
    {MsgId::kExit6, "6  su rol no permite la operación",
     "6  your role does not allow it"},
    {MsgId::kExit7, "7  el nodo rechazó un campo (se nombra)",
     "7  the node rejected a field (named)"},
    {MsgId::kExit8,
     "8  se agotó el tiempo: el resultado es incierto; consulte antes de "
     "repetir",
     "8  timed out: the outcome is unknown; check before repeating"},
    {MsgId::kExit9,
     "9  no se pudo verificar la bitácora o la prueba (alterada o clave "
     "equivocada)",
     "9  the audit log or proof does not verify (tampered or wrong key)"},
    {MsgId::kHelpMore, "Ayuda de un comando: resguardo COMANDO --help",
     "Help on a command: resguardo COMMAND --help"},
    {MsgId::kHelpGroupUsage, "Uso: resguardo $0 COMANDO [opciones]",
     "Usage: resguardo $0 COMMAND [options]"},
    {MsgId::kHelpCommandUsage, "Uso: resguardo $0 $1",
     "Usage: resguardo $0 $1"},
    {MsgId::kHelpFlags, "Opciones:", "Options:"},
    {MsgId::kHelpGlobalFlagsPointer,
     "Opciones globales (--server, --json, --lang, …): resguardo --help",
     "Global options (--server, --json, --lang, …): resguardo --help"},
    {MsgId::kHelpRepeatable, "(repetible)", "(repeatable)"},
    {MsgId::kHelpCodes, "  códigos: $0", "  codes: $0"},
    {MsgId::kSeeHelp, "Vea: resguardo $0 --help", "See: resguardo $0 --help"},
    {MsgId::kValText, "TEXTO", "TEXT"},
    {MsgId::kValCode, "CÓDIGO", "CODE"},
    {MsgId::kValFile, "ARCHIVO", "FILE"},
    {MsgId::kValDate, "AAAA-MM-DD", "YYYY-MM-DD"},
    {MsgId::kValMonth, "AAAA-MM", "YYYY-MM"},
    {MsgId::kValTime, "FECHA[ HH:MM]", "DATE[ HH:MM]"},
    {MsgId::kValNumber, "N", "N"},
    {MsgId::kValDuration, "DURACIÓN", "DURATION"},
    {MsgId::kValPath, "RUTA", "PATH"},
    {MsgId::kValAddress, "HOST:PUERTO", "HOST:PORT"},
    {MsgId::kValLang, "es|en", "es|en"},
    {MsgId::kUsageOptionsOnly, "[opciones]", "[options]"},
    {MsgId::kFlagConfig, "archivo de configuración (vea «Configuración»)",
     "config file (see \"Configuration\")"},
    {MsgId::kFlagServer, "dirección del nodo", "the node's address"},
    {MsgId::kFlagCa, "certificado(s) de la CA que firmó el del nodo (PEM)",
     "certificate(s) of the CA that signed the node's (PEM)"},
    {MsgId::kFlagCert, "su certificado de cliente (PEM)",
     "your client certificate (PEM)"},
    {MsgId::kFlagKey, "la clave privada de su certificado (PEM)",
     "your certificate's private key (PEM)"},
    {MsgId::kFlagServerName,
     "nombre esperado en el certificado del nodo, si difiere de --server",
     "name expected in the node's certificate, if not --server's"},
    {MsgId::kFlagInstitution, "su institución (p. ej. IEEPCO)",
     "your institution (e.g. IEEPCO)"},
    {MsgId::kFlagDeadline, "tiempo máximo de cada llamada (por omisión 10s)",
     "time limit of each call (default 10s)"},
    {MsgId::kFlagJson,
     "salida en JSON de protobuf, una línea por respuesta (para scripts)",
     "output as protobuf JSON, one line per response (for scripts)"},
    {MsgId::kFlagLang, "idioma de los mensajes", "language of the messages"},
    {MsgId::kFlagHelp, "muestra esta ayuda", "shows this help"},
    {MsgId::kFlagVersion, "muestra la versión", "shows the version"},
    {MsgId::kFlagRequestId,
     "clave de idempotencia: repetir con la misma no duplica",
     "idempotency key: a retry with the same one does not duplicate"},
    {MsgId::kFlagEtag,
     "la etag del caso tal como lo leyó (evita sobrescribir cambios ajenos)",
     "the case's etag as you read it (so nobody's change is overwritten)"},
    {MsgId::kFlagView,
     "basic (descriptores) o full (con datos personales; exige --purpose)",
     "basic (descriptors) or full (with personal data; needs --purpose)"},
    {MsgId::kFlagPurpose,
     "motivo del acceso a datos personales (queda en la auditoría)",
     "purpose of reading personal data (audited)"},
    {MsgId::kFlagPageSize, "resultados por página (1–500)",
     "results per page (1–500)"},
    {MsgId::kFlagPageToken, "página siguiente (la da la respuesta anterior)",
     "next page (given by the previous answer)"},
    {MsgId::kFlagAll, "recorre todas las páginas", "walks every page"},
    {MsgId::kPromptChoice, "Elija 1–$0 o escriba el código",
     "Choose 1–$0 or type the code"},
    {MsgId::kPromptNotAChoice,
     "Respuesta no válida: un número de 1 a $0 o un código de la lista.",
     "Not a valid answer: a number from 1 to $0 or a code from the list."},
    {MsgId::kPromptRequired, "Este dato es obligatorio.", "This is required."},
    {MsgId::kPromptOptional, "$0 (opcional; Intro para omitir)",
     "$0 (optional; Enter to skip)"},
    {MsgId::kPromptChoices,
     "Elija de 1 a $0, separados por comas (Intro: ninguno)",
     "Choose from 1 to $0, separated by commas (Enter: none)"},
    {MsgId::kPromptDateInFuture,
     "La fecha no puede ser posterior a hoy; escríbala de nuevo.",
     "The date cannot be after today; type it again."},
    {MsgId::kPromptYesNo, "$0 [s/N]", "$0 [y/N]"},
    {MsgId::kPromptMoreFields,
     "¿Desea agregar datos opcionales (municipio, tipos de violencia, "
     "conductas o tipos de incidente, narración)?",
     "Add optional details (municipality, violence types, conducts or "
     "incident types, narrative)?"},
    {MsgId::kPromptMunicipality,
     "Clave INEGI del municipio (tres dígitos, p. ej. 067)",
     "INEGI municipality code (three digits, e.g. 067)"},
    {MsgId::kPromptViolenceTypes, "Tipos de violencia", "Violence types"},
    {MsgId::kPromptConducts, "Conductas (LGAMVLV art. 20 Ter)",
     "Conducts (LGAMVLV art. 20 Ter)"},
    {MsgId::kPromptGbvTypes, "Tipos de incidente (GBVIMS)",
     "Incident types (GBVIMS)"},
    {MsgId::kPromptNarrative,
     "Narración de los hechos en una línea (para un texto largo use "
     "--narrative-file)",
     "Narrative of the facts on one line (for a long text use "
     "--narrative-file)"},
    {MsgId::kHintMunicipality,
     "se esperan tres dígitos, p. ej. 067 (del catálogo del INEGI)",
     "expected three digits, e.g. 067 (INEGI's catalogue)"},
    {MsgId::kErrorPrefix, "Error:", "Error:"},
    {MsgId::kErrUnknownFlag, "opción desconocida: $0", "unknown option: $0"},
    {MsgId::kErrFlagTakesNoValue, "la opción $0 no lleva valor",
     "option $0 takes no value"},
    {MsgId::kErrFlagNeedsValue, "a la opción $0 le falta su valor",
     "option $0 needs a value"},
    {MsgId::kErrFlagRepeated, "la opción $0 se dio más de una vez",
     "option $0 was given more than once"},
    {MsgId::kErrFlagBeforeCommand,
     "opción desconocida: --$0 (las opciones de un comando van después del "
     "comando)",
     "unknown option: --$0 (a command's options go after the command)"},
    {MsgId::kDidYouMean, "¿Quiso decir «$0»?", "Did you mean \"$0\"?"},
    {MsgId::kErrUnknownCommand, "comando desconocido: $0",
     "unknown command: $0"},
    {MsgId::kErrArgCount, "número de argumentos incorrecto para «$0»",
     "wrong number of arguments for \"$0\""},
    {MsgId::kErrBadFlagValue, "valor no válido para $0: $1",
     "invalid value for $0: $1"},
    {MsgId::kErrUnknownCode, "$0: código desconocido; códigos: $1",
     "$0: unknown code; codes: $1"},
    {MsgId::kErrNumberRange, "$0 debe ser un número entero de $1 a $2",
     "$0 must be a whole number from $1 to $2"},
    {MsgId::kErrMissingFlags, "falta: $0", "missing: $0"},
    {MsgId::kErrFlagsExclusive, "use $0 o $1, no ambas",
     "use $0 or $1, not both"},
    {MsgId::kErrEitherFlags, "$0, o bien $1", "$0, or else $1"},
    {MsgId::kErrStdinTwice,
     "solo una opción puede leer la entrada estándar («-»)",
     "only one option can read standard input (\"-\")"},
    {MsgId::kErrNotAReferral,
     "el primer argumento debe ser el número de una canalización de su "
     "institución (p. ej. 12) o institutions/…/referrals/…",
     "the first argument must be the number of one of your institution's "
     "referrals (e.g. 12) or institutions/…/referrals/…"},
    {MsgId::kErrNotAFolio,
     "el primer argumento debe ser un folio (p. ej. IEEPCO-2026-000123) o "
     "institutions/…/cases/…",
     "the first argument must be a folio (e.g. IEEPCO-2026-000123) or "
     "institutions/…/cases/…"},
    {MsgId::kErrPurposeRequired,
     "la vista full exige --purpose (el motivo queda en la auditoría)",
     "the full view needs --purpose (the purpose is audited)"},
    {MsgId::kErrInstitutionMissing,
     "falta su institución: use --institution o «institution =» en el archivo "
     "de configuración",
     "your institution is missing: use --institution or \"institution =\" in "
     "the config file"},
    {MsgId::kErrSettingMissing,
     "falta el ajuste $0 (archivo de configuración u opción)",
     "setting $0 is missing (config file or option)"},
    {MsgId::kErrFileUnreadable, "no se puede leer el archivo de $0: $1",
     "cannot read the file for $0: $1"},
    {MsgId::kErrConfigLineSyntax, "línea $0: se espera «clave = valor»",
     "line $0: expected \"key = value\""},
    {MsgId::kErrConfigUnknownKey,
     "línea $0: clave desconocida «$1» (válidas: server, ca, cert, key, "
     "server_name, institution, deadline)",
     "line $0: unknown key \"$1\" (valid: server, ca, cert, key, server_name, "
     "institution, deadline)"},
    {MsgId::kErrConfigBadValue, "línea $0: valor no válido para «$1»",
     "line $0: invalid value for \"$1\""},
    {MsgId::kErrConfigUnreadable,
     "no se puede leer el archivo de configuración $0",
     "cannot read the config file $0"},
    {MsgId::kErrInputUnreadable, "no se puede leer el archivo $0",
     "cannot read the file $0"},
    {MsgId::kErrInputNotJson, "$0, línea $1, columna $2: no es JSON válido",
     "$0, line $1, column $2: not valid JSON"},
    {MsgId::kErrInputNotTextproto,
     "$0, línea $1, columna $2: no es formato de texto válido (campo: valor, "
     "o campo { … })",
     "$0, line $1, column $2: not valid text format (field: value, or "
     "field { … })"},
    {MsgId::kErrInputFieldAt, "$0, línea $1, columna $2, campo $3: $4",
     "$0, line $1, column $2, field $3: $4"},
    {MsgId::kErrInputField, "$0, campo $1: $2", "$0, field $1: $2"},
    {MsgId::kErrInputUnknownField,
     "no existe ese campo en esta parte del archivo (vea el ejemplo en "
     "clients/cli/examples/)",
     "there is no such field in this part of the file (see the example in "
     "clients/cli/examples/)"},
    {MsgId::kErrInputNotACode, "no es un código del catálogo; códigos: $0",
     "not a code of the catalogue; codes: $0"},
    {MsgId::kErrInputWrongType, "valor de otro tipo; se esperaba $0",
     "a value of another type; expected $0"},
    {MsgId::kErrInputOutOfRange, "número fuera de rango para $0",
     "number out of range for $0"},
    {MsgId::kErrInputSetTwice, "se dio dos veces y admite un solo valor",
     "given twice, and it takes one value"},
    {MsgId::kErrInputBadDate,
     "fecha no válida: use AAAA-MM-DD (AAAA-MM para un mes; "
     "AAAA-MM-DDThh:mm:ssZ para una hora)",
     "invalid date: use YYYY-MM-DD (YYYY-MM for a month; "
     "YYYY-MM-DDThh:mm:ssZ for a time)"},
    {MsgId::kErrPromptEnded, "la entrada terminó antes de responder",
     "input ended before an answer"},
    {MsgId::kErrReportedInFuture,
     "--reported (fecha de recepción): no puede ser posterior a hoy",
     "--reported (date received): cannot be after today"},
    {MsgId::kHintDate,
     "se espera una fecha real AAAA-MM-DD (p. ej. 2026-11-20)",
     "expected a real date YYYY-MM-DD (e.g. 2026-11-20)"},
    {MsgId::kHintMonth, "se espera un mes AAAA-MM", "expected a month YYYY-MM"},
    {MsgId::kHintTime,
     "se espera AAAA-MM-DD, AAAA-MM-DD HH:MM (hora local) o RFC 3339",
     "expected YYYY-MM-DD, YYYY-MM-DD HH:MM (local time) or RFC 3339"},
    {MsgId::kHintState,
     "se espera un código de estado del INEGI de 01 a 32 (20 = Oaxaca)",
     "expected an INEGI state code from 01 to 32 (20 = Oaxaca)"},
    {MsgId::kHintDuration,
     "se espera una duración como 10s, 1m o 500ms (hasta 1h)",
     "expected a duration such as 10s, 1m or 500ms (up to 1h)"},
    {MsgId::kRpcInvalidArgument, "el nodo rechazó datos no válidos.",
     "the node rejected invalid data."},
    {MsgId::kRpcNotFound, "no existe o no tiene acceso.",
     "it does not exist or you have no access."},
    {MsgId::kRpcPermissionDenied, "el nodo no le permite esta operación.",
     "the node does not allow you this."},
    {MsgId::kRpcAborted,
     "alguien lo cambió después de que usted lo leyó; léalo de nuevo "
     "(resguardo case get) y repita con la etag nueva.",
     "someone changed it after you read it; read it again (resguardo case get) "
     "and repeat with the new etag."},
    {MsgId::kRpcFailedPrecondition,
     "su estatus actual no permite esta operación.",
     "its current state does not allow this."},
    {MsgId::kRpcAlreadyExists, "ya existe.", "it already exists."},
    {MsgId::kRpcUnavailable,
     "no se puede contactar al nodo; revise --server y que resguardod esté en "
     "marcha.",
     "cannot reach the node; check --server and that resguardod is running."},
    {MsgId::kRpcUnauthenticated,
     "el nodo no aceptó su certificado; revise --cert, --key y --ca, y que su "
     "usuaria exista y esté activa.",
     "the node did not accept your certificate; check --cert, --key and --ca, "
     "and that your user exists and is active."},
    {MsgId::kRpcDeadlineExceeded,
     "se agotó el tiempo (--deadline); la operación pudo completarse: consulte "
     "antes de repetirla.",
     "the call timed out (--deadline); it may have completed: check before "
     "repeating it."},
    {MsgId::kRpcCancelled,
     "la llamada se canceló; la operación pudo completarse: consulte antes de "
     "repetirla.",
     "the call was cancelled; it may have completed: check before repeating "
     "it."},
    {MsgId::kRpcResourceExhausted,
     "el nodo no atendió la solicitud: llegó a un límite.",
     "the node did not serve the request: a limit was reached."},
    {MsgId::kRpcUnimplemented,
     "el nodo no ofrece esta operación (¿otra versión?).",
     "the node does not offer this call (another version?)."},
    {MsgId::kRpcOther,
     "el nodo no pudo completar la operación (código gRPC $0).",
     "the node could not complete the call (gRPC code $0)."},
    {MsgId::kRpcFieldViolation, "$0: $1", "$0: $1"},
    {MsgId::kRpcRequestId, "Identificador de la solicitud: $0",
     "Request id: $0"},
    {MsgId::kMorePages, "Hay más resultados: --page-token $0 (o --all)",
     "More results: --page-token $0 (or --all)"},
    {MsgId::kNoResults, "(sin resultados)", "(no results)"},
    {MsgId::kYes, "sí", "yes"},
    {MsgId::kFieldName, "Identificador", "Resource name"},
    {MsgId::kFieldEtag, "Versión (etag)", "Version (etag)"},
    {MsgId::kFieldStatus, "Estatus", "Status"},
    {MsgId::kFieldRisk, "Riesgo", "Risk"},
    {MsgId::kFieldState, "Estado", "State"},
    {MsgId::kFieldCreated, "Creado", "Created"},
    {MsgId::kFieldUpdated, "Actualizado", "Updated"},
    {MsgId::kFieldErased, "Datos personales borrados", "Personal data erased"},
    {MsgId::kFieldVictimName, "Nombre de la víctima", "Victim's name"},
    {MsgId::kFieldCurp, "CURP", "CURP"},
    {MsgId::kFieldBirthDate, "Fecha de nacimiento", "Birth date"},
    {MsgId::kFieldPhone, "Teléfono", "Phone"},
    {MsgId::kFieldEmail, "Correo", "E-mail"},
    {MsgId::kFieldAddress, "Domicilio", "Address"},
    {MsgId::kFieldAggressorNames, "Nombres de las personas agresoras",
     "Aggressors' names"},
    {MsgId::kFieldParty, "Partido político", "Political party"},
    {MsgId::kFieldNarrative, "Narración", "Narrative"},
    {MsgId::kFieldEvidenceNotes, "Notas sobre pruebas", "Evidence notes"},
    {MsgId::kFieldNotes, "Notas", "Notes"},
};

}  // namespace

absl::Span<const MessageText> CommonMessages() { return kCommonMessages; }

}  // namespace resguardo::cli
