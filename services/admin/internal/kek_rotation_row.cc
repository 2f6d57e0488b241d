#include "services/admin/internal/kek_rotation_row.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "services/api/resource_names.h"
#include "services/api/timestamps.h"
#include "services/store/statement.h"

namespace resguardo::admin::internal {
namespace {

constexpr char kColumns[] =
    "institution, to_version, from_version, state, phase, cursor_id, "
    "cursor_seq, total, rewrapped, started_by, start_time, finish_time";

absl::StatusOr<KekRotationRow> ReadRow(const store::Statement& s) {
  KekRotationRow row;
  ASSIGN_OR_RETURN(absl::string_view institution, s.ColumnText(0));
  row.institution = std::string(institution);
  ASSIGN_OR_RETURN(int64_t to_version, s.ColumnInt64(1));
  ASSIGN_OR_RETURN(int64_t from_version, s.ColumnInt64(2));
  ASSIGN_OR_RETURN(int64_t state, s.ColumnInt64(3));
  ASSIGN_OR_RETURN(int64_t phase, s.ColumnInt64(4));
  if (to_version < 2 || to_version > UINT32_MAX || from_version < 1 ||
      from_version > UINT32_MAX || phase < 0 ||
      phase > static_cast<int>(RewrapPhase::kRetire)) {
    return absl::DataLossError("a stored key rotation is malformed");
  }
  row.to_version = static_cast<uint32_t>(to_version);
  row.from_version = static_cast<uint32_t>(from_version);
  row.running = state == 1;
  row.phase = static_cast<RewrapPhase>(phase);
  ASSIGN_OR_RETURN(row.cursor_id, s.ColumnInt64(5));
  ASSIGN_OR_RETURN(row.cursor_seq, s.ColumnInt64(6));
  ASSIGN_OR_RETURN(row.total, s.ColumnInt64(7));
  ASSIGN_OR_RETURN(row.rewrapped, s.ColumnInt64(8));
  ASSIGN_OR_RETURN(absl::string_view started_by, s.ColumnText(9));
  row.started_by = std::string(started_by);
  ASSIGN_OR_RETURN(row.start_time, s.ColumnInt64(10));
  ASSIGN_OR_RETURN(row.finish_time, s.ColumnInt64(11));
  return row;
}

absl::StatusOr<std::optional<KekRotationRow>> FirstRow(store::Statement& s) {
  ASSIGN_OR_RETURN(bool found, s.Step());
  if (!found) return std::optional<KekRotationRow>();
  ASSIGN_OR_RETURN(KekRotationRow row, ReadRow(s));
  return std::optional<KekRotationRow>(std::move(row));
}

}  // namespace

std::string KekRotationRow::name() const {
  return absl::StrCat(api::InstitutionName(institution), "/keyRotations/",
                      to_version);
}

v1::KeyRotation KekRotationRow::ToProto() const {
  v1::KeyRotation out;
  out.set_name(name());
  out.set_state(running ? v1::KEY_ROTATION_STATE_RUNNING
                        : v1::KEY_ROTATION_STATE_DONE);
  out.set_from_version(from_version);
  out.set_to_version(to_version);
  out.set_data_keys_total(total);
  out.set_data_keys_rewrapped(rewrapped);
  out.set_data_keys_remaining(running ? std::max<int64_t>(0, total - rewrapped)
                                      : 0);
  api::SetTimestamp(start_time, out.mutable_start_time());
  if (!running) api::SetTimestamp(finish_time, out.mutable_finish_time());
  out.set_started_by(started_by);
  out.set_etag(absl::StrCat(to_version));
  return out;
}

absl::Status InsertRotation(store::WriteTxn& txn, const KekRotationRow& row) {
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare(absl::StrCat("INSERT INTO kek_rotations(", kColumns,
                               ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                               "?10, ?11, ?12)")));
  RETURN_IF_ERROR(s.BindText(1, row.institution));
  RETURN_IF_ERROR(s.BindInt64(2, row.to_version));
  RETURN_IF_ERROR(s.BindInt64(3, row.from_version));
  RETURN_IF_ERROR(s.BindInt64(4, row.running ? 1 : 2));
  RETURN_IF_ERROR(s.BindInt64(5, static_cast<int>(row.phase)));
  RETURN_IF_ERROR(s.BindInt64(6, row.cursor_id));
  RETURN_IF_ERROR(s.BindInt64(7, row.cursor_seq));
  RETURN_IF_ERROR(s.BindInt64(8, row.total));
  RETURN_IF_ERROR(s.BindInt64(9, row.rewrapped));
  RETURN_IF_ERROR(s.BindText(10, row.started_by));
  RETURN_IF_ERROR(s.BindInt64(11, row.start_time));
  RETURN_IF_ERROR(s.BindInt64(12, row.finish_time));
  return s.Run();
}

absl::Status UpdateRotation(store::WriteTxn& txn, const KekRotationRow& row) {
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare("UPDATE kek_rotations SET state = ?3, phase = ?4, "
                  "cursor_id = ?5, cursor_seq = ?6, rewrapped = ?7, "
                  "finish_time = ?8 WHERE institution = ?1 AND "
                  "to_version = ?2"));
  RETURN_IF_ERROR(s.BindText(1, row.institution));
  RETURN_IF_ERROR(s.BindInt64(2, row.to_version));
  RETURN_IF_ERROR(s.BindInt64(3, row.running ? 1 : 2));
  RETURN_IF_ERROR(s.BindInt64(4, static_cast<int>(row.phase)));
  RETURN_IF_ERROR(s.BindInt64(5, row.cursor_id));
  RETURN_IF_ERROR(s.BindInt64(6, row.cursor_seq));
  RETURN_IF_ERROR(s.BindInt64(7, row.rewrapped));
  RETURN_IF_ERROR(s.BindInt64(8, row.finish_time));
  return s.Run();
}

absl::StatusOr<std::optional<KekRotationRow>> FindRotation(
    store::ReadTxn& txn, absl::string_view institution, uint32_t to_version) {
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare(absl::StrCat(
          "SELECT ", kColumns, " FROM kek_rotations WHERE institution = ?1",
          to_version == 0 ? " ORDER BY to_version DESC LIMIT 1"
                          : " AND to_version = ?2")));
  RETURN_IF_ERROR(s.BindText(1, institution));
  if (to_version != 0) RETURN_IF_ERROR(s.BindInt64(2, to_version));
  return FirstRow(s);
}

absl::StatusOr<std::optional<KekRotationRow>> FindRunningRotation(
    store::ReadTxn& txn, absl::string_view institution) {
  ASSIGN_OR_RETURN(store::Statement s,
                   txn.Prepare(absl::StrCat("SELECT ", kColumns,
                                            " FROM kek_rotations WHERE "
                                            "institution = ?1 AND state = 1")));
  RETURN_IF_ERROR(s.BindText(1, institution));
  return FirstRow(s);
}

absl::StatusOr<std::vector<std::string>> InstitutionsRotating(
    store::ReadTxn& txn) {
  ASSIGN_OR_RETURN(store::Statement s,
                   txn.Prepare("SELECT institution FROM kek_rotations WHERE "
                               "state = 1 ORDER BY institution"));
  std::vector<std::string> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    ASSIGN_OR_RETURN(absl::string_view institution, s.ColumnText(0));
    out.emplace_back(institution);
  }
  return out;
}

}  // namespace resguardo::admin::internal
