#include "services/cases/case_store.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "base/status_macros.h"
#include "crypto/envelope.h"
#include "crypto/record_context.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/util/field_mask_util.h"
#include "services/admin/page_token.h"
#include "services/api/field_violations.h"
#include "services/api/resource_names.h"
#include "services/api/timestamps.h"
#include "services/cases/case_transitions.h"
#include "services/cases/case_validator.h"
#include "services/cases/internal/case_row.h"
#include "services/cases/internal/case_sealing.h"
#include "services/cases/internal/case_views.h"
#include "services/schema/node_schema.h"
#include "services/store/statement.h"

namespace resguardo::cases {
namespace {

using internal::BasicView;
using internal::BumpVersion;
using internal::CaseRow;
using internal::CheckEtag;
using internal::DateColumn;
using internal::FindCase;
using internal::FollowUpContext;
using internal::InsertCase;
using internal::kCaseClosed;
using internal::kCaseErased;
using internal::kMeasureColumns;
using internal::kOwnInstitutionOnly;
using internal::LoadBasicView;
using internal::LoadVisibleCase;
using internal::NowMicros;
using internal::OpenPersonalData;
using internal::ReadMeasure;
using internal::SealedDataError;
using internal::SealPersonalData;
using internal::SetDate;
using internal::Today;
using internal::UnwrapKey;
using internal::UpdateCaseRow;

// ---------------------------------------------------------------------------
// Follow-ups and protection measures.

// The next sequence number of `table`'s rows of a case.
absl::StatusOr<int64_t> NextSeq(store::ReadTxn& txn, const char* table,
                                int64_t case_id) {
  ASSIGN_OR_RETURN(store::Statement s,
                   txn.Prepare(absl::StrCat("SELECT COALESCE(MAX(seq), 0) + 1 "
                                            "FROM ",
                                            table, " WHERE case_id = ?1")));
  RETURN_IF_ERROR(s.BindInt64(1, case_id));
  ASSIGN_OR_RETURN(bool found, s.Step());
  if (!found) return absl::InternalError("could not number a new row");
  return s.ColumnInt64(0);
}

// The seq of the child (".../followUps/N", ".../protectionMeasures/N")
// that the first request of `use` made, if `use` is a retry.
absl::StatusOr<std::optional<int64_t>> SeqOfRetry(const RequestIds::Use& use) {
  if (use.resource.empty()) return std::optional<int64_t>();
  int64_t seq = 0;
  const size_t slash = use.resource.rfind('/');
  if (slash == std::string::npos ||
      !absl::SimpleAtoi(absl::string_view(use.resource).substr(slash + 1),
                        &seq) ||
      seq < 1) {
    return absl::DataLossError("a stored request id names no child record");
  }
  return std::optional<int64_t>(seq);
}

}  // namespace

// ---------------------------------------------------------------------------

absl::StatusOr<std::unique_ptr<CaseStore>> CaseStore::New(
    admin::Directory* directory, const crypto::KeyProvider& keys,
    const Clock* clock) {
  if (directory == nullptr || clock == nullptr) {
    return absl::InvalidArgumentError(
        "CaseStore needs a directory and a clock");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<PersonKeys> persons, PersonKeys::New(keys));
  ASSIGN_OR_RETURN(std::unique_ptr<RequestIds> request_ids,
                   RequestIds::New(keys));
  return std::unique_ptr<CaseStore>(new CaseStore(
      directory, std::move(persons), std::move(request_ids), clock));
}

CaseStore::CaseStore(admin::Directory* directory,
                     std::unique_ptr<PersonKeys> persons,
                     std::unique_ptr<RequestIds> request_ids,
                     const Clock* clock)
    : directory_(directory),
      persons_(std::move(persons)),
      request_ids_(std::move(request_ids)),
      clock_(clock) {}

bool CaseStore::ReadsSealedData(const v1::GetCaseRequest& request) {
  return request.view() == v1::CASE_VIEW_FULL;
}

bool CaseStore::ReadsSealedData(const v1::ListFollowUpsRequest& request) {
  return request.purpose() != v1::ACCESS_PURPOSE_UNSPECIFIED;
}

absl::StatusOr<v1::Case> CaseStore::CreateCase(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::CreateCaseRequest& request) {
  RETURN_IF_ERROR(ValidateCreateCase(request, Today(clock_)));
  const std::string institution = *api::ParseInstitutionName(request.parent());
  if (!auth::CanActFor(caller, institution, /*admin_method=*/false)) {
    return absl::PermissionDeniedError(kOwnInstitutionOnly);
  }
  ASSIGN_OR_RETURN(RequestIds::Use use,
                   request_ids_->Find(txn, caller, "CreateCase", request,
                                      request.request_id()));
  if (!use.resource.empty()) {
    std::optional<api::CaseName> name = api::ParseCaseName(use.resource);
    std::optional<CaseRow> row;
    if (name) {
      ASSIGN_OR_RETURN(row, FindCase(txn, institution, name->folio));
    }
    if (!row) return absl::InternalError("an idempotent case vanished");
    return LoadBasicView(txn, *row);
  }

  const int64_t now = NowMicros(clock_);
  const int64_t year = Today(clock_).year();
  // The folio: a counter per institution and year (no UPSERT in 3.15).
  ASSIGN_OR_RETURN(store::Statement counter,
                   txn.Prepare("SELECT next FROM folio_counters "
                               "WHERE institution = ?1 AND year = ?2"));
  RETURN_IF_ERROR(counter.BindText(1, institution));
  RETURN_IF_ERROR(counter.BindInt64(2, year));
  ASSIGN_OR_RETURN(bool has_counter, counter.Step());
  int64_t sequence = 1;
  if (has_counter) {
    ASSIGN_OR_RETURN(sequence, counter.ColumnInt64(0));
  }
  RETURN_IF_ERROR(counter.Reset());

  // Every check and every computation that can fail comes before the first
  // change; after it, only the store can fail (the server runs this write
  // without a savepoint: store::Database::Isolation::kChecksFirst).
  CaseRow row;
  row.institution = institution;
  row.folio = api::FormatFolio(institution, static_cast<int>(year), sequence);
  row.descriptors = request.case_record().descriptors();
  row.descriptors.set_status(row.descriptors.filed_by_third_party()
                                 ? v1::CASE_STATUS_PENDING_RATIFICATION
                                 : v1::CASE_STATUS_RECEIVED);
  row.create_time = now;
  row.update_time = now;
  row.version = 1;
  row.creator = api::UserResourceName(caller.institution, caller.user);

  const v1::CasePersonalData& data = request.case_record().personal_data();
  ASSIGN_OR_RETURN(std::shared_ptr<const crypto::Envelope> envelope,
                   directory_->EnvelopeFor(txn, institution));
  ASSIGN_OR_RETURN(crypto::Envelope::NewKey key,
                   envelope->NewDataKey(row.name()));
  row.wrapped_dek = std::move(key.wrapped);
  RETURN_IF_ERROR(SealPersonalData(key.key, data, row));
  ASSIGN_OR_RETURN(row.person_key, persons_->Of(data));

  ASSIGN_OR_RETURN(
      store::Statement bump,
      txn.Prepare(has_counter
                      ? "UPDATE folio_counters SET next = ?3 "
                        "WHERE institution = ?1 AND year = ?2"
                      : "INSERT INTO folio_counters(institution, year, next) "
                        "VALUES (?1, ?2, ?3)"));
  RETURN_IF_ERROR(bump.BindText(1, institution));
  RETURN_IF_ERROR(bump.BindInt64(2, year));
  RETURN_IF_ERROR(bump.BindInt64(3, sequence + 1));
  RETURN_IF_ERROR(bump.Run());
  RETURN_IF_ERROR(InsertCase(txn, row));
  RETURN_IF_ERROR(RequestIds::Record(txn, caller, use, row.name()));
  return BasicView(row, {});
}

absl::StatusOr<v1::Case> CaseStore::GetCase(
    store::ReadTxn& txn, const auth::Principal& caller,
    const v1::GetCaseRequest& request) const {
  RETURN_IF_ERROR(ValidateGetCase(request));
  ASSIGN_OR_RETURN(CaseRow row, LoadVisibleCase(txn, caller, request.name()));
  ASSIGN_OR_RETURN(v1::Case c, LoadBasicView(txn, row));
  if (ReadsSealedData(request) && !row.erased) {
    ASSIGN_OR_RETURN(crypto::DataKey key, UnwrapKey(*directory_, txn, row));
    ASSIGN_OR_RETURN(*c.mutable_personal_data(), OpenPersonalData(key, row));
  }
  return c;
}

absl::StatusOr<v1::Case> CaseStore::UpdateCase(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::UpdateCaseRequest& request) {
  RETURN_IF_ERROR(ValidateUpdateCase(request, Today(clock_)));
  ASSIGN_OR_RETURN(CaseRow row,
                   LoadVisibleCase(txn, caller, request.case_record().name()));
  RETURN_IF_ERROR(CheckEtag(row, request.case_record().etag()));
  if (row.descriptors.status() == v1::CASE_STATUS_CLOSED) {
    return absl::FailedPreconditionError(kCaseClosed);
  }
  // The mask, with "descriptors" and "personal_data" expanded to their
  // writable fields (so that the status moves only when named).
  google::protobuf::FieldMask mask;
  bool personal = false;
  bool status = false;
  auto add_fields = [&](const google::protobuf::Descriptor* type,
                        absl::string_view prefix, absl::string_view skip) {
    for (int i = 0; i < type->field_count(); ++i) {
      const std::string& field = type->field(i)->name();
      if (field != skip) mask.add_paths(absl::StrCat(prefix, field));
    }
  };
  for (const std::string& path : request.update_mask().paths()) {
    if (path == "descriptors") {
      add_fields(v1::CaseDescriptors::descriptor(), "descriptors.", "status");
    } else if (path == "personal_data") {
      add_fields(v1::CasePersonalData::descriptor(), "personal_data.", "");
      personal = true;
    } else {
      mask.add_paths(path);
      if (absl::StartsWith(path, "personal_data.")) personal = true;
      if (path == "descriptors.status") status = true;
    }
  }
  if (personal && row.erased) return absl::FailedPreconditionError(kCaseErased);

  // Current values, merged with the request's.
  v1::Case merged;
  *merged.mutable_descriptors() = row.descriptors;
  std::optional<crypto::DataKey> key;
  if (!row.erased) {
    ASSIGN_OR_RETURN(key, UnwrapKey(*directory_, txn, row));
    ASSIGN_OR_RETURN(*merged.mutable_personal_data(),
                     OpenPersonalData(*key, row));
  }
  google::protobuf::util::FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(request.case_record(),
                                                        mask, options, &merged);

  const v1::CaseDescriptors& d = merged.descriptors();
  if (status) {
    RETURN_IF_ERROR(
        CheckTransition(d.kind(), row.descriptors.status(), d.status()));
  }
  // Rules across descriptors, on the result.
  api::FieldViolations v;
  if (d.kind() == v1::CASE_KIND_GBV && d.conducts_size() > 0) {
    v.Add("case_record.descriptors.conducts",
          "applies to political-violence cases only");
  }
  if (d.kind() == v1::CASE_KIND_POLITICAL_VIOLENCE &&
      d.gbv_incident_types_size() > 0) {
    v.Add("case_record.descriptors.gbv_incident_types",
          "applies to GBV cases only");
  }
  if (d.has_incident_month() && DateColumn(d.incident_month()) / 100 >
                                    DateColumn(d.reported_date()) / 100) {
    v.Add("case_record.descriptors.incident_month",
          "must not be after the reported date");
  }
  RETURN_IF_ERROR(v.ToStatus());

  row.descriptors = d;
  if (personal) {
    ASSIGN_OR_RETURN(row.person_key, persons_->Of(merged.personal_data()));
  }
  row.version += 1;
  row.update_time = NowMicros(clock_);
  if (key) RETURN_IF_ERROR(SealPersonalData(*key, merged.personal_data(), row));
  RETURN_IF_ERROR(UpdateCaseRow(txn, row));
  return LoadBasicView(txn, row);
}

absl::StatusOr<v1::FollowUp> CaseStore::AddFollowUp(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::AddFollowUpRequest& request) {
  RETURN_IF_ERROR(ValidateAddFollowUp(request, clock_->Now()));
  ASSIGN_OR_RETURN(CaseRow row, LoadVisibleCase(txn, caller, request.parent()));
  const std::string case_name = row.name();
  ASSIGN_OR_RETURN(RequestIds::Use use,
                   request_ids_->Find(txn, caller, "AddFollowUp", request,
                                      request.request_id()));
  ASSIGN_OR_RETURN(std::optional<int64_t> existing, SeqOfRetry(use));
  if (existing) {
    // A retry: the follow-up created the first time (without notes).
    ASSIGN_OR_RETURN(
        store::Statement s,
        txn.Prepare("SELECT seq, kind, occur_time, next_due_date, author, "
                    "create_time FROM follow_ups WHERE case_id = ?1 AND "
                    "seq = ?2"));
    RETURN_IF_ERROR(s.BindInt64(1, row.id));
    RETURN_IF_ERROR(s.BindInt64(2, *existing));
    ASSIGN_OR_RETURN(bool found, s.Step());
    if (!found) return absl::InternalError("an idempotent follow-up vanished");
    v1::FollowUp f;
    f.set_name(absl::StrCat(case_name, "/followUps/", *existing));
    ASSIGN_OR_RETURN(int64_t kind, s.ColumnInt64(1));
    f.set_kind(static_cast<v1::FollowUpKind>(kind));
    ASSIGN_OR_RETURN(int64_t occur, s.ColumnInt64(2));
    api::SetTimestamp(occur, f.mutable_occur_time());
    ASSIGN_OR_RETURN(int64_t due, s.ColumnInt64(3));
    SetDate(due, f.mutable_next_due_date());
    ASSIGN_OR_RETURN(absl::string_view author, s.ColumnText(4));
    f.set_author(std::string(author));
    ASSIGN_OR_RETURN(int64_t created, s.ColumnInt64(5));
    api::SetTimestamp(created, f.mutable_create_time());
    return f;
  }
  if (row.descriptors.status() == v1::CASE_STATUS_CLOSED) {
    return absl::FailedPreconditionError(kCaseClosed);
  }
  const v1::FollowUp& in = request.follow_up();
  if (!in.notes().empty() && row.erased) {
    return absl::FailedPreconditionError(
        "the personal data of this case was erased: a follow-up on it cannot "
        "carry notes");
  }
  ASSIGN_OR_RETURN(int64_t seq, NextSeq(txn, "follow_ups", row.id));
  v1::FollowUp f;
  f.set_name(absl::StrCat(case_name, "/followUps/", seq));
  f.set_kind(in.kind());
  *f.mutable_occur_time() = in.occur_time();
  if (in.has_next_due_date()) *f.mutable_next_due_date() = in.next_due_date();
  f.set_author(api::UserResourceName(caller.institution, caller.user));
  const int64_t now = NowMicros(clock_);
  api::SetTimestamp(now, f.mutable_create_time());

  std::optional<std::string> sealed;
  if (!in.notes().empty()) {
    ASSIGN_OR_RETURN(crypto::DataKey key, UnwrapKey(*directory_, txn, row));
    ASSIGN_OR_RETURN(sealed,
                     key.Seal(in.notes(), FollowUpContext(row, f.name())));
  }
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare("INSERT INTO follow_ups(case_id, seq, kind, occur_time, "
                  "next_due_date, author, create_time, sealed_notes, "
                  "request_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
  RETURN_IF_ERROR(s.BindInt64(1, row.id));
  RETURN_IF_ERROR(s.BindInt64(2, seq));
  RETURN_IF_ERROR(s.BindInt64(3, f.kind()));
  RETURN_IF_ERROR(s.BindInt64(4, api::ToMicros(f.occur_time())));
  RETURN_IF_ERROR(s.BindInt64(5, DateColumn(f.next_due_date())));
  RETURN_IF_ERROR(s.BindText(6, f.author()));
  RETURN_IF_ERROR(s.BindInt64(7, now));
  RETURN_IF_ERROR(sealed ? s.BindBlob(8, *sealed) : s.BindNull(8));
  RETURN_IF_ERROR(s.BindNull(9));  // request ids: request_ids.h
  RETURN_IF_ERROR(s.Run());
  RETURN_IF_ERROR(RequestIds::Record(txn, caller, use, f.name()));
  return f;
}

absl::StatusOr<v1::ListFollowUpsResponse> CaseStore::ListFollowUps(
    store::ReadTxn& txn, const auth::Principal& caller,
    const v1::ListFollowUpsRequest& request) const {
  RETURN_IF_ERROR(ValidateListFollowUps(request));
  ASSIGN_OR_RETURN(CaseRow row, LoadVisibleCase(txn, caller, request.parent()));
  const std::string case_name = row.name();
  const std::string scope = absl::StrCat("ListFollowUps\n", case_name);
  ASSIGN_OR_RETURN(const int64_t after,
                   admin::DecodeRowPosition(request.page_token(), scope));
  const int page_size = admin::EffectivePageSize(
      request.page_size(), kDefaultPageSize, kMaxPageSize);
  const bool with_notes = ReadsSealedData(request) && !row.erased;
  std::optional<crypto::DataKey> key;
  if (with_notes) {
    ASSIGN_OR_RETURN(key, UnwrapKey(*directory_, txn, row));
  }
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare("SELECT seq, kind, occur_time, next_due_date, author, "
                  "create_time, sealed_notes FROM follow_ups WHERE "
                  "case_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3"));
  RETURN_IF_ERROR(s.BindInt64(1, row.id));
  RETURN_IF_ERROR(s.BindInt64(2, after));
  RETURN_IF_ERROR(s.BindInt64(3, page_size + 1));
  v1::ListFollowUpsResponse response;
  int64_t last = 0;
  while (true) {
    ASSIGN_OR_RETURN(bool found, s.Step());
    if (!found) break;
    if (response.follow_ups_size() == page_size) {
      response.set_next_page_token(
          admin::EncodePageToken(scope, absl::StrCat(last)));
      break;
    }
    v1::FollowUp* f = response.add_follow_ups();
    ASSIGN_OR_RETURN(last, s.ColumnInt64(0));
    f->set_name(absl::StrCat(case_name, "/followUps/", last));
    ASSIGN_OR_RETURN(int64_t kind, s.ColumnInt64(1));
    f->set_kind(static_cast<v1::FollowUpKind>(kind));
    ASSIGN_OR_RETURN(int64_t occur, s.ColumnInt64(2));
    api::SetTimestamp(occur, f->mutable_occur_time());
    ASSIGN_OR_RETURN(int64_t due, s.ColumnInt64(3));
    SetDate(due, f->mutable_next_due_date());
    ASSIGN_OR_RETURN(absl::string_view author, s.ColumnText(4));
    f->set_author(std::string(author));
    ASSIGN_OR_RETURN(int64_t created, s.ColumnInt64(5));
    api::SetTimestamp(created, f->mutable_create_time());
    if (key && !s.ColumnIsNull(6)) {
      ASSIGN_OR_RETURN(absl::string_view sealed, s.ColumnBlob(6));
      absl::StatusOr<std::string> notes =
          key->Open(sealed, FollowUpContext(row, f->name()));
      if (!notes.ok()) {
        return SealedDataError("the notes of a follow-up", notes.status());
      }
      f->set_notes(*std::move(notes));
    }
  }
  return response;
}

absl::StatusOr<v1::ProtectionMeasure> CaseStore::AddProtectionMeasure(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::AddProtectionMeasureRequest& request) {
  RETURN_IF_ERROR(ValidateAddProtectionMeasure(request, Today(clock_)));
  ASSIGN_OR_RETURN(CaseRow row, LoadVisibleCase(txn, caller, request.parent()));
  ASSIGN_OR_RETURN(RequestIds::Use use,
                   request_ids_->Find(txn, caller, "AddProtectionMeasure",
                                      request, request.request_id()));
  ASSIGN_OR_RETURN(std::optional<int64_t> existing, SeqOfRetry(use));
  if (!existing && row.descriptors.status() == v1::CASE_STATUS_CLOSED) {
    return absl::FailedPreconditionError(kCaseClosed);
  }
  int64_t seq = 0;
  if (existing) {
    seq = *existing;
  } else {
    ASSIGN_OR_RETURN(seq, NextSeq(txn, "protection_measures", row.id));
    const v1::ProtectionMeasure& m = request.protection_measure();
    const int64_t now = NowMicros(clock_);
    // The measure is part of the Case resource: a new version. Re-sealed
    // before the first change, as everything that can fail.
    RETURN_IF_ERROR(BumpVersion(*directory_, txn, row, now));
    ASSIGN_OR_RETURN(
        store::Statement s,
        txn.Prepare("INSERT INTO protection_measures(case_id, seq, type, "
                    "status, issuing_authority, issue_date, expiry_date, "
                    "create_time, request_id) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
    RETURN_IF_ERROR(s.BindInt64(1, row.id));
    RETURN_IF_ERROR(s.BindInt64(2, seq));
    RETURN_IF_ERROR(s.BindInt64(3, m.type()));
    RETURN_IF_ERROR(s.BindInt64(4, m.status()));
    RETURN_IF_ERROR(s.BindText(5, m.issuing_authority()));
    RETURN_IF_ERROR(s.BindInt64(6, DateColumn(m.issue_date())));
    RETURN_IF_ERROR(s.BindInt64(7, DateColumn(m.expiry_date())));
    RETURN_IF_ERROR(s.BindInt64(8, now));
    RETURN_IF_ERROR(s.BindNull(9));  // request ids: request_ids.h
    RETURN_IF_ERROR(s.Run());
    RETURN_IF_ERROR(UpdateCaseRow(txn, row));
    RETURN_IF_ERROR(RequestIds::Record(
        txn, caller, use,
        absl::StrCat(row.name(), "/protectionMeasures/", seq)));
  }
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare(absl::StrCat("SELECT ", kMeasureColumns,
                               " FROM protection_measures WHERE case_id = ?1 "
                               "AND seq = ?2")));
  RETURN_IF_ERROR(s.BindInt64(1, row.id));
  RETURN_IF_ERROR(s.BindInt64(2, seq));
  ASSIGN_OR_RETURN(bool found, s.Step());
  if (!found) return absl::InternalError("a protection measure vanished");
  return ReadMeasure(s, row.name());
}

absl::StatusOr<v1::Case> CaseStore::CloseCase(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::CloseCaseRequest& request) {
  RETURN_IF_ERROR(ValidateCloseCase(request));
  ASSIGN_OR_RETURN(CaseRow row, LoadVisibleCase(txn, caller, request.name()));
  RETURN_IF_ERROR(CheckEtag(row, request.etag()));
  if (row.descriptors.status() == v1::CASE_STATUS_CLOSED) {
    return absl::FailedPreconditionError("the case is already closed");
  }
  row.status_before_close = row.descriptors.status();
  row.closure_reason = request.reason();
  row.descriptors.set_status(v1::CASE_STATUS_CLOSED);
  RETURN_IF_ERROR(BumpVersion(*directory_, txn, row, NowMicros(clock_)));
  RETURN_IF_ERROR(UpdateCaseRow(txn, row));
  return LoadBasicView(txn, row);
}

absl::StatusOr<v1::Case> CaseStore::ReopenCase(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::ReopenCaseRequest& request) {
  RETURN_IF_ERROR(ValidateReopenCase(request));
  ASSIGN_OR_RETURN(CaseRow row, LoadVisibleCase(txn, caller, request.name()));
  RETURN_IF_ERROR(CheckEtag(row, request.etag()));
  if (row.descriptors.status() != v1::CASE_STATUS_CLOSED) {
    return absl::FailedPreconditionError("the case is not closed");
  }
  if (!v1::CaseStatus_IsValid(static_cast<int>(row.status_before_close)) ||
      row.status_before_close == v1::CASE_STATUS_UNSPECIFIED ||
      row.status_before_close == v1::CASE_STATUS_CLOSED) {
    return absl::DataLossError("the case's status before closure is invalid");
  }
  row.descriptors.set_status(
      static_cast<v1::CaseStatus>(row.status_before_close));
  row.status_before_close = 0;
  row.closure_reason = 0;
  RETURN_IF_ERROR(BumpVersion(*directory_, txn, row, NowMicros(clock_)));
  RETURN_IF_ERROR(UpdateCaseRow(txn, row));
  return LoadBasicView(txn, row);
}

absl::StatusOr<v1::Case> CaseStore::EraseCasePersonalData(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::EraseCasePersonalDataRequest& request) {
  RETURN_IF_ERROR(ValidateEraseCasePersonalData(request));
  ASSIGN_OR_RETURN(CaseRow row, LoadVisibleCase(txn, caller, request.name()));
  RETURN_IF_ERROR(CheckEtag(row, request.etag()));
  if (row.erased) return absl::FailedPreconditionError(kCaseErased);
  // Crypto-shredding: the wrapped DEK goes, and with it every ciphertext;
  // the ciphertexts are deleted too (secure_delete overwrites them).
  row.wrapped_dek.reset();
  row.sealed_personal_data.reset();
  row.person_key.reset();
  row.erased = true;
  row.version += 1;
  row.update_time = NowMicros(clock_);
  RETURN_IF_ERROR(UpdateCaseRow(txn, row));
  ASSIGN_OR_RETURN(store::Statement notes,
                   txn.Prepare("UPDATE follow_ups SET sealed_notes = NULL "
                               "WHERE case_id = ?1"));
  RETURN_IF_ERROR(notes.BindInt64(1, row.id));
  RETURN_IF_ERROR(notes.Run());
  // The erasure reaches every institution the case was referred to: the
  // copies its referrals gave them (services/referrals) and their wrapped
  // keys go in the same transaction; those referrals stay, with their
  // shared data destroyed.
  ASSIGN_OR_RETURN(store::Statement keys,
                   txn.Prepare("DELETE FROM referral_keys WHERE referral_id IN "
                               "(SELECT id FROM referrals WHERE sending = ?1 "
                               "AND case_folio = ?2)"));
  RETURN_IF_ERROR(keys.BindText(1, row.institution));
  RETURN_IF_ERROR(keys.BindText(2, row.folio));
  RETURN_IF_ERROR(keys.Run());
  ASSIGN_OR_RETURN(
      store::Statement copies,
      txn.Prepare("UPDATE referrals SET sealed_shared = NULL, version = "
                  "version + 1, update_time = ?3 WHERE sending = ?1 AND "
                  "case_folio = ?2 AND sealed_shared IS NOT NULL"));
  RETURN_IF_ERROR(copies.BindText(1, row.institution));
  RETURN_IF_ERROR(copies.BindText(2, row.folio));
  RETURN_IF_ERROR(copies.BindInt64(3, row.update_time));
  RETURN_IF_ERROR(copies.Run());
  return LoadBasicView(txn, row);
}

}  // namespace resguardo::cases
