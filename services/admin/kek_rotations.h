// KekRotations: rotations of an institution's key-encryption key (KEK),
// AdminService's StartKeyRotation and GetKeyRotation (SECURITY.md §2).
//
// Start adds a new KEK version to the institution's ring and makes it the
// primary in the call's own transaction, so every data key wrapped from
// the commit on is wrapped under it, and records the rotation (kek_rotations,
// state RUNNING) with the count of the institution's data keys at that
// moment. The rewrap itself is KekRewrapJob's (kek_rewrap_job.h), in the
// background; `on_started` (if set) is run once a start has committed, to
// wake it.
//
// Callers: admins of the institution, or the node operator's admins for any
// institution (auth::CanActFor with admin_method = true; SECURITY.md §2 says
// why). The role × method table admits ADMIN only; this class checks again.
// Errors: INVALID_ARGUMENT naming "parent", "name" or "etag";
// PERMISSION_DENIED (kDeniedRole, kDeniedOtherInstitutionKeys) before any
// lookup; NOT_FOUND "institution not found" / "key rotation not found";
// FAILED_PRECONDITION (kKeyRotationRunning) while a rotation of the
// institution runs; ABORTED (kKeyRotationChanged) when `etag` is not the
// latest rotation's.
//
// Progress (for monitoring, without a caller): Progress() reads the latest
// rotation of an institution.
//
// Thread safety: thread-safe. Ownership: rings and clock are borrowed and
// must outlive this object.
#ifndef RESGUARDO_SERVICES_ADMIN_KEK_ROTATIONS_H_
#define RESGUARDO_SERVICES_ADMIN_KEK_ROTATIONS_H_

#include <functional>
#include <optional>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/clock.h"
#include "resguardo/v1/admin_service.pb.h"
#include "services/admin/key_rings.h"
#include "services/auth/access_policy.h"
#include "services/store/transaction.h"

namespace resguardo::admin {

class KekRotations {
 public:
  KekRotations(KeyRings* rings, const Clock* clock,
               std::function<void()> on_started = nullptr)
      : rings_(rings), clock_(clock), on_started_(std::move(on_started)) {}

  KekRotations(const KekRotations&) = delete;
  KekRotations& operator=(const KekRotations&) = delete;

  absl::StatusOr<v1::KeyRotation> Start(
      store::WriteTxn& txn, const auth::Principal& caller,
      const v1::StartKeyRotationRequest& request);

  absl::StatusOr<v1::KeyRotation> Get(
      store::ReadTxn& txn, const auth::Principal& caller,
      const v1::GetKeyRotationRequest& request) const;

  // The latest rotation of `institution` (state, counts, versions, times),
  // or nullopt if it never had one. No authorisation: for the node itself.
  static absl::StatusOr<std::optional<v1::KeyRotation>> Progress(
      store::ReadTxn& txn, absl::string_view institution);

 private:
  KeyRings* const rings_;
  const Clock* const clock_;
  const std::function<void()> on_started_;
};

}  // namespace resguardo::admin

#endif  // RESGUARDO_SERVICES_ADMIN_KEK_ROTATIONS_H_
