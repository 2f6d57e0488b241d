// Texts of the supervisor's actions on a case page (close, reopen, erase
// the personal data) and of the refusal a hand-typed address of another
// role's screen gets from the node.
export const supervisionTexts = {
  supervisionTitle: { es: "Acciones de supervisión", en: "Supervisor's actions" },
  closureReasonShown: { es: "Motivo de cierre", en: "Closure reason" },
  fClosureReason: { es: "Motivo de cierre", en: "Closure reason" },
  closeStart: { es: "Cerrar el caso…", en: "Close the case…" },
  closeCase: { es: "Cerrar el caso", en: "Close the case" },
  closed: { es: "Caso cerrado.", en: "Case closed." },
  reopenCase: { es: "Reabrir el caso", en: "Reopen the case" },
  reopenHint: {
    es: "El caso vuelve al estado que tenía antes del cierre:",
    en: "The case goes back to the status it had before it was closed:",
  },
  reopened: { es: "Caso reabierto.", en: "Case reopened." },
  actionConflict: {
    es: "El caso cambió mientras usted lo veía; esta es la versión actual. No se hizo nada: revísela y repita la acción si hace falta.",
    en: "The case changed while you were viewing it; this is the current version. Nothing was done: review it and repeat the action if needed.",
  },
  eraseTitle: { es: "Borrar los datos personales", en: "Erase the personal data" },
  eraseStart: { es: "Borrar los datos personales…", en: "Erase the personal data…" },
  eraseConsequence: {
    es: "Esto no se puede deshacer. Se destruye la clave del caso: nadie podrá volver a leer en este nodo el nombre de la víctima, su CURP, sus datos de contacto, la narración de los hechos, los nombres de las personas agresoras, las notas de las actuaciones ni lo que se compartió en sus canalizaciones. Se conservan los descriptores (para la estadística) y la bitácora de auditoría.",
    en: "This cannot be undone. The case's key is destroyed: nobody will ever again read on this node the victim's name, her CURP, her contact details, the narrative of the facts, the aggressors' names, the follow-ups' notes, or what was shared in the case's referrals. The descriptors (for statistics) and the audit log remain.",
  },
  eraseBackups: {
    es: "Los respaldos tomados antes del borrado conservan estos datos hasta que se destruyan según la política de conservación.",
    en: "Backups taken before the erasure keep this data until they are destroyed under the retention policy.",
  },
  fErasureReason: { es: "Motivo del borrado", en: "Reason for the erasure" },
  fConfirmFolio: { es: "Escriba el folio del caso para confirmar", en: "Type the case's folio to confirm" },
  confirmFolioHint: { es: "El folio de este caso es", en: "This case's folio is" },
  folioMismatch: {
    es: "No coincide con el folio de este caso; no se borró nada.",
    en: "It does not match this case's folio; nothing was erased.",
  },
  eraseSubmit: { es: "Borrar para siempre los datos personales", en: "Erase the personal data for good" },
  erasedNow: {
    es: "Los datos personales de este caso fueron borrados para siempre.",
    en: "This case's personal data was erased for good.",
  },
  erasedNotice: {
    es: "Datos personales borrados: la clave de este caso fue destruida. Quedan los descriptores y la bitácora de auditoría.",
    en: "Personal data erased: this case's key was destroyed. The descriptors and the audit log remain.",
  },
  notesErased: {
    es: "Notas borradas con los datos personales del caso.",
    en: "Notes erased with the case's personal data.",
  },
  refusedTitle: { es: "Sin acceso", en: "No access" },
  refusedIntro: {
    es: "Esta pantalla no es de sus funciones. El nodo respondió:",
    en: "This screen is not one of your roles'. The node answered:",
  },
};
