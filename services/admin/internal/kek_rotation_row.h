// A row of kek_rotations (services/schema/node_schema.cc, version 13): one
// rotation of an institution's KEK and where its rewrap job stands. Read
// and written by KekRotations (the API) and KekRewrapJob (the job), in the
// caller's transaction. No key material.
#ifndef RESGUARDO_SERVICES_ADMIN_INTERNAL_KEK_ROTATION_ROW_H_
#define RESGUARDO_SERVICES_ADMIN_INTERNAL_KEK_ROTATION_ROW_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "resguardo/v1/admin_service.pb.h"
#include "services/store/transaction.h"

namespace resguardo::admin::internal {

// Where the rewrap job is (the phase column).
enum class RewrapPhase : int {
  kCases = 0,            // cases, by id
  kReferralKeys = 1,     // referral_keys held by the institution
  kReferralNotes = 2,    // referral_follow_ups of referrals it received
  kRegistryEntries = 3,  // registry_entries it inscribed, by id
  kRetire = 4,           // every key is on to_version: destroy the others
};

struct KekRotationRow {
  std::string institution;
  uint32_t to_version = 0;
  uint32_t from_version = 0;
  bool running = true;  // state 1; false: done (state 2)
  RewrapPhase phase = RewrapPhase::kCases;
  int64_t cursor_id = 0;
  int64_t cursor_seq = 0;
  int64_t total = 0;
  int64_t rewrapped = 0;
  std::string started_by;  // institutions/{i}/users/{u}
  int64_t start_time = 0;  // Unix microseconds
  int64_t finish_time = 0;

  // institutions/{institution}/keyRotations/{to_version}
  std::string name() const;
  v1::KeyRotation ToProto() const;
};

// Inserts a new row. The store's errors (a second RUNNING row of the same
// institution violates kek_rotations_running).
absl::Status InsertRotation(store::WriteTxn& txn, const KekRotationRow& row);
// Writes state, phase, cursor, rewrapped and finish_time of `row`.
absl::Status UpdateRotation(store::WriteTxn& txn, const KekRotationRow& row);

// The rotation of `institution` to `to_version`, or its latest one when
// to_version is 0; nullopt when there is none.
absl::StatusOr<std::optional<KekRotationRow>> FindRotation(
    store::ReadTxn& txn, absl::string_view institution, uint32_t to_version);
// The running rotation of `institution`, if any.
absl::StatusOr<std::optional<KekRotationRow>> FindRunningRotation(
    store::ReadTxn& txn, absl::string_view institution);
// The institutions with a running rotation, ascending.
absl::StatusOr<std::vector<std::string>> InstitutionsRotating(
    store::ReadTxn& txn);

}  // namespace resguardo::admin::internal

#endif  // RESGUARDO_SERVICES_ADMIN_INTERNAL_KEK_ROTATION_ROW_H_
