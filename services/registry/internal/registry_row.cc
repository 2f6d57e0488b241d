#include "services/registry/internal/registry_row.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "crypto/envelope.h"
#include "crypto/record_context.h"
#include "services/api/resource_names.h"
#include "services/api/timestamps.h"
#include "services/registry/registry_validator.h"

namespace resguardo::registry::internal {
namespace {

crypto::RecordContext NameContext(const RegistryRow& row) {
  return crypto::RecordContext{kPersonNamePurpose, row.institution, row.name(),
                               1};
}

absl::Status DamagedError(absl::string_view what, const absl::Status& cause) {
  return absl::DataLossError(
      absl::StrCat("registry: ", what, " does not open (",
                   cause.ok() ? "it does not parse" : cause.message(),
                   "): it was damaged or altered"));
}

}  // namespace

std::string RegistryRow::name() const {
  return api::RegistryEntryResourceName(institution, seq);
}

absl::StatusOr<RegistryRow> ReadRow(const store::Statement& s) {
  RegistryRow row;
  ASSIGN_OR_RETURN(row.id, s.ColumnInt64(0));
  ASSIGN_OR_RETURN(absl::string_view institution, s.ColumnText(1));
  row.institution = std::string(institution);
  ASSIGN_OR_RETURN(row.seq, s.ColumnInt64(2));
  ASSIGN_OR_RETURN(row.case_id, s.ColumnInt64(3));
  ASSIGN_OR_RETURN(absl::string_view person, s.ColumnText(4));
  row.sanctioned_person = std::string(person);
  ASSIGN_OR_RETURN(absl::string_view entry, s.ColumnBlob(5));
  if (!row.entry.ParseFromArray(entry.data(), static_cast<int>(entry.size()))) {
    return DamagedError("an entry's stored fields", absl::OkStatus());
  }
  ASSIGN_OR_RETURN(absl::string_view dek, s.ColumnBlob(6));
  row.wrapped_dek = std::string(dek);
  ASSIGN_OR_RETURN(absl::string_view sealed, s.ColumnBlob(7));
  row.sealed_person_name = std::string(sealed);
  ASSIGN_OR_RETURN(row.create_time, s.ColumnInt64(8));
  ASSIGN_OR_RETURN(row.update_time, s.ColumnInt64(9));
  ASSIGN_OR_RETURN(row.version, s.ColumnInt64(10));
  return row;
}

absl::StatusOr<std::vector<RegistryRow>> ReadRows(store::Statement& s) {
  std::vector<RegistryRow> rows;
  while (true) {
    ASSIGN_OR_RETURN(bool more, s.Step());
    if (!more) break;
    ASSIGN_OR_RETURN(RegistryRow row, ReadRow(s));
    rows.push_back(std::move(row));
  }
  return rows;
}

absl::Status InsertRow(store::WriteTxn& txn, RegistryRow& row) {
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare("INSERT INTO registry_entries(institution, seq, case_id, "
                  "sanctioned_person, status, state_code, start_date, "
                  "end_date, entry, wrapped_dek, sealed_person_name, "
                  "create_time, update_time, version) VALUES (?1, ?2, ?3, "
                  "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"));
  RETURN_IF_ERROR(s.BindText(1, row.institution));
  RETURN_IF_ERROR(s.BindInt64(2, row.seq));
  RETURN_IF_ERROR(s.BindInt64(3, row.case_id));
  RETURN_IF_ERROR(s.BindText(4, row.sanctioned_person));
  RETURN_IF_ERROR(s.BindInt64(5, row.entry.status()));
  RETURN_IF_ERROR(s.BindText(6, row.entry.state_code()));
  RETURN_IF_ERROR(s.BindInt64(7, DateColumn(row.entry.start_date())));
  RETURN_IF_ERROR(s.BindInt64(8, DateColumn(row.entry.end_date())));
  RETURN_IF_ERROR(s.BindBlob(9, row.entry.SerializeAsString()));
  RETURN_IF_ERROR(s.BindBlob(10, row.wrapped_dek));
  RETURN_IF_ERROR(s.BindBlob(11, row.sealed_person_name));
  RETURN_IF_ERROR(s.BindInt64(12, row.create_time));
  RETURN_IF_ERROR(s.BindInt64(13, row.update_time));
  RETURN_IF_ERROR(s.BindInt64(14, row.version));
  RETURN_IF_ERROR(s.Run());
  row.id = txn.LastInsertRowId();
  return absl::OkStatus();
}

