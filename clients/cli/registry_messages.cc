// The CLI's texts for `resguardo registry ...` (the registry of sanctioned
// persons): help, options, results and the fields of its lists
// (messages.h; Spanish first).
#include "clients/cli/message_parts.h"

namespace resguardo::cli {
namespace {

constexpr MessageText kRegistryMessages[] = {
    {MsgId::kGroupRegistry,
     "Registro de personas sancionadas: inscribir, consultar, buscar, "
     "exportar y verificar.",
     "Registry of sanctioned persons: inscribe, list, search, export and "
     "verify."},
    {MsgId::kCmdRegistryInscribe,
     "Inscribe a una persona sancionada por una resolución firme "
     "(supervisora).",
     "Inscribes a person sanctioned by a final resolution (supervisor)."},
    {MsgId::kCmdRegistryList, "Inscripciones de su institución.",
     "Your institution's registry entries."},
    {MsgId::kCmdRegistrySearch,
     "Busca en el registro vigente por nombre, cargo y estado.",
     "Searches the registry in force by name, position and state."},
    {MsgId::kCmdRegistryExport,
     "Exporta el registro vigente (CSV y JSON) con su nota firmada.",
     "Exports the registry in force (CSV and JSON) with its signed note."},
    {MsgId::kCmdRegistryVerify,
     "Verifica sin conexión un archivo exportado con su nota firmada y la "
     "clave pública de la institución.",
     "Verifies an exported file offline with its signed note and the "
     "institution's public key."},
    {MsgId::kUsageRegistryInscribe,
     "PERSONA_SANCIONADA --aggressor N --sex CÓDIGO --position TEXTO "
     "--candidacy CÓDIGO --start FECHA",
     "SANCTIONED_PERSON --aggressor N --sex CODE --position TEXT "
     "--candidacy CODE --start DATE"},
    {MsgId::kUsageRegistryVerify,
     "ARCHIVO --note NOTA --vkey CLAVE [--name NOMBRE_ORIGINAL]",
     "FILE --note NOTE --vkey KEY [--name ORIGINAL_NAME]"},
    {MsgId::kDetailsRegistryInscribe,
     "PERSONA_SANCIONADA es el nombre que la resolución da a la persona: "
     "institutions/{institución}/cases/{folio}/resolutions/{n}/"
     "sanctionedPersons/{k}. El nombre de la persona se lee de los datos "
     "personales del caso: --aggressor es el número (desde 0) de la persona "
     "agresora que usted elige entre las registradas en el caso (véalas con "
     "«resguardo case get FOLIO --purpose ...»). La lectura queda en la "
     "bitácora. La resolución debe estar firme y ordenar la inscripción; el "
     "caso pasa a «Inscrita en el registro».",
     "SANCTIONED_PERSON is the resolution's name for the person: "
     "institutions/{institution}/cases/{folio}/resolutions/{n}/"
     "sanctionedPersons/{k}. The person's name is read from the case's "
     "personal data: --aggressor is the number (from 0) of the aggressor you "
     "choose among those recorded in the case (see them with \"resguardo "
     "case get FOLIO --purpose ...\"). The read is audited. The resolution "
     "must be final and order the inscription; the case becomes "
     "\"Registered\"."},
    {MsgId::kDetailsRegistrySearch,
     "Solo las inscripciones vigentes de todas las instituciones del nodo, y "
     "solo sus datos públicos. La bitácora registra la búsqueda, nunca lo "
     "que usted buscó.",
     "Only the entries in force of every institution of the node, and only "
     "their public fields. The audit log records the search, never what you "
     "searched for."},
    {MsgId::kDetailsRegistryExport,
     "Escribe en la carpeta --out el CSV, el JSON y la nota firmada "
     "(registro-AAAAMMDD.csv, .json y .note). Publique los tres; quien los "
     "lea los verifica con «resguardo registry verify» y la clave que "
     "imprime «resguardod publication-key».",
     "Writes the CSV, the JSON and the signed note into the folder --out "
     "(registro-YYYYMMDD.csv, .json and .note). Publish all three; readers "
     "verify them with \"resguardo registry verify\" and the key that "
     "\"resguardod publication-key\" prints."},
    {MsgId::kDetailsRegistryVerify,
     "Comprueba la firma de la nota con la clave (--vkey: una vkey o un "
     "archivo con la salida de «resguardod publication-key»; nunca la que "
     "trae la exportación) y que el SHA-256 del archivo sea el que la nota "
     "avala para el nombre del archivo (la nota ata cada archivo a su "
     "nombre: a un archivo renombrado, dé el original con --name). No "
     "necesita conexión.",
     "Checks the note's signature with the key (--vkey: a vkey or a file with "
     "the output of \"resguardod publication-key\"; never the one the export "
     "brings) and that the file's SHA-256 is the one the note vouches for "
     "under the file's name (the note binds each file to its name: for a "
     "renamed file, give the original with --name). Needs no connection."},
    {MsgId::kFlagRegistryAggressor,
     "número (desde 0) de la persona agresora del caso",
     "number (from 0) of the case's aggressor"},
    {MsgId::kFlagRegistrySex, "sexo de la persona sancionada",
     "the sanctioned person's sex"},
    {MsgId::kFlagRegistryPosition,
     "cargo que ocupaba o buscaba la persona sancionada",
     "the position the sanctioned person held or sought"},
    {MsgId::kFlagRegistryCandidacy, "precandidatura o candidatura",
     "pre-candidacy or candidacy"},
    {MsgId::kFlagRegistryTerritorialLevel,
     "ámbito territorial (si no, el del caso)",
     "territorial level (else the case's)"},
    {MsgId::kFlagRegistryStart, "fecha de inicio de la inscripción",
     "the inscription's start date"},
    {MsgId::kFlagRegistrySearchName, "nombre (o parte) de la persona",
     "the person's name (or part of it)"},
    {MsgId::kFlagRegistrySearchPosition, "cargo (o parte)",
     "position (or part of it)"},
    {MsgId::kFlagRegistryOut, "carpeta donde escribir los archivos",
     "folder to write the files into"},
    {MsgId::kFlagRegistryNote, "la nota firmada (.note) de la exportación",
     "the export's signed note (.note)"},
    {MsgId::kFlagRegistryVerifyName,
     "nombre con que se publicó el archivo, si lo renombró",
     "the name the file was published under, if you renamed it"},
    {MsgId::kFlagRegistryKey,
     "clave pública de publicación: vkey o archivo con ella",
     "publication public key: a vkey or a file holding it"},
    {MsgId::kFieldRegistryEntry, "Inscripción", "Entry"},
    {MsgId::kFieldRegistryPerson, "Persona sancionada", "Sanctioned person"},
    {MsgId::kFieldRegistryPosition, "Cargo", "Position"},
    {MsgId::kFieldRegistryState, "Entidad", "State"},
    {MsgId::kFieldRegistryAuthority, "Autoridad sancionadora",
     "Sanctioning authority"},
    {MsgId::kFieldRegistryStart, "Inicio", "Start"},
    {MsgId::kFieldRegistryEnd, "Fin", "End"},
    {MsgId::kFieldRegistryStatus, "Estado", "Status"},
    {MsgId::kRegistryInscribed,
     "Inscripción $0 hecha: vigente del $1 al $2 (etag $3).",
     "Entry $0 made: in force from $1 to $2 (etag $3)."},
    {MsgId::kRegistryExported,
     "Registro exportado: $0 inscripciones vigentes en $1, $2 y la nota "
     "firmada $3.",
     "Registry exported: $0 entries in force in $1, $2 and the signed note "
     "$3."},
    {MsgId::kRegistryVerifyOk,
     "El archivo es el que $0 publicó el $1, sin cambios.",
     "The file is the one $0 published on $1, unchanged."},
    {MsgId::kRegistryVerifyFailed, "EL ARCHIVO NO SE VERIFICA: $0",
     "THE FILE DOES NOT VERIFY: $0"},
    {MsgId::kVerifyNoteMalformed,
     "la nota no tiene la forma de una nota firmada de publicación.",
     "the note is not in the form of a signed publication note."},
    {MsgId::kVerifyOtherOrigin,
     "la nota la firmó una clave conocida, pero no la de la institución que "
     "dice publicarla.",
     "a known key signed the note, but not that of the institution it says "
     "published it."},
    {MsgId::kVerifyBadSignature,
     "la firma de la clave $0 no se verifica: la nota cambió después de "
     "firmarse o la firma no es de esa clave.",
     "the signature by key $0 does not verify: the note changed after it was "
     "signed or the signature is not that key's."},
    {MsgId::kVerifyUnknownKey,
     "ninguna de las claves dadas (--vkey) firmó la nota.",
     "none of the keys given (--vkey) signed the note."},
    {MsgId::kVerifyFileChanged,
     "el SHA-256 del archivo no es el que la nota avala: cambió después de "
     "publicarse, o es otro archivo.",
     "the file's SHA-256 is not the one the note vouches for: it changed "
     "after it was published, or it is another file."},
    {MsgId::kVerifyFileNotNamed,
     "la nota no avala un archivo llamado «$0» (avala: $1). La nota ata cada "
     "archivo a su nombre: si lo renombró, dé el nombre original con "
     "--name.",
     "the note vouches for no file named \"$0\" (it vouches for: $1). The "
     "note binds each file to its name: if you renamed it, give the original "
     "name with --name."},
    {MsgId::kErrRegistryRead, "no se pudo leer $0", "could not read $0"},
    {MsgId::kErrRegistryWrite, "no se pudo escribir $0", "could not write $0"},
};

}  // namespace

absl::Span<const MessageText> RegistryMessages() { return kRegistryMessages; }

}  // namespace resguardo::cli
