// Sealing of a case's records (DESIGN.md §3–4): the case's data key,
// unwrapped by its institution's KEK ring; its personal data sealed under
// the case's version; follow-up notes' record contexts; and the DATA_LOSS
// error of a record that does not open. Internal to services/cases.
#ifndef RESGUARDO_SERVICES_CASES_INTERNAL_CASE_SEALING_H_
#define RESGUARDO_SERVICES_CASES_INTERNAL_CASE_SEALING_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "crypto/envelope.h"
#include "crypto/record_context.h"
#include "resguardo/v1/case.pb.h"
#include "services/admin/directory.h"
#include "services/cases/internal/case_row.h"
#include "services/store/transaction.h"

namespace resguardo::cases::internal {

// The RecordContext of a follow-up's notes.
crypto::RecordContext FollowUpContext(const CaseRow& row,
                                      absl::string_view follow_up_name);

// A stored record that does not open is damage or tampering, never the
// caller's fault. `what` names the record and `cause` is the crypto
// library's error (it names no key and no plaintext); the client sees
// neither (DATA_LOSS reaches it as a sentence with the request id), the
// node's log does.
absl::Status SealedDataError(absl::string_view what, const absl::Status& cause);

// The unwrapped DEK of a case that still has one (FAILED_PRECONDITION
// kCaseErased otherwise).
absl::StatusOr<crypto::DataKey> UnwrapKey(admin::Directory& directory,
                                          store::ReadTxn& txn,
                                          const CaseRow& row);

// The case's personal data (empty if none is stored).
absl::StatusOr<v1::CasePersonalData> OpenPersonalData(
    const crypto::DataKey& key, const CaseRow& row);

// Seals `data` into row.sealed_personal_data under row.version.
absl::Status SealPersonalData(const crypto::DataKey& key,
                              const v1::CasePersonalData& data, CaseRow& row);

// Bumps the version of `row` for a write at `now`, re-sealing its personal
// data under the new version.
absl::Status BumpVersion(admin::Directory& directory, store::ReadTxn& txn,
                         CaseRow& row, int64_t now);

}  // namespace resguardo::cases::internal

#endif  // RESGUARDO_SERVICES_CASES_INTERNAL_CASE_SEALING_H_
