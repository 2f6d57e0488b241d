// The CLI's texts for `resguardo referral ...` and `resguardo alerts watch`:
// help, options, the fields of a referral, results and alerts (messages.h;
// Spanish first: it is what most users read).
#include "clients/cli/message_parts.h"

namespace resguardo::cli {
namespace {

constexpr MessageText kReferralMessages[] = {
    {MsgId::kGroupReferral,
     "Canalizaciones entre instituciones, con el consentimiento de la víctima.",
     "Referrals between institutions, with the victim's consent."},
    {MsgId::kGroupAlerts,
     "Alertas de la institución: canalizaciones nuevas y plazos.",
     "The institution's alerts: new referrals and deadlines."},
    {MsgId::kCmdReferralCreate, "Canaliza un caso a otra institución.",
     "Refers a case to another institution."},
    {MsgId::kCmdReferralInbox, "Canalizaciones recibidas (! = plazo vencido).",
     "Referrals received (! = overdue)."},
    {MsgId::kCmdReferralOutbox, "Canalizaciones enviadas.", "Referrals sent."},
    {MsgId::kCmdReferralShow, "Muestra una canalización.", "Shows a referral."},
    {MsgId::kCmdReferralAccept, "Acepta una canalización recibida.",
     "Accepts a referral received."},
    {MsgId::kCmdReferralReject,
     "Rechaza una canalización recibida, con motivo.",
     "Rejects a referral received, with a reason."},
    {MsgId::kCmdReferralComplete,
     "Concluye una canalización aceptada, con resultado.",
     "Completes an accepted referral, with an outcome."},
    {MsgId::kCmdReferralWithdraw,
     "Retira una canalización (destruye la copia de la institución receptora).",
     "Withdraws a referral (destroys the receiving institution's copy)."},
    {MsgId::kCmdAlertsWatch,
     "Muestra las alertas conforme llegan, hasta interrumpir (Ctrl-C).",
     "Prints alerts as they arrive, until interrupted (Ctrl-C)."},
    {MsgId::kUsageReferralCreate,
     "FOLIO --to INSTITUCIÓN --service SERVICIO --scope ALCANCE (--consent-by "
     "QUIÉN --consent-method CÓMO | --override-reason-file ARCHIVO)",
     "FOLIO --to INSTITUTION --service SERVICE --scope SCOPE (--consent-by WHO "
     "--consent-method HOW | --override-reason-file FILE)"},
    {MsgId::kCmdReferralFollowUpAdd,
     "Registra una actuación de la institución que recibe en una canalización "
     "aceptada.",
     "Records a follow-up of the receiving institution on an accepted "
     "referral."},
    {MsgId::kCmdReferralFollowUpList,
     "Lista las actuaciones de una canalización.",
     "Lists a referral's follow-ups."},
    {MsgId::kUsageReferralFollowUpAdd,
     "CANALIZACIÓN --kind TIPO [--occurred FECHA-HORA] [--notes-file ARCHIVO]",
     "REFERRAL --kind KIND [--occurred DATE-TIME] [--notes-file FILE]"},
    {MsgId::kUsageReferralShow,
     "CANALIZACIÓN [--view full --purpose PROPÓSITO]",
     "REFERRAL [--view full --purpose PURPOSE]"},
    {MsgId::kUsageReferralEtag, "CANALIZACIÓN --etag ETAG",
     "REFERRAL --etag ETAG"},
    {MsgId::kDetailsReferralCreate,
     "Sin el consentimiento informado de la víctima (o de su representante "
     "legal) el nodo rechaza la canalización. Solo viajan los datos del "
     "alcance: CONTACT_ONLY (nombre, teléfono, correo), CONTACT_AND_NARRATIVE "
     "(además, la narración) o FULL (todo). Una supervisora puede canalizar "
     "sin consentimiento por riesgo inminente (caso de riesgo alto o crítico) "
     "con --override-reason-file; queda auditado como excepción.",
     "Without the informed consent of the victim (or her legal representative) "
     "the node refuses the referral. Only the scope's data travel: "
     "CONTACT_ONLY (name, phone, email), CONTACT_AND_NARRATIVE (plus the "
     "narrative) or FULL (everything). A supervisor may refer without consent "
     "for imminent risk (a HIGH or CRITICAL case) with --override-reason-file; "
     "it is audited as an override."},
    {MsgId::kDetailsReferralWithdraw,
     "La institución que canaliza puede retirar por decisión propia "
     "(SENDER_DECISION) o porque la víctima retiró su consentimiento "
     "(CONSENT_WITHDRAWN); la institución receptora solo puede registrar lo "
     "segundo. La copia de los datos de la receptora se destruye al instante.",
     "The sending institution may withdraw by its own decision "
     "(SENDER_DECISION) or because the victim withdrew her consent "
     "(CONSENT_WITHDRAWN); the receiving institution may record only the "
     "latter. The receiver's copy of the data is destroyed at once."},
    {MsgId::kDetailsAlertsWatch,
     "Tras una desconexión se reconecta y continúa después de la última alerta "
     "mostrada: ninguna se pierde ni se repite. --resume-token continúa desde "
     "una alerta anterior (el token está en --json).",
     "After a disconnection it reconnects and continues after the last alert "
     "shown: none is lost or repeated. --resume-token continues from an "
     "earlier alert (the token is in --json)."},
    {MsgId::kFlagReferralTo, "institución receptora (id)",
     "receiving institution (id)"},
    {MsgId::kFlagReferralService, "servicio solicitado", "service requested"},
    {MsgId::kFlagReferralScope, "qué datos viajan", "which data travel"},
    {MsgId::kFlagConsentBy, "quién dio el consentimiento",
     "who gave the consent"},
    {MsgId::kFlagConsentMethod, "cómo se dio el consentimiento",
     "how the consent was given"},
    {MsgId::kFlagConsentTime, "cuándo se dio (por omisión, ahora)",
     "when it was given (default: now)"},
    {MsgId::kFlagOverrideReasonFile,
     "supervisora: motivo del riesgo inminente, en un archivo (- = entrada "
     "estándar)",
     "supervisor: the reason of imminent risk, in a file (- = stdin)"},
    {MsgId::kFlagReferralNoteFile,
     "nota para la institución receptora, en un archivo",
     "note to the receiving institution, in a file"},
    {MsgId::kFlagReferralStatus, "filtra por estatus", "filter by status"},
    {MsgId::kFlagReferralOverdue, "solo las de plazo vencido",
     "overdue ones only"},
    {MsgId::kFlagReferralRejectReason, "motivo del rechazo",
     "reason for the rejection"},
    {MsgId::kFlagReferralOutcome, "resultado", "outcome"},
    {MsgId::kFlagReferralWithdrawReason, "motivo del retiro",
     "reason for the withdrawal"},
    {MsgId::kFlagResumeToken, "continúa después de la alerta de este token",
     "continue after the alert of this token"},
    {MsgId::kFieldReferralCase, "Caso", "Case"},
    {MsgId::kFieldReferralFrom, "De", "From"},
    {MsgId::kFieldReferralTo, "Para", "To"},
    {MsgId::kFieldReferralServices, "Servicios", "Services"},
    {MsgId::kFieldReferralConsent, "Consentimiento", "Consent"},
    {MsgId::kFieldReferralScope, "Alcance", "Scope"},
    {MsgId::kFieldReferralDeadline, "Plazo", "Deadline"},
    {MsgId::kFieldReferralOutcome, "Motivo / resultado", "Reason / outcome"},
    {MsgId::kReferralOverride,
     "sin consentimiento: excepción por riesgo inminente",
     "without consent: imminent-risk override"},
    {MsgId::kReferralOverdue, "(VENCIDO)", "(OVERDUE)"},
    {MsgId::kReferralNone, "No hay canalizaciones.", "No referrals."},
    {MsgId::kDoneReferralCreated, "Canalización registrada: $0",
     "Referral made: $0"},
    {MsgId::kDoneReferralUpdated, "Canalización actualizada: $0",
     "Referral updated: $0"},
    {MsgId::kAlertsWaiting, "Esperando alertas (Ctrl-C para terminar)…",
     "Waiting for alerts (Ctrl-C to stop)…"},
    {MsgId::kAlertsReconnecting, "Conexión perdida; reconectando en $0 s…",
     "Connection lost; reconnecting in $0 s…"},
    {MsgId::kCmdAlertsList,
     "Muestra las alertas ya emitidas, de la más reciente a la más antigua.",
     "Lists the alerts already raised, newest first."},
    {MsgId::kDetailsAlertsList,
     "Termina con el token para seguir con `alerts watch --resume-token`: "
     "así no se pierde ni se repite ninguna alerta.",
     "Ends with the token to go on with `alerts watch --resume-token`: so no "
     "alert is lost or repeated."},
    {MsgId::kAlertsResumeHint,
     "Para ver las siguientes: resguardo alerts watch --resume-token $0",
     "To see the next ones: resguardo alerts watch --resume-token $0"},
    {MsgId::kAlertDueOn, "vence $0", "due $0"},
    {MsgId::kAlertsWatchResume,
     "Para reanudar después de la última alerta: resguardo alerts watch "
     "--resume-token $0",
     "To resume after the last alert: resguardo alerts watch --resume-token "
     "$0"},
    {MsgId::kWarnDuplicateReferral,
     "Aviso: este caso ya tiene una canalización abierta a $0 por uno de "
     "estos servicios (número $1, $2). Si repite la misma solicitud con su "
     "--request-id, el nodo devuelve la misma canalización.",
     "Warning: this case already has an open referral to $0 for one of these "
     "services (number $1, $2). If you repeat the same request with its "
     "--request-id, the node returns the same referral."},
    {MsgId::kFollowUpNotesWithheld,
     "Las notas no se muestran: son datos reservados y el nodo solo las "
     "envía si declara para qué las consulta (--purpose, p. ej. --purpose "
     "$0).",
     "The notes are not shown: they are sealed data the node sends only when "
     "you declare why you read them (--purpose, e.g. --purpose $0)."},
    {MsgId::kAskDuplicateReferral, "¿Crear otra canalización de todos modos?",
     "Create another referral anyway?"},
};

}  // namespace

absl::Span<const MessageText> ReferralMessages() { return kReferralMessages; }

}  // namespace resguardo::cli
