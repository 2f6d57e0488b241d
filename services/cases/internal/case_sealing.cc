#include "services/cases/internal/case_sealing.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "crypto/envelope.h"
#include "services/cases/case_store.h"

namespace resguardo::cases::internal {
namespace {

crypto::RecordContext PersonalDataContext(const CaseRow& row, int64_t version) {
  return crypto::RecordContext{CaseStore::kPersonalDataPurpose, row.institution,
                               row.name(), static_cast<uint64_t>(version)};
}

}  // namespace

crypto::RecordContext FollowUpContext(const CaseRow& row,
                                      absl::string_view follow_up_name) {
  return crypto::RecordContext{CaseStore::kFollowUpPurpose, row.institution,
                               std::string(follow_up_name), 1};
}

// A stored record that does not open is damage or tampering, never the
// caller's fault. `what` names the record and `cause` is the crypto
// library's error (it names no key and no plaintext); the client sees
// neither (DATA_LOSS reaches it as a sentence with the request id), the
// node's log does.
absl::Status SealedDataError(absl::string_view what,
                             const absl::Status& cause) {
  return absl::DataLossError(
      absl::StrCat("cases: ", what, " does not open (",
                   cause.ok() ? "it does not parse" : cause.message(),
                   "): it was damaged or altered"));
}

// The unwrapped DEK of a case that still has one.
absl::StatusOr<crypto::DataKey> UnwrapKey(admin::Directory& directory,
                                          store::ReadTxn& txn,
                                          const CaseRow& row) {
  if (!row.wrapped_dek) {
    return absl::FailedPreconditionError(kCaseErased);
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const crypto::Envelope> envelope,
                   directory.EnvelopeFor(txn, row.institution));
  absl::StatusOr<crypto::DataKey> key =
      envelope->Unwrap(*row.wrapped_dek, row.name());
  if (!key.ok()) {
    return SealedDataError("the data key of the case", key.status());
  }
  return key;
}

absl::StatusOr<v1::CasePersonalData> OpenPersonalData(
    const crypto::DataKey& key, const CaseRow& row) {
  if (!row.sealed_personal_data) return v1::CasePersonalData();
  absl::StatusOr<std::string> plain = key.Open(
      *row.sealed_personal_data, PersonalDataContext(row, row.version));
  v1::CasePersonalData data;
  if (!plain.ok() || !data.ParseFromString(*plain)) {
    return SealedDataError("the personal data of the case", plain.status());
  }
  return data;
}

absl::Status SealPersonalData(const crypto::DataKey& key,
                              const v1::CasePersonalData& data, CaseRow& row) {
  std::string plain;
  if (!data.SerializeToString(&plain)) {
    return absl::InternalError("could not serialize personal data");
  }
  ASSIGN_OR_RETURN(std::string sealed,
                   key.Seal(plain, PersonalDataContext(row, row.version)));
  row.sealed_personal_data = std::move(sealed);
  return absl::OkStatus();
}

// Bumps the version of `row` for a write at `now`, re-sealing its personal
// data under the new version.
absl::Status BumpVersion(admin::Directory& directory, store::ReadTxn& txn,
                         CaseRow& row, int64_t now) {
  std::optional<crypto::DataKey> key;
  v1::CasePersonalData data;
  if (!row.erased) {
    ASSIGN_OR_RETURN(key, UnwrapKey(directory, txn, row));
    ASSIGN_OR_RETURN(data, OpenPersonalData(*key, row));
  }
  row.version += 1;
  row.update_time = now;
  if (key) RETURN_IF_ERROR(SealPersonalData(*key, data, row));
  return absl::OkStatus();
}

}  // namespace resguardo::cases::internal
