// CaseStore: creating, reading, updating, closing and reopening a case.
// Its other operations are in case_store_listing.cc,
// case_store_follow_ups.cc and case_store_erasure.cc; the row, views and
// sealing they share are in internal/.
#include "services/cases/case_store.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "crypto/envelope.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/util/field_mask_util.h"
#include "services/api/error_catalogue.h"
#include "services/api/field_violations.h"
#include "services/api/resource_names.h"
#include "services/cases/case_transitions.h"
#include "services/cases/case_validator.h"
#include "services/cases/internal/case_row.h"
#include "services/cases/internal/case_sealing.h"
#include "services/cases/internal/case_views.h"
#include "services/cases/internal/resolution_rows.h"
#include "services/cases/resolution_rules.h"
#include "services/store/statement.h"

namespace resguardo::cases {
namespace {

using internal::BasicView;
using internal::BumpVersion;
using internal::CaseRow;
using internal::CheckEtag;
using internal::DateColumn;
using internal::FindCase;
using internal::InsertCase;
using internal::kCaseClosed;
using internal::kCaseErased;
using internal::kOwnInstitutionOnly;
using internal::LoadBasicView;
using internal::LoadVisibleCase;
using internal::NowMicros;
using internal::OpenPersonalData;
using internal::SealPersonalData;
using internal::Today;
using internal::UnwrapKey;
using internal::UpdateCaseRow;

}  // namespace

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
    return api::WithErrorText(absl::PermissionDeniedError(kOwnInstitutionOnly),
                              api::ErrorId::kDeniedOwnInstitution);
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
    return LoadBasicView(txn, caller, *row);
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
  return BasicView(caller, row, {});
}

absl::StatusOr<v1::Case> CaseStore::GetCase(
    store::ReadTxn& txn, const auth::Principal& caller,
    const v1::GetCaseRequest& request) const {
  RETURN_IF_ERROR(ValidateGetCase(request));
  ASSIGN_OR_RETURN(CaseRow row, LoadVisibleCase(txn, caller, request.name()));
  ASSIGN_OR_RETURN(v1::Case c, LoadBasicView(txn, caller, row));
  if (ReadsSealedData(request) && !row.erased) {
    ASSIGN_OR_RETURN(crypto::DataKey key, UnwrapKey(*directory_, txn, row));
    ASSIGN_OR_RETURN(*c.mutable_personal_data(), OpenPersonalData(key, row));
    // The resolutions again, with their sealed fields.
    ASSIGN_OR_RETURN(std::vector<v1::Resolution> resolutions,
                     internal::LoadResolutions(txn, caller, row, &key));
    c.clear_resolutions();
    for (v1::Resolution& r : resolutions) *c.add_resolutions() = std::move(r);
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
        CheckUserTransition(d.kind(), row.descriptors.status(), d.status()));
    // RESOLVED, APPEALED and FINAL need their records (resolution_rules.h).
    ASSIGN_OR_RETURN(std::vector<v1::Resolution> resolutions,
                     internal::LoadResolutions(txn, caller, row, nullptr));
    RETURN_IF_ERROR(CheckRouteRecords(row.descriptors.status(), d.status(),
                                      internal::CurrentOf(resolutions)));
  }
  // Rules across descriptors, on the result.
  api::FieldViolations v;
  if (d.kind() == v1::CASE_KIND_GBV && d.conducts_size() > 0) {
    v.Add("case_record.descriptors.conducts",
          api::ErrorId::kPoliticalViolenceOnly);
  }
  if (d.kind() == v1::CASE_KIND_POLITICAL_VIOLENCE &&
      d.gbv_incident_types_size() > 0) {
    v.Add("case_record.descriptors.gbv_incident_types",
          api::ErrorId::kGenderViolenceOnly);
  }
  if (d.has_incident_month() && DateColumn(d.incident_month()) / 100 >
                                    DateColumn(d.reported_date()) / 100) {
    v.Add("case_record.descriptors.incident_month",
          api::ErrorId::kIncidentAfterReport);
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
  return LoadBasicView(txn, caller, row);
}

absl::StatusOr<v1::Case> CaseStore::CloseCase(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::CloseCaseRequest& request) {
  RETURN_IF_ERROR(ValidateCloseCase(request));
  ASSIGN_OR_RETURN(CaseRow row, LoadVisibleCase(txn, caller, request.name()));
  RETURN_IF_ERROR(CheckEtag(row, request.etag()));
  RETURN_IF_ERROR(CheckClose(row.descriptors.status()));
  row.status_before_close = row.descriptors.status();
  row.closure_reason = request.reason();
  row.descriptors.set_status(v1::CASE_STATUS_CLOSED);
  RETURN_IF_ERROR(BumpVersion(*directory_, txn, row, NowMicros(clock_)));
  RETURN_IF_ERROR(UpdateCaseRow(txn, row));
  return LoadBasicView(txn, caller, row);
}

absl::StatusOr<v1::Case> CaseStore::ReopenCase(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::ReopenCaseRequest& request) {
  RETURN_IF_ERROR(ValidateReopenCase(request));
  ASSIGN_OR_RETURN(CaseRow row, LoadVisibleCase(txn, caller, request.name()));
  RETURN_IF_ERROR(CheckEtag(row, request.etag()));
  ASSIGN_OR_RETURN(
      v1::CaseStatus reopened,
      ReopenedStatus(row.descriptors.status(), row.status_before_close));
  row.descriptors.set_status(reopened);
  row.status_before_close = 0;
  row.closure_reason = 0;
  RETURN_IF_ERROR(BumpVersion(*directory_, txn, row, NowMicros(clock_)));
  RETURN_IF_ERROR(UpdateCaseRow(txn, row));
  return LoadBasicView(txn, caller, row);
}

}  // namespace resguardo::cases
