// AlertStore: the stored alerts of each institution (new referral, deadline
// near, deadline missed, measure expiring). An alert is a row with a
// sequence per institution that grows by one with each alert (writes are
// serialised by the store's single writer, so MAX(seq) + 1 in the write
// transaction is race-free). Alerts carry no personal data: a kind, a
// resource name and times.
//
// Resume tokens (WatchAlerts): an opaque token (api/page_token.h) bound
// to the institution that carries the last sequence delivered; a stream
// resumed with it delivers every later alert, each once. ListAlerts pages
// through the alerts already raised, newest first, and hands out the token
// of the newest it could see, so that a client lists, then watches, and
// neither loses nor repeats an alert.
//
// Thread safety: stateless; thread-safe.
#ifndef RESGUARDO_SERVICES_REFERRALS_ALERT_STORE_H_
#define RESGUARDO_SERVICES_REFERRALS_ALERT_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "resguardo/v1/referral_service.pb.h"
#include "services/auth/access_policy.h"
#include "services/store/statement.h"
#include "services/store/transaction.h"

namespace resguardo::referrals {

class AlertStore {
 public:
  // Raises an alert for `institution`. With a dedup_key already used, raises
  // nothing and returns false (the monitor's "once per transition"); else
  // true. Store errors otherwise.
  static absl::StatusOr<bool> Raise(store::WriteTxn& txn,
                                    absl::string_view institution,
                                    v1::AlertKind kind,
                                    absl::string_view resource, absl::Time due,
                                    absl::Time now,
                                    std::optional<std::string> dedup_key);

  // The institution's alerts with sequence > after, in order, at most
  // `limit`, with their resume tokens.
  static absl::StatusOr<std::vector<v1::Alert>> ListAfter(
      store::ReadTxn& txn, absl::string_view institution, uint64_t after,
      int limit);

  // The institution's last sequence (0 when it has none).
  static absl::StatusOr<uint64_t> LastSequence(store::ReadTxn& txn,
                                               absl::string_view institution);

  // ListAlerts and WatchAlerts take only the caller's own institution:
  // its id, or INVALID_ARGUMENT naming "parent" for a malformed name,
  // PERMISSION_DENIED for another institution's.
  static absl::StatusOr<std::string> CallersInstitution(
      const auth::Principal& caller, absl::string_view parent);

  // ListAlerts (see ListAlertsResponse): newest first, `page_size` as
  // AIP-158 (default 50, at most 500); the page token carries the listing's
  // newest sequence and the next page's start, bound to the institution
  // (INVALID_ARGUMENT naming "page_token" otherwise).
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 500;
  static absl::StatusOr<v1::ListAlertsResponse> List(
      store::ReadTxn& txn, const auth::Principal& caller,
      const v1::ListAlertsRequest& request);

  static std::string ResumeToken(absl::string_view institution,
                                 uint64_t sequence);
  // The sequence in `token`, or nullopt if it is malformed or of another
  // institution.
  static std::optional<uint64_t> ParseResumeToken(absl::string_view institution,
                                                  absl::string_view token);

 private:
  static absl::StatusOr<v1::Alert> ReadAlert(const store::Statement& query,
                                             absl::string_view institution);
};

}  // namespace resguardo::referrals

#endif  // RESGUARDO_SERVICES_REFERRALS_ALERT_STORE_H_
