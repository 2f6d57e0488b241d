// The error catalogue: every text the node returns to a caller about an
// error (a field violation's description, an error's google.rpc
// LocalizedMessage), in Spanish and English, keyed by ErrorId.
//
// A text says what a valid value looks like or what the caller can do. It
// never holds a value of the request (it may be personal data): its only
// placeholders ($0, $1) are the node's own limits (a maximum length, a
// year), given as integers. It names fields and actions as a user knows
// them (docs/glosario.md), never an internal method or a field path.
//
// To add a text: an ErrorId here (before kCount), its entry in
// error_catalogue.cc in the same place (the build checks the count and the
// order), both languages written from docs/glosario.md;
// error_catalogue_test.cc checks that none is missing or empty and that
// both languages have the same placeholders. A violation written as
// `v.Add("field", "must be ...")` becomes `v.Add("field", ErrorId::kNew)`.
//
// Pure functions over constant data; thread-safe.
#ifndef RESGUARDO_SERVICES_API_ERROR_CATALOGUE_H_
#define RESGUARDO_SERVICES_API_ERROR_CATALOGUE_H_

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "services/api/language.h"

namespace resguardo::api {

enum class ErrorId : uint16_t {
  // Any field.
  kRequired,
  kNotInCatalogue,
  kRepeatedCode,
  kNotInFuture,
  kRealDateFrom,  // $0: the first year
  kTimeFrom,      // $0: the first year
  kValidTime,
  kValidTimeInRange,  // $0, $1: the first and the last year
  kYearMonth,
  kMonthText,
  kUtf8,
  kNoControlMultiLine,
  kSingleLine,
  kLength,        // $0, $1: the fewest and the most characters
  kAtMostBytes,   // $0
  kAtMostValues,  // $0
  kNotBeforeStart,
  kAtLeast,  // $0
  // The request as a whole.
  kUndecodableMessage,
  kUndecodableUtf8,
  kWrongJsonType,
  kTimeoutHeader,  // $0: the most digits
  // Resource names and identifiers.
  kInstitutionName,
  kInstitutionNameOrAll,
  kCaseName,
  kUserName,
  kReferralName,
  kInstitutionId,
  kInstitutionIdForm,  // $0, $1: the fewest and the most characters
  kUserIdForm,         // $0, $1
  kInstitutionKind,
  kOtherReceivingInstitution,
  kReceivingInstitutionOfNode,
  // Codes of the INEGI and contact data.
  kStateCode,
  kMunicipalityCode,
  kStateMunicipalityCode,
  kPhoneCharacters,
  kPhoneDigits,  // $0, $1
  kEmail,
  kCurp,
  kAtMostNames,  // $0
  // Versions, pages and request ids.
  kEtagRequired,
  kEtagForm,
  kPageSizeNegative,
  kPageTokenForm,
  kPageTokenOfAnotherQuery,
  kPageTokenOutOfRange,
  kRequestIdReused,
  kResumeToken,
  // Users and roles.
  kRolesRequired,
  kNotARole,
  kRepeatedRole,
  kRolesSeparated,
  kMonitorAlone,
  // Cases.
  kPoliticalViolenceOnly,
  kGenderViolenceOnly,
  kIncidentAfterReport,
  kUpdateMaskRequired,
  kRepeatedPath,
  kOutputOnly,
  kNotUpdatable,
  kCloseWithItsAction,
  kViewBasicOrFull,
  kPurposeForFullView,
  kExpiryBeforeIssue,
  // Referrals.
  kServicesRequired,
  kNotAService,
  kRepeatedService,
  kNotAReferralStatus,
  kConsentOrOverride,
  kConsentGiver,
  kConsentMethod,
  kConsentScope,
  kTimeFromNotFuture,  // $0: the first year
  kAllOrSomeInstitutions,
  kOtherThanCaseInstitution,
  kBoxRequired,
  // Statistics.
  kAtMostDimensions,  // $0
  kNotADimension,
  kRepeatedDimension,
  kOnePeriodDimension,
  kMunicipalityWithPosition,
  kMunicipalityWithPositionFilter,
  kAtMostFilters,  // $0
  kNotAFilterDimension,
  kOneFilterPerDimension,
  kFilterValues,  // $0, $1
  kDaysBucket,
  kResolutionDaysBucket,
  kStatsPopulationBelowK,  // $0: k
  kNotAMeasure,
  kEpsilonRange,
  kEpsilonMeasure,
  kEpsilonMunicipality,
  kEpsilonMonthsRequired,
  kEpsilonYears,       // $0
  kPrivateTableCells,  // $0
  kTableCells,         // $0
  // The audit log.
  kEndIndex,
  kOutcomeCode,  // $0: the highest code
  kTreeSizeAboveIndex,
  kAtLeastOldSize,
  kAtMostTreeSize,
  // Whole errors (google.rpc.LocalizedMessage), one per code, then the
  // specific ones.
  kCodeCancelled,
  kCodeUnknown,
  kCodeInvalidArgument,
  kCodeDeadlineExceeded,
  kCodeNotFound,
  kCodeAlreadyExists,
  kCodePermissionDenied,
  kCodeResourceExhausted,
  kCodeFailedPrecondition,
  kCodeAborted,
  kCodeOutOfRange,
  kCodeUnimplemented,
  kCodeInternal,
  kCodeUnavailable,
  kCodeDataLoss,
  kCodeUnauthenticated,
  kStorageUnavailable,
  kCaseChanged,
  kConsentRequired,
  kRequestNotDecoded,
  kRoleSeparationOverTime,
  // Protection measures' status (SetProtectionMeasureStatus).
  kMeasureName,
  kExpiryOnlyExtendedOrInForce,
  kExpiryAfterCurrent,
  // The web listener's server streams (Connect).
  kCompressionNotAccepted,
  kAlertsDeadlinePassed,
  // Refusals (PERMISSION_DENIED): the actual reason.
  kDeniedUserDisabled,
  kDeniedNoRoleMayCall,
  kDeniedRole,
  kDeniedOperatorOnly,
  kDeniedOtherInstitutionUsers,
  kDeniedOwnInstitution,
  kDeniedExportOversightOnly,
  kDeniedStatsScope,
  kDeniedReceiverOnly,
  kDeniedSenderOnly,
  kDeniedReceiverWithdraw,
  kDeniedOverrideSupervisor,
  kDeniedReferralSharedData,
  kDeniedReferralFullView,
  // Statistics allowances (RESOURCE_EXHAUSTED): which one is spent.
  kBudgetAnalystRelease,
  kBudgetInstitutionRelease,
  kBudgetLifetime,
  kQueriesAnalystRelease,
  kQueriesInstitutionRelease,
  kQueriesLifetime,
  // A CURP against the birth date: which part disagrees.
  kCurpBirthYear,
  kCurpBirthMonth,
  kCurpBirthDay,
  // Users and institutions (AdminService's refusals).
  kUserChanged,
  kOwnRolesUnchangeable,
  kCannotDisableSelf,
  kUserAlreadyDisabled,
  kUserNotDisabled,
  kOperatorCreatesInstitutions,
  // Key rotations (StartKeyRotation, GetKeyRotation).
  kKeyRotationName,
  kKeyRotationRunning,
  kKeyRotationChanged,
  kDeniedOtherInstitutionKeys,
  // Resolutions of a political-violence case (resolutions.h).
  kResolutionName,
  kAppealName,
  kReparationMeasureName,
  kNotBeforeReportedDate,
  kNotBeforeResolutionDate,
  kNotBeforeAppealFiled,
  kNotBeforeAppealDecided,
  kSanctionedPersonsWhenProven,
  kSanctionNoneAlone,
  kFineAmount,
  kOnlyWithFine,
  kTermWithInscription,
  kOnlyWithInscription,
  kRegistryTerm,
  kAppealOutcomeDecided,
  kCaseTransition,
  kResolutionPoliticalViolenceOnly,
  kResolutionNotNow,
  kResolutionNotCurrent,
  kResolutionIsFinal,
  kAppealPending,
  kAppealAlreadyDecided,
  kResolutionRevoked,
  kRouteNeedsResolution,
  kRouteNeedsAppeal,
  kRouteNeedsFinalDate,
  kReparationTransition,
  // The registry of sanctioned persons (RegistryService).
  kSanctionedPersonName,
  kRegistryEntryName,
  kAggressorIndex,
  kRegistryStartBeforeFinal,
  kRegistryCaseNotFinal,
  kRegistryResolutionNotFinal,
  kRegistryNoInscriptionOrdered,
  kRegistryAlreadyInscribed,
  kRegistryEntryChanged,
  kRegistryEntryDelisted,
  kCaseStatusByRegistry,
  kCaseRegistryInForce,
  kCount
};

// A catalogue text with its limits: the only thing a field violation or a
// localized error can say (FieldViolations::Add takes nothing else).
class ErrorText {
 public:
  // Implicit: `v.Add("parent", ErrorId::kInstitutionName)`.
  ErrorText(ErrorId id) : id_(id) {}  // NOLINT(runtime/explicit)
  // `v.Add("notes", {ErrorId::kLength, {0, 20000}})`. REQUIRES: as many
  // limits as the text has placeholders.
  ErrorText(ErrorId id, std::initializer_list<int64_t> limits)
      : id_(id), limits_(limits) {}

