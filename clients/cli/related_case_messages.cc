// The CLI's texts for the related cases of a woman (`resguardo case
// related`, `case consent`, `case consent-withdraw`, and the hint of `case
// get --purpose`): messages.h; Spanish first.
#include "clients/cli/message_parts.h"

namespace resguardo::cli {
namespace {

constexpr MessageText kRelatedCaseMessages[] = {
    {MsgId::kCmdCaseRelated,
     "Muestra si la misma mujer tiene otros casos (nunca su contenido); pide "
     "--purpose.",
     "Shows whether the same woman has other cases (never their content); "
     "needs --purpose."},
    {MsgId::kUsageCaseRelated, "FOLIO --purpose CÓDIGO",
     "FOLIO --purpose CODE"},
    {MsgId::kDetailsCaseRelated,
     "Una registradora solo sabe si hay otro caso de ella en su propia "
     "institución (para no duplicarlo). Una persona que da seguimiento ve "
     "además cuántos casos tiene en otras instituciones y, solo con el "
     "consentimiento de la víctima para la coordinación (`case consent`), "
     "cuáles, con su estatus y fechas. Los refugios y demás prestadoras de "
     "servicios nunca se cuentan ni se nombran. La consulta queda en la "
     "bitácora con su propósito.",
     "A registrar learns only whether another case of hers exists at her own "
     "institution (to avoid a duplicate). Someone who follows the case also "
     "sees how many cases she has at other institutions and, only with the "
     "victim's consent to coordination (`case consent`), which ones, with "
     "their status and dates. Shelters and other service providers are never "
     "counted or named. The read is audited with its purpose."},
    {MsgId::kCmdCaseConsent,
     "Registra el consentimiento de la víctima para coordinar su caso con "
     "otras instituciones.",
     "Records the victim's consent to coordinate her case with other "
     "institutions."},
    {MsgId::kUsageCaseConsent,
     "FOLIO --etag ETAG --consent-by CÓDIGO --consent-method CÓDIGO "
     "[--consent-time FECHA-HORA] (--with INSTITUCIÓN... | --with-all)",
     "FOLIO --etag ETAG --consent-by CODE --consent-method CODE "
     "[--consent-time DATE-TIME] (--with INSTITUTION... | --with-all)"},
    {MsgId::kDetailsCaseConsent,
     "Sustituye el consentimiento anterior, si lo hay. Con él, `case related` "
     "nombra las instituciones indicadas que tienen otros casos de ella.",
     "Replaces the earlier consent, if any. With it, `case related` names the "
     "institutions given that hold other cases of hers."},
    {MsgId::kCmdCaseConsentWithdraw,
     "Registra que la víctima retiró su consentimiento para la coordinación.",
     "Records that the victim withdrew her consent to coordination."},
    {MsgId::kUsageCaseConsentWithdraw, "FOLIO --etag ETAG",
     "FOLIO --etag ETAG"},
    {MsgId::kFlagConsentWith, "institución con la que consiente coordinar",
     "institution she consents to coordinate with"},
    {MsgId::kFlagConsentWithAll, "con todas las instituciones del nodo",
     "with every institution of the node"},
    {MsgId::kRelatedHeading, "Casos relacionados de la misma mujer: $0",
     "Related cases of the same woman: $0"},
    {MsgId::kFieldRelatedOwn, "Otro caso en su institución",
     "Another case at your institution"},
    {MsgId::kFieldRelatedElsewhere, "Casos en otras instituciones",
     "Cases at other institutions"},
    {MsgId::kFieldRelatedConsent, "Consentimiento para coordinación",
     "Consent to coordination"},
    {MsgId::kRelatedAllInstitutions, "todas las instituciones",
     "every institution"},
    {MsgId::kRelatedNoConsent,
     "Sin consentimiento para coordinación no se nombran las instituciones.",
     "Without consent to coordination the institutions are not named."},
    {MsgId::kRelatedNamedNone,
     "Ninguna de ellas está entre las que nombra el consentimiento.",
     "None of them is among those the consent names."},
    {MsgId::kFieldRelatedInstitution, "Institución", "Institution"},
    {MsgId::kRelatedHint,
     "La misma mujer tiene $0 caso(s) en otras instituciones: `resguardo case "
     "related $1 --purpose $2`",
     "The same woman has $0 case(s) at other institutions: `resguardo case "
     "related $1 --purpose $2`"},
    {MsgId::kRelatedHintOwn,
     "Hay otro caso de la misma mujer en su institución: revise que no sea un "
     "duplicado.",
     "There is another case of the same woman at your institution: check it "
     "is not a duplicate."},
    {MsgId::kDoneConsentRecorded,
     "Consentimiento para coordinación registrado: $0",
     "Consent to coordination recorded: $0"},
    {MsgId::kDoneConsentWithdrawn,
     "Retiro del consentimiento para coordinación registrado: $0",
     "Withdrawal of the consent to coordination recorded: $0"},
    {MsgId::kNo, "no", "no"},
};

}  // namespace

absl::Span<const MessageText> RelatedCaseMessages() {
  return kRelatedCaseMessages;
}

}  // namespace resguardo::cli
