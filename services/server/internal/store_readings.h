// StoreReadings: what the node's metrics read from the store at each
// scrape (node_metrics.h), in the scrape's read transaction, from the
// existing tables only:
//   - the audit log's size (entries 0..n-1: the audit tree's size);
//   - the institutions whose KEK ring holds more than one version (a
//     rotation under way, or an old version not yet destroyed);
//   - the data keys wrapped under a KEK version that is not their
//     institution's primary one (what a rotation has left to rewrap): the
//     wrapped DEKs of cases (cases.wrapped_dek, under the case's
//     institution), of referral copies (referral_keys.wrapped_dek, under the
//     holder's), of referral follow-up notes (referral_follow_ups, under
//     the receiving institution's) and of the registry's entries
//     (registry_entries.wrapped_dek, under the inscribing institution's);
//     a wrapped DEK names its KEK version in bytes 2–5 (crypto/envelope.h).
//     Only institutions with more than one version are scanned: with no
//     rotation, a scrape reads no case.
// Counts only: nothing of a row leaves this file.
//
// Thread safety: as the transaction's.
#ifndef RESGUARDO_SERVICES_SERVER_INTERNAL_STORE_READINGS_H_
#define RESGUARDO_SERVICES_SERVER_INTERNAL_STORE_READINGS_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "services/store/transaction.h"

namespace resguardo::server::internal {

struct StoreReadings {
  int64_t audit_entries = 0;
  int64_t rotating_institutions = 0;
  int64_t stale_data_keys = 0;
};

// Errors: the store's.
absl::StatusOr<StoreReadings> ReadStoreReadings(store::ReadTxn& txn);

}  // namespace resguardo::server::internal

#endif  // RESGUARDO_SERVICES_SERVER_INTERNAL_STORE_READINGS_H_
