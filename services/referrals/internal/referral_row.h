// The referrals row: its columns, reading a row, the BASIC view, the
// look-up of a referral as the caller's side sees it, the shared data's
// record context and status words for messages. Internal to
// services/referrals (ReferralStore's files); nothing outside uses it.
#ifndef RESGUARDO_SERVICES_REFERRALS_INTERNAL_REFERRAL_ROW_H_
#define RESGUARDO_SERVICES_REFERRALS_INTERNAL_REFERRAL_ROW_H_

#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "crypto/record_context.h"
#include "resguardo/v1/referral_service.pb.h"
#include "services/auth/access_policy.h"
#include "services/referrals/referral_validator.h"
#include "services/store/statement.h"
#include "services/store/transaction.h"

namespace resguardo::referrals::internal {

inline constexpr char kNotFound[] = "referral not found";
inline constexpr char kChanged[] =
    "the referral changed since you read it: read it again and retry";
inline constexpr char kDestroyed[] =
    "the shared data of this referral was destroyed (the referral was "
    "withdrawn or rejected, or the case's personal data erased)";

inline constexpr char kColumns[] =
    "id, sending, receiving, case_folio, services, status, risk_level, scope, "
    "consent_given_by, consent_method, consent_time, risk_override, "
    "accept_deadline, reject_reason, outcome, withdrawal_reason, "
    "create_time, update_time, version, sealed_shared IS NULL";

// The stored row of a referral.
struct Row {
  int64_t id = 0;
  std::string sending;
  std::string receiving;
  std::string case_folio;
  int64_t services = 0;
  int status = 0;
  int risk_level = 0;
  int scope = 0;
  int given_by = 0;
  int method = 0;
  int64_t consent_time = 0;
  bool risk_override = false;
  int64_t accept_deadline = 0;
  int reject_reason = 0;
  int outcome = 0;
  int withdrawal_reason = 0;
  int64_t create_time = 0;
  int64_t update_time = 0;
  int64_t version = 0;
  bool destroyed = false;

  std::string name() const { return ReferralResourceName(sending, id); }
};

// A row of `SELECT <kColumns>`.
absl::StatusOr<Row> ReadRow(const store::Statement& s);

// The BASIC view of `r` at `now` (overdue is relative to it).
v1::Referral ToBasic(const Row& r, absl::Time now);

enum class Side { kSender, kReceiver };

// The referral `name` as `caller` may see it, and the caller's side.
// NOT_FOUND kNotFound, the same for none and for another's.
absl::StatusOr<std::pair<Row, Side>> Load(store::ReadTxn& txn,
                                          const auth::Principal& caller,
                                          absl::string_view name);

// The RecordContext of the referral's shared data.
crypto::RecordContext SharedContext(const Row& row);

// The status's enum word, for messages ("PENDING").
const char* StatusWord(int status);

}  // namespace resguardo::referrals::internal

#endif  // RESGUARDO_SERVICES_REFERRALS_INTERNAL_REFERRAL_ROW_H_
