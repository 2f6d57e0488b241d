// The CLI's texts for `resguardo resolution` (resolution_commands.cc) and
// the resolution view (resolution_view.cc), Spanish first.
#include "clients/cli/message_parts.h"

namespace resguardo::cli {
namespace {

constexpr MessageText kResolutionMessages[] = {
    {MsgId::kGroupResolution,
     "Resoluciones de un caso de violencia política: sanciones, impugnaciones, "
     "firmeza y medidas de reparación.",
     "Resolutions of a political-violence case: sanctions, appeals, finality "
     "and reparation measures."},
    {MsgId::kCmdResolutionAdd,
     "Registra la resolución de un caso remitido al tribunal.",
     "Records the resolution of a case sent to court."},
    {MsgId::kCmdResolutionShow,
     "Muestra las resoluciones de un caso; con --view full, también sus notas "
     "selladas.",
     "Shows a case's resolutions; with --view full, also their sealed notes."},
    {MsgId::kCmdResolutionAppeal,
     "Registra la impugnación de la resolución vigente.",
     "Records an appeal of the current resolution."},
    {MsgId::kCmdResolutionDecide,
     "Registra el sentido de una impugnación en trámite.",
     "Records the outcome of a pending appeal."},
    {MsgId::kCmdResolutionFinal,
     "Registra la fecha en que la resolución quedó firme (supervisora).",
     "Records the day the resolution became final (supervisor)."},
    {MsgId::kCmdResolutionUpdate,
     "Corrige la resolución vigente de un caso (mientras no esté firme).",
     "Corrects a case's current resolution (while it is not final)."},
    {MsgId::kCmdReparationAdd,
     "Agrega una medida de reparación o no repetición a una resolución.",
     "Adds a reparation or non-repetition measure to a resolution."},
    {MsgId::kCmdReparationSet,
     "Registra el cumplimiento de una medida de reparación.",
     "Records a reparation measure's compliance."},
    {MsgId::kUsageResolutionAdd,
     "FOLIO --authority TEXTO --file-number TEXTO --date AAAA-MM-DD --outcome "
     "CÓDIGO [--qualification CÓDIGO] [--repeat-offence] [--sanction "
     "CÓDIGO]... [--fine PESOS] [--term-years N] [--term-months N] "
     "[--term-days N] [--notes-file ARCHIVO]",
     "FOLIO --authority TEXT --file-number TEXT --date YYYY-MM-DD --outcome "
     "CODE [--qualification CODE] [--repeat-offence] [--sanction CODE]... "
     "[--fine PESOS] [--term-years N] [--term-months N] [--term-days N] "
     "[--notes-file FILE]"},
    {MsgId::kDetailsResolutionAdd,
     "Con PROVEN, las opciones --qualification, --sanction, --fine y --term-* "
     "describen a una persona sancionada (sin su nombre: queda en los datos "
     "sellados del caso). --fine es el monto en pesos (MXN), con centavos "
     "opcionales («10374.50»). El plazo en el registro se da como la "
     "resolución lo fija (por ejemplo 2 años y 9 meses).",
     "With PROVEN, --qualification, --sanction, --fine and --term-* describe "
     "one sanctioned person (without a name: it stays in the case's sealed "
     "data). --fine is the amount in pesos (MXN), centavos optional "
     "(\"10374.50\"). The registry term is given as the resolution sets it "
     "(e.g. 2 years and 9 months)."},
    {MsgId::kUsageResolutionAppeal,
     "FOLIO NÚM --filed AAAA-MM-DD --authority TEXTO [--file-number TEXTO]",
     "FOLIO NUM --filed YYYY-MM-DD --authority TEXT [--file-number TEXT]"},
    {MsgId::kUsageResolutionDecide,
     "FOLIO NÚM IMP --outcome CÓDIGO --date AAAA-MM-DD --etag ETAG",
     "FOLIO NUM APPEAL --outcome CODE --date YYYY-MM-DD --etag ETAG"},
    {MsgId::kUsageResolutionFinal, "FOLIO NÚM --date AAAA-MM-DD --etag ETAG",
     "FOLIO NUM --date YYYY-MM-DD --etag ETAG"},
    {MsgId::kUsageResolutionUpdate,
     "FOLIO NÚM --etag ETAG [--authority TEXTO] [--file-number TEXTO] "
     "[--date AAAA-MM-DD] [--outcome CÓDIGO] [--qualification CÓDIGO] "
     "[--repeat-offence] [--sanction CÓDIGO]... [--fine PESOS] "
     "[--term-years N] [--term-months N] [--term-days N] [--no-sanctioned] "
     "[--notes-file ARCHIVO]",
     "FOLIO NUM --etag ETAG [--authority TEXT] [--file-number TEXT] "
     "[--date YYYY-MM-DD] [--outcome CODE] [--qualification CODE] "
     "[--repeat-offence] [--sanction CODE]... [--fine PESOS] [--term-years N] "
     "[--term-months N] [--term-days N] [--no-sanctioned] [--notes-file "
     "FILE]"},
    {MsgId::kDetailsResolutionUpdate,
     "Solo cambia lo que se indica. Las opciones de persona sancionada "
     "(--qualification, --sanction, --fine, --term-*, --repeat-offence) "
     "reemplazan a todas las personas sancionadas de la resolución por una; "
     "--no-sanctioned las quita todas (por ejemplo, al corregir a NOT_PROVEN). "
     "--etag es el del caso.",
     "Only what is given changes. The sanctioned person's flags "
     "(--qualification, --sanction, --fine, --term-*, --repeat-offence) "
     "replace all the resolution's sanctioned persons with one; "
     "--no-sanctioned removes them all (e.g. when correcting to NOT_PROVEN). "
     "--etag is the case's."},
    {MsgId::kUsageReparationAdd,
     "FOLIO NÚM --kind CÓDIGO --authority TEXTO --due AAAA-MM-DD "
     "[--description-file ARCHIVO]",
     "FOLIO NUM --kind CODE --authority TEXT --due YYYY-MM-DD "
     "[--description-file FILE]"},
    {MsgId::kUsageReparationSet, "FOLIO NÚM MEDIDA --status CÓDIGO --etag ETAG",
     "FOLIO NUM MEASURE --status CODE --etag ETAG"},
    {MsgId::kDetailsResolutionAppeal,
     "NÚM es el número de la resolución que se impugna (columna «Núm.» de "
     "`resolution show`).",
     "NUM is the number of the resolution appealed (column \"No.\" of "
     "`resolution show`)."},
    {MsgId::kDetailsResolutionDecide,
     "NÚM es el número de la resolución (columna «Núm.» de `resolution "
     "show`); IMP, el de su impugnación. --etag es el del caso.",
     "NUM is the resolution's number (column \"No.\" of `resolution show`); "
     "APPEAL, that of its appeal. --etag is the case's."},
    {MsgId::kDetailsResolutionFinal,
     "NÚM es el número de la resolución (columna «Núm.» de `resolution "
     "show`). --etag es el del caso.",
     "NUM is the resolution's number (column \"No.\" of `resolution show`). "
     "--etag is the case's."},
    {MsgId::kDetailsReparationAdd,
     "NÚM es el número de la resolución que ordena la medida (columna «Núm.» "
     "de `resolution show`). La descripción se lee del archivo "
     "--description-file y queda sellada.",
     "NUM is the number of the resolution that orders the measure (column "
     "\"No.\" of `resolution show`). The description is read from the file "
     "--description-file and stays sealed."},
    {MsgId::kDetailsReparationSet,
     "NÚM es el número de la resolución (columna «Núm.» de `resolution "
     "show`); MEDIDA, el de su medida de reparación. --etag es el del caso.",
     "NUM is the resolution's number (column \"No.\" of `resolution show`); "
     "MEASURE, that of its reparation measure. --etag is the case's."},
    {MsgId::kFlagResolvingAuthority,
     "autoridad (tribunal o institución, por su nombre)",
     "authority (court or institution, by name)"},
    {MsgId::kFlagFileNumber, "número de expediente",
     "file number (expediente)"},
    {MsgId::kFlagResolutionDate, "fecha", "date"},
    {MsgId::kFlagOutcome, "sentido", "outcome"},
    {MsgId::kFlagQualification, "calificación de la falta",
     "qualification of the fault"},
    {MsgId::kFlagRepeatOffence, "la falta es reincidencia",
     "the fault is a repeat offence"},
    {MsgId::kFlagSanction, "sanción", "sanction"},
    {MsgId::kFlagFine, "monto de la multa en pesos (MXN)",
     "fine amount in pesos (MXN)"},
    {MsgId::kFlagTermYears, "años en el registro de personas sancionadas",
     "years in the registry of sanctioned persons"},
    {MsgId::kFlagTermMonths, "meses en el registro", "months in the registry"},
    {MsgId::kFlagTermDays, "días en el registro", "days in the registry"},
    {MsgId::kFlagFiled, "fecha de presentación", "date filed"},
    {MsgId::kFlagReparationKind, "tipo de medida de reparación",
     "reparation measure kind"},
    {MsgId::kFlagDue, "fecha límite de cumplimiento", "due date"},
    {MsgId::kFlagDescriptionFile, "archivo con la descripción (dato sellado)",
     "file with the description (sealed data)"},
    {MsgId::kFlagCompliance, "cumplimiento", "compliance"},
    {MsgId::kFlagNoSanctioned,
     "quita todas las personas sancionadas de la resolución",
     "removes all the resolution's sanctioned persons"},
    {MsgId::kErrSanctionedConflict,
     "--no-sanctioned no va con las opciones de persona sancionada "
     "(--qualification, --sanction, --fine, --term-*, --repeat-offence)",
     "--no-sanctioned does not go with the sanctioned person's flags "
     "(--qualification, --sanction, --fine, --term-*, --repeat-offence)"},
    {MsgId::kDoneResolutionAdded, "Resolución registrada.",
     "Resolution recorded."},
    {MsgId::kDoneAppealFiled, "Impugnación registrada.", "Appeal recorded."},
    {MsgId::kDoneReparationAdded, "Medida de reparación registrada.",
     "Reparation measure recorded."},
    {MsgId::kDoneResolutionUpdated, "Resolución del caso $0 actualizada.",
     "Resolution of case $0 updated."},
    {MsgId::kHeadingResolution, "Resolución $0", "Resolution $0"},
    {MsgId::kNoResolutions, "El caso no tiene resoluciones.",
     "The case has no resolutions."},
    {MsgId::kFieldResolvingAuthority, "Autoridad", "Authority"},
    {MsgId::kFieldFileNumber, "Expediente", "File number"},
    {MsgId::kFieldResolutionDate, "Fecha", "Date"},
    {MsgId::kFieldOutcome, "Sentido", "Outcome"},
    {MsgId::kFieldFinalDate, "Firme desde", "Final since"},
    {MsgId::kFieldResolutionNotes, "Notas", "Notes"},
    {MsgId::kFieldSanctionedPerson, "Persona sancionada $0",
     "Sanctioned person $0"},
    {MsgId::kFieldQualification, "Calificación", "Qualification"},
    {MsgId::kFieldRepeatOffence, "Reincidencia", "Repeat offence"},
    {MsgId::kFieldSanctions, "Sanciones", "Sanctions"},
    {MsgId::kFieldRegistryTerm, "Plazo en el registro", "Registry term"},
    {MsgId::kTermValue, "$0 años, $1 meses, $2 días",
     "$0 years, $1 months, $2 days"},
    {MsgId::kHeadingAppeals, "Impugnaciones:", "Appeals:"},
    {MsgId::kHeadingReparations,
     "Medidas de reparación:", "Reparation measures:"},
    {MsgId::kFieldFiled, "Presentada", "Filed"},
    {MsgId::kFieldDecided, "Resuelta", "Decided"},
    {MsgId::kFieldDue, "Vence", "Due"},
    {MsgId::kFieldCompliance, "Cumplimiento", "Compliance"},
    {MsgId::kFieldMeasureDescription, "Descripción de la medida $0",
     "Description of measure $0"},
    {MsgId::kErrNotANumber,
     "NÚM debe ser un número (entero positivo; columna «Núm.» de `resolution "
     "show`).",
     "NUM must be a number (a positive integer; column \"No.\" of "
     "`resolution show`)."},
    {MsgId::kErrNotANumberAppeal,
     "NÚM e IMP deben ser números (enteros positivos; columna «Núm.» de "
     "`resolution show`).",
     "NUM and APPEAL must be numbers (positive integers; column \"No.\" of "
     "`resolution show`)."},
    {MsgId::kErrNotANumberMeasure,
     "NÚM y MEDIDA deben ser números (enteros positivos; columna «Núm.» de "
     "`resolution show`).",
     "NUM and MEASURE must be numbers (positive integers; column \"No.\" of "
     "`resolution show`)."},
    {MsgId::kErrFineAmount,
     "--fine debe ser un monto positivo en pesos, con hasta dos decimales "
     "(«10374.50»).",
     "--fine must be a positive amount in pesos, with at most two decimals "
     "(\"10374.50\")."},
    {MsgId::kErrFineTooLarge,
     "--fine es de a lo más $0 pesos (MXN), el máximo que el nodo acepta.",
     "--fine is at most $0 pesos (MXN), the most the node accepts."},
    {MsgId::kErrFineWithoutSanction,
     "--fine va solo con --sanction FINE: es el monto de esa multa.",
     "--fine goes only with --sanction FINE: it is that fine's amount."},
};

}  // namespace

absl::Span<const MessageText> ResolutionMessages() {
  return kResolutionMessages;
}

}  // namespace resguardo::cli