  // As the constructor above, for limits read back from a status.
  static ErrorText WithLimits(ErrorId id, std::vector<int64_t> limits) {
    ErrorText text(id);
    text.limits_ = std::move(limits);
    return text;
  }

  ErrorId id() const { return id_; }
  const std::vector<int64_t>& limits() const { return limits_; }

  bool operator==(const ErrorText& other) const {
    return id_ == other.id_ && limits_ == other.limits_;
  }

 private:
  ErrorId id_;
  std::vector<int64_t> limits_;
};

struct CatalogueEntry {
  ErrorId id;
  const char* es;
  const char* en;
};

// Every entry, in ErrorId order (entry i has id i).
absl::Span<const CatalogueEntry> ErrorCatalogue();

// The text in `language` with its placeholders replaced by the limits (a
// placeholder without a limit is left out).
std::string Render(const ErrorText& text, Language language);

// The default text of an error of `code` (kCodeUnknown for OK or an
// unknown code).
ErrorId ErrorIdForCode(absl::StatusCode code);

// `status` carrying `text` as what its caller reads (the edge puts it in
// the google.rpc.LocalizedMessage instead of the code's default). For
// errors that are not field violations (those carry theirs:
// field_violations.h).
absl::Status WithErrorText(absl::Status status, const ErrorText& text);

// The text WithErrorText put on `status`, if any.
std::optional<ErrorText> ErrorTextOf(const absl::Status& status);

// A text as a line of an absl::Status payload ("12" or "12:0,200"), and
// back (nullopt for anything else).
std::string EncodeErrorText(const ErrorText& text);
std::optional<ErrorText> DecodeErrorText(absl::string_view encoded);

}  // namespace resguardo::api

#endif  // RESGUARDO_SERVICES_API_ERROR_CATALOGUE_H_
