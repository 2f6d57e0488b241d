// The CLI's texts for `resguardo stats query`: help, options, table headings
// and notes, and its errors (messages.h; Spanish first: it is what most users
// read).
#include "clients/cli/message_parts.h"

namespace resguardo::cli {
namespace {

constexpr MessageText kStatsMessages[] = {
    {MsgId::kGroupStats,
     "Estadísticas anonimizadas para órganos de supervisión: conteos, nunca "
     "registros.",
     "Anonymised statistics for oversight bodies: counts, never records."},
    {MsgId::kCmdStatsQuery,
     "Consulta una tabla de estadísticas (con supresión de celdas pequeñas).",
     "Queries a statistics table (small cells suppressed)."},
    {MsgId::kDetailsStatsQuery,
     "La tabla lista todas las combinaciones de las categorías (también las "
     "vacías). Las celdas con menos de k casos, cero incluido, se suprimen, "
     "junto con las necesarias para que no puedan deducirse de los totales; "
     "una consulta cuya población total es menor que k se rechaza. Se "
     "indica la pérdida de información (parte de lo contado en celdas "
     "suprimidas; en CSV, la fila INFORMATION_LOSS). Las cifras publicadas "
     "llevan una perturbación de ±2 fija para el mismo conjunto de casos. Con "
     "--epsilon se aplica privacidad diferencial y se descuenta del "
     "presupuesto del periodo. Dimensiones: $0.",
     "The table lists every combination of the categories (empty ones "
     "too). Cells under k cases, zero included, are suppressed, with those "
     "needed so that they cannot be derived from the totals; a query whose "
     "whole population is under k is refused. The information loss is "
     "shown (the share of what was counted in suppressed cells; in CSV, the "
     "INFORMATION_LOSS row). Released figures carry a ±2 "
     "perturbation fixed for the same set of cases. --epsilon applies "
     "differential privacy and charges the period's budget. Dimensions: $0."},
    {MsgId::kFlagStatsBy,
     "dimensiones de la tabla, separadas por comas (hasta 3)",
     "the table's dimensions, comma-separated (up to 3)"},
    {MsgId::kFlagStatsFrom, "primer mes (AAAA-MM) de la fecha de recepción",
     "first month (YYYY-MM) of the reported date"},
    {MsgId::kFlagStatsTo, "último mes (AAAA-MM) de la fecha de recepción",
     "last month (YYYY-MM) of the reported date"},
    {MsgId::kFlagStatsFilter, "filtro dimensión=VALOR[,VALOR]",
     "filter dimension=VALUE[,VALUE]"},
    {MsgId::kFlagStatsMeasure,
     "cases (por omisión), victims, median-days-to-first-action, "
     "median-days-to-referral-acceptance",
     "cases (default), victims, median-days-to-first-action, "
     "median-days-to-referral-acceptance"},
    {MsgId::kFlagStatsEpsilon,
     "privacidad diferencial: épsilon de esta consulta (0.01-10)",
     "differential privacy: this query's epsilon (0.01-10)"},
    {MsgId::kFlagStatsScope,
     "all (todas las instituciones, supervisión) o el id de una institución; "
     "por omisión, lo que usted puede ver (su institución, o todas si es de "
     "un órgano de supervisión)",
     "all (every institution, oversight) or an institution id; by default, "
     "what you may see (your institution, or all of them in an oversight "
     "body)"},
    {MsgId::kFlagStatsFormat, "table (por omisión), csv o json",
     "table (default), csv or json"},
    {MsgId::kFlagStatsChart, "escribe además una gráfica SVG en este archivo",
     "also writes an SVG chart to this file"},
    {MsgId::kStatsChartTitle, "$0 por $1", "$0 by $1"},
    {MsgId::kStatsMunicipality, "$0, municipio $1", "$0, municipality $1"},
    {MsgId::kStatsSuppressed, "suprimido", "suppressed"},
    {MsgId::kStatsTotal, "Total", "Total"},
    {MsgId::kStatsNotRecorded, "no registrado", "not recorded"},
    {MsgId::kStatsCases, "Casos", "Cases"},
    {MsgId::kStatsVictims, "Víctimas distintas", "Distinct victims"},
    {MsgId::kStatsMedianFirstAction, "Mediana de días a la primera actuación",
     "Median days to first action"},
    {MsgId::kStatsMedianReferral,
     "Mediana de días a la aceptación de la canalización",
     "Median days to referral acceptance"},
    {MsgId::kStatsKNote,
     "k = $0: no se publica ninguna cifra menor; perturbación máxima ±$1.",
     "k = $0: no smaller figure is published; perturbation up to ±$1."},
    {MsgId::kStatsDpNote,
     "Privacidad diferencial: ε = $0 (periodo $1, presupuesto restante $2); "
     "error ≤ $3 con probabilidad $4 %.",
     "Differential privacy: ε = $0 (release $1, budget left $2); error ≤ $3 "
     "with probability $4%."},
    {MsgId::kStatsAllowanceNote,
     "Consultas distintas que le quedan en el periodo $0: $1.",
     "Distinct queries you have left in release $0: $1."},
    {MsgId::kStatsChartNote,
     "Celdas rayadas: suprimidas (menos de k = $0 o deducibles), no cero",
     "Hatched cells: suppressed (below k = $0 or derivable), not zero"},
    {MsgId::kStatsChartWritten, "gráfica escrita en $0", "chart written to $0"},
    {MsgId::kStatsLossNote,
     "Pérdida de información: $0 % de lo contado está en celdas suprimidas.",
     "Information loss: $0% of what was counted is in suppressed cells."},
    {MsgId::kStatsMostlyWithheld,
     "La mayor parte de la tabla está suprimida: pida un periodo más amplio "
     "(trimestre o año en vez de mes), menos dimensiones o menos filtros.",
     "Most of the table is suppressed: ask for a coarser period (quarter or "
     "year instead of month), fewer dimensions or fewer filters."},
    {MsgId::kErrStatsDimension, "dimensión desconocida: $0 (una de: $1)",
     "unknown dimension: $0 (one of: $1)"},
    {MsgId::kErrStatsFilter, "filtro inválido: $0 (dimensión=VALOR[,VALOR])",
     "invalid filter: $0 (dimension=VALUE[,VALUE])"},
    {MsgId::kErrStatsFilterValue, "valor desconocido: $0 (uno de: $1)",
     "unknown value: $0 (one of: $1)"},
    {MsgId::kErrStatsMeasure, "medida desconocida: $0", "unknown measure: $0"},
    {MsgId::kErrStatsEpsilon, "épsilon inválido: $0", "invalid epsilon: $0"},
    {MsgId::kErrStatsFormat, "formato desconocido: $0 (table, csv o json)",
     "unknown format: $0 (table, csv or json)"},
    {MsgId::kErrStatsChart, "no se pudo escribir la gráfica en $0",
     "could not write the chart to $0"},
};

}  // namespace

absl::Span<const MessageText> StatsMessages() { return kStatsMessages; }

}  // namespace resguardo::cli
