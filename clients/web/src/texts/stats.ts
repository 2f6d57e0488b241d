// Texts of the analyst's statistics screen (StatsService): the table
// builder, the answer, its notes, the chart and the downloads. Dimension
// labels are not here: they come from stats_service.proto's label options.
export const statsTexts = {
  navStats: { es: "Estadísticas", en: "Statistics" },
  statsTitle: { es: "Estadísticas anonimizadas", en: "Anonymised statistics" },
  statsIntro: {
    es: "Conteos, nunca registros: las celdas con menos de k casos, cero incluido, se suprimen, junto con las necesarias para que no puedan deducirse de los totales.",
    en: "Counts, never records: cells under k cases, zero included, are suppressed, with those needed so that they cannot be derived from the totals.",
  },
  statsBuilder: { es: "Tabla", en: "Table" },
  statsDimension: { es: "Dimensión", en: "Dimension" },
  statsNoDimension: { es: "Ninguna", en: "None" },
  statsDimensionsHint: {
    es: "Hasta tres dimensiones, en el orden de la tabla.",
    en: "Up to three dimensions, in the table's order.",
  },
  statsScope: { es: "Instituciones", en: "Institutions" },
  statsScopeAll: { es: "Todas las instituciones del nodo", en: "Every institution of the node" },
  statsScopeOwn: { es: "Solo la mía", en: "Mine only" },
  statsFromMonth: { es: "Desde el mes (fecha de recepción)", en: "From month (reported date)" },
  statsToMonth: { es: "Hasta el mes (fecha de recepción)", en: "To month (reported date)" },
  statsMonthHint: { es: "AAAA-MM; vacío: sin límite.", en: "YYYY-MM; empty: no limit." },
  statsMeasure: { es: "Medida", en: "Measure" },
  statsCases: { es: "Casos", en: "Cases" },
  statsVictims: { es: "Víctimas distintas", en: "Distinct victims" },
  statsMedianFirstAction: {
    es: "Mediana de días a la primera actuación",
    en: "Median days to first action",
  },
  statsMedianReferral: {
    es: "Mediana de días a la aceptación de la canalización",
    en: "Median days to referral acceptance",
  },
  statsEpsilon: { es: "Privacidad diferencial: ε", en: "Differential privacy: ε" },
  statsEpsilonHint: {
    es: "De 0.01 a 10; vacío: sin privacidad diferencial. Solo con casos o víctimas distintas.",
    en: "0.01 to 10; empty: no differential privacy. Only with cases or distinct victims.",
  },
  statsEpsilonNumber: { es: "Escriba un número, por ejemplo 0.5.", en: "Write a number, for example 0.5." },
  statsFilters: { es: "Filtros", en: "Filters" },
  statsFilterDimension: { es: "Filtrar por", en: "Filter by" },
  statsFilterValues: { es: "Valores", en: "Values" },
  statsMunicipalityCodes: {
    es: "Códigos INEGI de estado y municipio (20067), separados por comas",
    en: "INEGI state and municipality codes (20067), comma-separated",
  },
  statsAddFilter: { es: "Añadir un filtro", en: "Add a filter" },
  statsRemoveFilter: { es: "Quitar este filtro", en: "Remove this filter" },
  statsAllowance: { es: "Lo que puede gastar", en: "What you may spend" },
  statsAllowanceText: {
    es: "Periodo de publicación $0, para esos meses: consultas disponibles sin ε: $1; presupuesto de privacidad disponible: ε = $2.",
    en: "Release period $0, for those months: queries remaining without ε: $1; privacy budget remaining: ε = $2.",
  },
  statsCostQuery: {
    es: "Esta consulta gastará una de sus consultas (una consulta idéntica ya respondida en este periodo no cuesta nada).",
    en: "This query will spend one of your queries (an identical query already answered in this release costs nothing).",
  },
  statsCostEpsilon: {
    es: "Esta consulta gastará ε = $0 de su presupuesto (una consulta idéntica ya respondida en este periodo no cuesta nada).",
    en: "This query will spend ε = $0 of your budget (an identical query already answered in this release costs nothing).",
  },
  statsRun: { es: "Consultar", en: "Run the query" },
  statsRunning: { es: "Consultando…", en: "Querying…" },
  statsAnswer: { es: "Resultado", en: "Answer" },
  statsChartTitle: { es: "$0 por $1", en: "$0 by $1" },
  statsAnd: { es: " y ", en: " and " },
  statsTotal: { es: "Total", en: "Total" },
  statsSuppressed: { es: "suprimido", en: "suppressed" },
  statsNotRecorded: { es: "no registrado", en: "not recorded" },
  statsMunicipality: { es: "$0, municipio $1", en: "$0, municipality $1" },
  statsKNote: {
    es: "k = $0: no se publica ninguna cifra menor; perturbación máxima ±$1.",
    en: "k = $0: no smaller figure is published; perturbation up to ±$1.",
  },
  statsDpNote: {
    es: "Privacidad diferencial: ε = $0 (periodo $1, presupuesto restante $2); error ≤ $3 con probabilidad $4 %.",
    en: "Differential privacy: ε = $0 (release $1, budget left $2); error ≤ $3 with probability $4%.",
  },
  statsRepeated: {
    es: "Respuesta guardada de una consulta idéntica de este periodo: no costó nada.",
    en: "The stored answer of an identical query of this release: it cost nothing.",
  },
  statsQueriesLeft: { es: "Consultas restantes: $0.", en: "Queries left: $0." },
  statsLossNote: {
    es: "Pérdida de información: $0 % de lo contado está en celdas suprimidas.",
    en: "Information loss: $0% of what was counted is in suppressed cells.",
  },
  statsMostlyWithheld: {
    es: "La mayor parte de la tabla está suprimida: pida un periodo más amplio (trimestre o año en vez de mes), menos dimensiones o menos filtros.",
    en: "Most of the table is suppressed: ask for a coarser period (quarter or year instead of month), fewer dimensions or fewer filters.",
  },
  statsChartNote: {
    es: "Celdas rayadas: suprimidas (menos de k = $0 o deducibles), no cero",
    en: "Hatched cells: suppressed (below k = $0 or derivable), not zero",
  },
  statsChartHatched: { es: "Rayado: suprimido, no cero", en: "Hatched: suppressed, not zero" },
  statsChart: { es: "Gráfica", en: "Chart" },
  statsChartScroll: { es: "Gráfica (desplazable)", en: "Chart (scrollable)" },
  statsDownloadCsv: { es: "Descargar la tabla (CSV)", en: "Download the table (CSV)" },
  statsDownloadSvg: { es: "Descargar la gráfica (SVG)", en: "Download the chart (SVG)" },
};
