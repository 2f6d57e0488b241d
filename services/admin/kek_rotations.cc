#include "services/admin/kek_rotations.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "base/status_macros.h"
#include "services/admin/internal/kek_rotation_row.h"
#include "services/api/error_catalogue.h"
#include "services/api/field_violations.h"
#include "services/api/resource_names.h"
#include "services/schema/wrapped_keys.h"
#include "services/store/statement.h"

namespace resguardo::admin {
namespace {

using api::ErrorId;
using internal::KekRotationRow;

constexpr char kLatest[] = "-";

// Admins of `institution`, or the operator's admins.
absl::Status CheckKeyManager(const auth::Principal& caller,
                             absl::string_view institution) {
  if (!caller.Has(v1::ROLE_ADMIN)) {
    return api::WithErrorText(
        absl::PermissionDeniedError("only administrators may rotate keys"),
        ErrorId::kDeniedRole);
  }
  if (!auth::CanActFor(caller, institution, /*admin_method=*/true)) {
    return api::WithErrorText(
        absl::PermissionDeniedError(
            "the caller may not rotate the keys of this institution"),
        ErrorId::kDeniedOtherInstitutionKeys);
  }
  return absl::OkStatus();
}

absl::Status CheckInstitutionExists(store::ReadTxn& txn,
                                    absl::string_view institution) {
  ASSIGN_OR_RETURN(store::Statement s,
                   txn.Prepare("SELECT 1 FROM institutions WHERE id = ?1"));
  RETURN_IF_ERROR(s.BindText(1, institution));
  ASSIGN_OR_RETURN(bool found, s.Step());
  if (!found) return absl::NotFoundError("institution not found");
  return absl::OkStatus();
}

// Every data key the institution holds (schema/wrapped_keys.h): its
// cases' (not erased), its copies of referrals, the notes of the referral
// follow-ups it received, and its registry entries'.
absl::StatusOr<int64_t> CountDataKeys(store::ReadTxn& txn,
                                      absl::string_view institution) {
  std::vector<std::string> counts;
  for (const schema::WrappedKeyPlace& p : schema::kWrappedKeyPlaces) {
    counts.push_back(absl::StrCat("(SELECT COUNT(*) FROM ", p.from, " WHERE ",
                                  p.holder, " = ?1 AND ", p.key,
                                  " IS NOT NULL)"));
  }
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare(absl::StrCat("SELECT ", absl::StrJoin(counts, " + "))));
  RETURN_IF_ERROR(s.BindText(1, institution));
  ASSIGN_OR_RETURN(bool found, s.Step());
  (void)found;
  return s.ColumnInt64(0);
}

struct ParsedName {
  std::string institution;
  uint32_t to_version = 0;  // 0: the latest
};

std::optional<ParsedName> ParseRotationName(absl::string_view name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "institutions" ||
      !api::IsValidInstitutionId(parts[1]) || parts[2] != "keyRotations") {
    return std::nullopt;
  }
  ParsedName out;
  out.institution = std::string(parts[1]);
  if (parts[3] == kLatest) return out;
  if (parts[3].empty() || parts[3].size() > 10 ||
      !std::all_of(parts[3].begin(), parts[3].end(), absl::ascii_isdigit) ||
      !absl::SimpleAtoi(parts[3], &out.to_version) || out.to_version < 2) {
    return std::nullopt;
  }
  return out;
}

}  // namespace

absl::StatusOr<v1::KeyRotation> KekRotations::Start(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::StartKeyRotationRequest& request) {
  api::FieldViolations v;
  std::optional<std::string> institution =
      api::ParseInstitutionName(request.parent());
  if (!institution) v.Add("parent", ErrorId::kInstitutionName);
  if (request.etag().size() > 20 ||
      !std::all_of(request.etag().begin(), request.etag().end(),
                   absl::ascii_isdigit)) {
    v.Add("etag", ErrorId::kEtagForm);
  }
  RETURN_IF_ERROR(v.ToStatus());
  RETURN_IF_ERROR(CheckKeyManager(caller, *institution));
  RETURN_IF_ERROR(CheckInstitutionExists(txn, *institution));
  ASSIGN_OR_RETURN(std::optional<KekRotationRow> latest,
                   internal::FindRotation(txn, *institution, 0));
  if (latest.has_value() && latest->running) {
    return api::WithErrorText(
        absl::FailedPreconditionError(
            "a key rotation of this institution is running"),
        ErrorId::kKeyRotationRunning);
  }
  const std::string latest_etag =
      latest.has_value() ? absl::StrCat(latest->to_version) : "0";
  if (!request.etag().empty() && request.etag() != latest_etag) {
    return api::WithErrorText(
        absl::AbortedError("another key rotation started since"),
        ErrorId::kKeyRotationChanged);
  }
  ASSIGN_OR_RETURN(int64_t total, CountDataKeys(txn, *institution));
  ASSIGN_OR_RETURN(KeyRings::NewVersion version,
                   rings_->AddPrimaryVersion(txn, *institution));
  KekRotationRow row;
  row.institution = *institution;
  row.to_version = version.version;
  row.from_version = version.previous_primary;
  row.running = true;
  row.total = total;
  row.started_by = api::UserResourceName(caller.institution, caller.user);
  row.start_time = absl::ToUnixMicros(clock_->Now());
  RETURN_IF_ERROR(internal::InsertRotation(txn, row));
  if (on_started_) {
    txn.AfterBatch([wake = on_started_](uint64_t) { wake(); });
  }
  return row.ToProto();
}

absl::StatusOr<v1::KeyRotation> KekRotations::Get(
    store::ReadTxn& txn, const auth::Principal& caller,
    const v1::GetKeyRotationRequest& request) const {
  std::optional<ParsedName> name = ParseRotationName(request.name());
  if (!name) {
    api::FieldViolations v;
    v.Add("name", ErrorId::kKeyRotationName);
    return v.ToStatus();
  }
  RETURN_IF_ERROR(CheckKeyManager(caller, name->institution));
  ASSIGN_OR_RETURN(
      std::optional<KekRotationRow> row,
      internal::FindRotation(txn, name->institution, name->to_version));
  if (!row) return absl::NotFoundError("key rotation not found");
  return row->ToProto();
}

absl::StatusOr<std::optional<v1::KeyRotation>> KekRotations::Progress(
    store::ReadTxn& txn, absl::string_view institution) {
  ASSIGN_OR_RETURN(std::optional<KekRotationRow> row,
                   internal::FindRotation(txn, institution, 0));
  if (!row) return std::optional<v1::KeyRotation>();
  return std::optional<v1::KeyRotation>(row->ToProto());
}

}  // namespace resguardo::admin