absl::Status UpdateRow(store::WriteTxn& txn, const RegistryRow& row) {
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare("UPDATE registry_entries SET status = ?2, entry = ?3, "
                  "update_time = ?4, version = ?5 WHERE id = ?1"));
  RETURN_IF_ERROR(s.BindInt64(1, row.id));
  RETURN_IF_ERROR(s.BindInt64(2, row.entry.status()));
  RETURN_IF_ERROR(s.BindBlob(3, row.entry.SerializeAsString()));
  RETURN_IF_ERROR(s.BindInt64(4, row.update_time));
  RETURN_IF_ERROR(s.BindInt64(5, row.version));
  return s.Run();
}

absl::StatusOr<std::optional<RegistryRow>> FindRow(
    store::ReadTxn& txn, absl::string_view institution, int64_t seq) {
  ASSIGN_OR_RETURN(store::Statement s,
                   txn.Prepare(absl::StrCat(
                       "SELECT ", kRowColumns,
                       " FROM registry_entries WHERE institution = ?1 AND "
                       "seq = ?2")));
  RETURN_IF_ERROR(s.BindText(1, institution));
  RETURN_IF_ERROR(s.BindInt64(2, seq));
  ASSIGN_OR_RETURN(std::vector<RegistryRow> rows, ReadRows(s));
  if (rows.empty()) return std::nullopt;
  return std::move(rows[0]);
}

absl::Status SealPersonName(admin::Directory& directory, store::ReadTxn& txn,
                            absl::string_view person_name, RegistryRow& row) {
  ASSIGN_OR_RETURN(std::shared_ptr<const crypto::Envelope> envelope,
                   directory.EnvelopeFor(txn, row.institution));
  ASSIGN_OR_RETURN(crypto::Envelope::NewKey key,
                   envelope->NewDataKey(row.name()));
  ASSIGN_OR_RETURN(row.sealed_person_name,
                   key.key.Seal(person_name, NameContext(row)));
  row.wrapped_dek = std::move(key.wrapped);
  return absl::OkStatus();
}

absl::StatusOr<std::string> OpenPersonName(admin::Directory& directory,
                                           store::ReadTxn& txn,
                                           const RegistryRow& row) {
  ASSIGN_OR_RETURN(std::shared_ptr<const crypto::Envelope> envelope,
                   directory.EnvelopeFor(txn, row.institution));
  absl::StatusOr<crypto::DataKey> key =
      envelope->Unwrap(row.wrapped_dek, row.name());
  if (!key.ok()) return DamagedError("an entry's data key", key.status());
  absl::StatusOr<std::string> name =
      key->Open(row.sealed_person_name, NameContext(row));
  if (!name.ok()) return DamagedError("an entry's person name", name.status());
  return name;
}

v1::RegistryEntry View(const RegistryRow& row, std::string person_name,
                       bool with_link) {
  v1::RegistryEntry e = row.entry;
  e.set_name(row.name());
  e.set_person_name(std::move(person_name));
  if (with_link) {
    e.set_sanctioned_person(row.sanctioned_person);
  } else {
    e.clear_sanctioned_person();
  }
  *e.mutable_create_time() = api::ToTimestamp(row.create_time);
  e.set_etag(absl::StrCat(row.version));
  return e;
}

}  // namespace resguardo::registry::internal
