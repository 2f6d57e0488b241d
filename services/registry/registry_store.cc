#include "services/registry/registry_store.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "base/status_macros.h"
#include "services/api/error_catalogue.h"
#include "services/api/field_violations.h"
#include "services/api/page_token.h"
#include "services/api/resource_names.h"
#include "services/cases/person_key.h"
#include "services/referrals/alert_store.h"
#include "services/registry/internal/registry_row.h"
#include "services/registry/registry_validator.h"
#include "services/store/statement.h"

namespace resguardo::registry {
namespace {

using internal::RegistryRow;

constexpr char kOwnInstitutionOnly[] =
    "the caller may act only for her own institution";
constexpr char kEntryChanged[] =
    "the registry entry changed since you read it: read it again and retry";

absl::CivilDay Today(const Clock* clock) {
  return absl::ToCivilDay(clock->Now(), absl::UTCTimeZone());
}

int64_t NowMicros(const Clock* clock) {
  return absl::ToUnixMicros(clock->Now());
}

absl::Status Precondition(absl::string_view message, api::ErrorId id) {
  return api::WithErrorText(absl::FailedPreconditionError(message), id);
}

// The caller's own institution named by `parent` (validated already).
absl::StatusOr<std::string> OwnInstitution(const auth::Principal& caller,
                                           absl::string_view parent) {
  std::optional<std::string> institution = api::ParseInstitutionName(parent);
  if (!institution ||
      !auth::CanActFor(caller, *institution, /*admin_method=*/false)) {
    return api::WithErrorText(absl::PermissionDeniedError(kOwnInstitutionOnly),
                              api::ErrorId::kDeniedOwnInstitution);
  }
  return *institution;
}

bool Orders(const v1::SanctionedPerson& person, v1::SanctionType type) {
  for (const v1::Sanction& s : person.sanctions()) {
    if (s.type() == type) return true;
  }
  return false;
}

// Every word of `query` is in `text` (both normalised).
bool MatchesWords(absl::string_view text, absl::string_view query) {
  const std::string haystack = cases::NormaliseName(text);
  for (absl::string_view word :
       absl::StrSplit(cases::NormaliseName(query), ' ', absl::SkipEmpty())) {
    if (!absl::StrContains(haystack, word)) return false;
  }
  return true;
}

absl::StatusOr<int64_t> NextSeq(store::ReadTxn& txn,
                                absl::string_view institution) {
  ASSIGN_OR_RETURN(store::Statement q,
                   txn.Prepare("SELECT COALESCE(MAX(seq), 0) FROM "
                               "registry_entries WHERE institution = ?1"));
  RETURN_IF_ERROR(q.BindText(1, institution));
  ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return absl::InternalError("registry: no MAX(seq) row");
  ASSIGN_OR_RETURN(int64_t max, q.ColumnInt64(0));
  return max + 1;
}

// The case's resource name from its row id.
absl::StatusOr<std::string> CaseNameOf(store::ReadTxn& txn, int64_t case_id) {
  ASSIGN_OR_RETURN(
      store::Statement q,
      txn.Prepare("SELECT institution, folio FROM cases WHERE id = ?1"));
  RETURN_IF_ERROR(q.BindInt64(1, case_id));
  ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return absl::DataLossError("registry: an entry's case is gone");
  ASSIGN_OR_RETURN(absl::string_view institution, q.ColumnText(0));
  ASSIGN_OR_RETURN(absl::string_view folio, q.ColumnText(1));
  return api::CaseResourceName(institution, folio);
}

absl::StatusOr<bool> AnyInForce(store::ReadTxn& txn, int64_t case_id) {
  ASSIGN_OR_RETURN(store::Statement q,
                   txn.Prepare("SELECT 1 FROM registry_entries WHERE "
                               "case_id = ?1 AND status = ?2 LIMIT 1"));
  RETURN_IF_ERROR(q.BindInt64(1, case_id));
  RETURN_IF_ERROR(q.BindInt64(2, v1::REGISTRY_ENTRY_STATUS_IN_FORCE));
  return q.Step();
}

// Marks `row` delisted on `day` for `reason`, and the case DELISTED when it
// was its last entry in force (and the case is REGISTERED: SetRegistryStatus).
absl::Status Delist(store::WriteTxn& txn, cases::CaseStore& cases,
                    RegistryRow& row, v1::DelistingReason reason,
                    absl::CivilDay day, int64_t now) {
  row.entry.set_status(v1::REGISTRY_ENTRY_STATUS_DELISTED);
  row.entry.set_delisting_reason(reason);
  *row.entry.mutable_delisting_date() = DateOf(DateColumn(day));
  row.version += 1;
  row.update_time = now;
  RETURN_IF_ERROR(internal::UpdateRow(txn, row));
  ASSIGN_OR_RETURN(bool left, AnyInForce(txn, row.case_id));
  if (left) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::string case_name, CaseNameOf(txn, row.case_id));
  return cases.SetRegistryStatus(txn, case_name, v1::CASE_STATUS_DELISTED);
}

}  // namespace

absl::StatusOr<std::unique_ptr<RegistryStore>> RegistryStore::New(
    admin::Directory* directory, cases::CaseStore* cases, const Clock* clock) {
  if (directory == nullptr || cases == nullptr || clock == nullptr) {
    return absl::InvalidArgumentError(
        "RegistryStore needs a directory, the case store and a clock");
  }
  return std::unique_ptr<RegistryStore>(
      new RegistryStore(directory, cases, clock));
}

absl::StatusOr<v1::RegistryEntry> RegistryStore::Inscribe(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::InscribeRequest& request) {
  const absl::CivilDay today = Today(clock_);
  RETURN_IF_ERROR(ValidateInscribe(request, today));
  ASSIGN_OR_RETURN(cases::RequestIds::Use use,
                   cases_->request_ids().Find(txn, caller, "Inscribe", request,
                                              request.request_id()));
  if (!use.resource.empty()) {
    std::optional<EntryName> name = ParseEntryName(use.resource);
    std::optional<RegistryRow> row;
    if (name) {
      ASSIGN_OR_RETURN(row,
                       internal::FindRow(txn, name->institution, name->seq));
    }
    if (!row) return absl::InternalError("an idempotent entry vanished");
    ASSIGN_OR_RETURN(std::string person,
                     internal::OpenPersonName(*directory_, txn, *row));
    return internal::View(*row, std::move(person), /*with_link=*/true);
  }
  ASSIGN_OR_RETURN(
      cases::CaseStore::InscriptionSource source,
      cases_->ReadForInscription(txn, caller, request.sanctioned_person(),
                                 request.aggressor_index()));
  const v1::CaseStatus status = source.case_view.descriptors().status();
  if (status != v1::CASE_STATUS_FINAL && status != v1::CASE_STATUS_REGISTERED) {
    return Precondition("the case is not final",
                        api::ErrorId::kRegistryCaseNotFinal);
  }
  if (!source.resolution.has_final_date()) {
    return Precondition("the resolution is not final",
                        api::ErrorId::kRegistryResolutionNotFinal);
  }
  if (!Orders(source.person, v1::SANCTION_TYPE_REGISTRY_INSCRIPTION)) {
    return Precondition("the resolution does not order this inscription",
                        api::ErrorId::kRegistryNoInscriptionOrdered);
  }
  if (DateColumn(request.entry().start_date()) <
      DateColumn(source.resolution.final_date())) {
    api::FieldViolations v;
    v.Add("entry.start_date", api::ErrorId::kRegistryStartBeforeFinal);
    return v.ToStatus();
  }
  {
    ASSIGN_OR_RETURN(store::Statement q,
                     txn.Prepare("SELECT 1 FROM registry_entries WHERE "
                                 "sanctioned_person = ?1"));
    RETURN_IF_ERROR(q.BindText(1, request.sanctioned_person()));
    ASSIGN_OR_RETURN(bool inscribed, q.Step());
    if (inscribed) {
      return Precondition("the person is inscribed already",
                          api::ErrorId::kRegistryAlreadyInscribed);
    }
  }

  const v1::CaseDescriptors& d = source.case_view.descriptors();
  RegistryRow row;
  row.institution = source.institution;
  ASSIGN_OR_RETURN(row.seq, NextSeq(txn, row.institution));
  row.case_id = source.case_row_id;
  row.sanctioned_person = request.sanctioned_person();
  v1::RegistryEntry& e = row.entry;
  e.set_sex(request.entry().sex());
  e.set_position(request.entry().position());
  e.set_candidacy(request.entry().candidacy());
  e.set_territorial_level(request.entry().territorial_level() !=
                                  v1::TERRITORIAL_LEVEL_UNSPECIFIED
                              ? request.entry().territorial_level()
                              : d.territorial_level());
  e.set_state_code(d.state_code());
  e.set_sanctioning_authority(source.resolution.resolving_authority());
  e.set_file_number(source.resolution.file_number());
  *e.mutable_conducts() = d.conducts();
  e.set_qualification(source.person.qualification());
  e.set_repeat_offence(source.person.repeat_offence());
  for (const v1::Sanction& s : source.person.sanctions()) {
    e.add_sanctions(s.type());
  }
  *e.mutable_term() = source.person.registry_term();
  *e.mutable_start_date() = request.entry().start_date();
  const absl::CivilDay start = CivilDayOf(DateColumn(e.start_date()));
  *e.mutable_end_date() = DateOf(DateColumn(TermEnd(start, e.term())));
  *e.mutable_victim_intersectionality() = d.self_identification();
  e.set_status(v1::REGISTRY_ENTRY_STATUS_IN_FORCE);
  row.create_time = NowMicros(clock_);
  row.update_time = row.create_time;
  RETURN_IF_ERROR(
      internal::SealPersonName(*directory_, txn, source.person_name, row));

  // The checks are done: the changes.
  RETURN_IF_ERROR(cases_->SetRegistryStatus(txn, source.case_view.name(),
                                            v1::CASE_STATUS_REGISTERED));
  RETURN_IF_ERROR(internal::InsertRow(txn, row));
  RETURN_IF_ERROR(cases::RequestIds::Record(txn, caller, use, row.name()));
  return internal::View(row, std::move(source.person_name),
                        /*with_link=*/true);
}

absl::StatusOr<v1::ListRegistryEntriesResponse>
RegistryStore::ListRegistryEntries(
    store::ReadTxn& txn, const auth::Principal& caller,
    const v1::ListRegistryEntriesRequest& request) const {
  RETURN_IF_ERROR(ValidateListRegistryEntries(request));
  ASSIGN_OR_RETURN(std::string institution,
                   OwnInstitution(caller, request.parent()));
  const std::string scope =
      absl::StrCat("ListRegistryEntries|", request.parent());
  ASSIGN_OR_RETURN(int64_t before,
                   api::DecodeRowPosition(request.page_token(), scope));
  const int size = api::EffectivePageSize(request.page_size(), kDefaultPageSize,
                                          kMaxPageSize);
  ASSIGN_OR_RETURN(
      store::Statement q,
      txn.Prepare(absl::StrCat("SELECT ", internal::kRowColumns,
                               " FROM registry_entries WHERE institution = ?1 "
                               "AND (?2 = 0 OR seq < ?2) ORDER BY seq DESC "
                               "LIMIT ?3")));
  RETURN_IF_ERROR(q.BindText(1, institution));
  RETURN_IF_ERROR(q.BindInt64(2, before));
  RETURN_IF_ERROR(q.BindInt64(3, size + 1));
  ASSIGN_OR_RETURN(std::vector<RegistryRow> rows, internal::ReadRows(q));
  v1::ListRegistryEntriesResponse response;
  for (size_t i = 0; i < rows.size() && i < static_cast<size_t>(size); ++i) {
    ASSIGN_OR_RETURN(std::string person,
                     internal::OpenPersonName(*directory_, txn, rows[i]));
    *response.add_entries() =
        internal::View(rows[i], std::move(person), /*with_link=*/true);
  }
  if (rows.size() > static_cast<size_t>(size)) {
    response.set_next_page_token(
        api::EncodePageToken(scope, absl::StrCat(rows[size - 1].seq)));
  }
  return response;
}

absl::StatusOr<v1::SearchRegistryResponse> RegistryStore::SearchRegistry(
    store::ReadTxn& txn, const auth::Principal& caller,
    const v1::SearchRegistryRequest& request) const {
  RETURN_IF_ERROR(ValidateSearchRegistry(request));
  RETURN_IF_ERROR(OwnInstitution(caller, request.parent()).status());
  // The scope binds the token to the terms without writing them anywhere.
  const std::string scope = absl::StrCat(
      "SearchRegistry|", request.parent(), "|", request.person_name().size(),
      ":", request.person_name(), "|", request.position().size(), ":",
      request.position(), "|", request.state_code());
  ASSIGN_OR_RETURN(int64_t after,
                   api::DecodeRowPosition(request.page_token(), scope));
  const int size = api::EffectivePageSize(request.page_size(), kDefaultPageSize,
                                          kMaxPageSize);
  ASSIGN_OR_RETURN(
      store::Statement q,
      txn.Prepare(absl::StrCat(
          "SELECT ", internal::kRowColumns,
          " FROM registry_entries WHERE status = ?1 AND id > ?2 AND "
          "(?3 = '' OR state_code = ?3) ORDER BY id")));
  RETURN_IF_ERROR(q.BindInt64(1, v1::REGISTRY_ENTRY_STATUS_IN_FORCE));
  RETURN_IF_ERROR(q.BindInt64(2, after));
  RETURN_IF_ERROR(q.BindText(3, request.state_code()));
  v1::SearchRegistryResponse response;
  while (true) {
    ASSIGN_OR_RETURN(bool more, q.Step());
    if (!more) break;
    ASSIGN_OR_RETURN(RegistryRow row, internal::ReadRow(q));
    if (!MatchesWords(row.entry.position(), request.position())) continue;
    ASSIGN_OR_RETURN(std::string person,
                     internal::OpenPersonName(*directory_, txn, row));
    if (!MatchesWords(person, request.person_name())) continue;
    if (response.entries_size() == size) {
      // `after` is the id of the last entry returned.
      response.set_next_page_token(
          api::EncodePageToken(scope, absl::StrCat(after)));
      break;
    }
    *response.add_entries() =
        internal::View(row, std::move(person), /*with_link=*/false);
    after = row.id;
  }
  return response;
}

absl::StatusOr<v1::RegistryEntry> RegistryStore::DelistRegistryEntry(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::DelistRegistryEntryRequest& request) {
  const absl::CivilDay today = Today(clock_);
  RETURN_IF_ERROR(ValidateDelistRegistryEntry(request, today));
  const EntryName name = *ParseEntryName(request.name());
  std::optional<RegistryRow> row;
  if (auth::CanActFor(caller, name.institution, /*admin_method=*/false)) {
    ASSIGN_OR_RETURN(row, internal::FindRow(txn, name.institution, name.seq));
  }
  if (!row) return absl::NotFoundError(internal::kEntryNotFound);
  if (request.etag() != absl::StrCat(row->version)) {
    return api::WithErrorText(absl::AbortedError(kEntryChanged),
                              api::ErrorId::kRegistryEntryChanged);
  }
  if (row->entry.status() != v1::REGISTRY_ENTRY_STATUS_IN_FORCE) {
    return Precondition("the entry is delisted already",
                        api::ErrorId::kRegistryEntryDelisted);
  }
  if (DateColumn(request.order_date()) < DateColumn(row->entry.start_date())) {
    api::FieldViolations v;
    v.Add("order_date", api::ErrorId::kNotBeforeStart);
    return v.ToStatus();
  }
  ASSIGN_OR_RETURN(std::string person,
                   internal::OpenPersonName(*directory_, txn, *row));
  row->entry.set_court_order_file_number(request.court_order_file_number());
  RETURN_IF_ERROR(Delist(txn, *cases_, *row, v1::DELISTING_REASON_COURT_ORDER,
                         today, NowMicros(clock_)));
  return internal::View(*row, std::move(person), /*with_link=*/true);
}

absl::StatusOr<std::vector<v1::RegistryEntry>> RegistryStore::EntriesInForce(
    store::ReadTxn& txn, const auth::Principal& caller,
    const v1::ExportRegistryRequest& request) const {
  RETURN_IF_ERROR(ValidateExportRegistry(request));
  RETURN_IF_ERROR(OwnInstitution(caller, request.parent()).status());
  ASSIGN_OR_RETURN(
      store::Statement q,
      txn.Prepare(absl::StrCat("SELECT ", internal::kRowColumns,
                               " FROM registry_entries WHERE status = ?1 "
                               "ORDER BY id")));
  RETURN_IF_ERROR(q.BindInt64(1, v1::REGISTRY_ENTRY_STATUS_IN_FORCE));
  ASSIGN_OR_RETURN(std::vector<RegistryRow> rows, internal::ReadRows(q));
  std::vector<v1::RegistryEntry> out;
  out.reserve(rows.size());
  for (const RegistryRow& row : rows) {
    ASSIGN_OR_RETURN(std::string person,
                     internal::OpenPersonName(*directory_, txn, row));
    out.push_back(internal::View(row, std::move(person), /*with_link=*/false));
  }
  return out;
}

absl::StatusOr<int> RegistryStore::DelistEnded(
    store::WriteTxn& txn, const audit::AuditLog& audit) const {
  const absl::Time now = clock_->Now();
  const absl::CivilDay today = absl::ToCivilDay(now, absl::UTCTimeZone());
  ASSIGN_OR_RETURN(
      store::Statement q,
      txn.Prepare(absl::StrCat("SELECT ", internal::kRowColumns,
                               " FROM registry_entries WHERE status = ?1 AND "
                               "end_date <= ?2 ORDER BY id")));
  RETURN_IF_ERROR(q.BindInt64(1, v1::REGISTRY_ENTRY_STATUS_IN_FORCE));
  RETURN_IF_ERROR(q.BindInt64(2, DateColumn(today)));
  ASSIGN_OR_RETURN(std::vector<RegistryRow> rows, internal::ReadRows(q));
  for (RegistryRow& row : rows) {
    const absl::CivilDay end = CivilDayOf(DateColumn(row.entry.end_date()));
    RETURN_IF_ERROR(Delist(txn, *cases_, row, v1::DELISTING_REASON_TERM_ENDED,
                           end, absl::ToUnixMicros(now)));
    RETURN_IF_ERROR(referrals::AlertStore::Raise(
                        txn, row.institution, v1::ALERT_KIND_REGISTRY_DELISTED,
                        row.name(), absl::FromCivil(end, absl::UTCTimeZone()),
                        now, absl::StrCat("registry-delisted|", row.name()))
                        .status());
    v1::AuditEntry entry;
    entry.set_actor(kNodeActor);
    entry.set_institution(row.institution);
    entry.set_method(kDelistMethod);
    entry.set_resource(row.name());
    entry.set_outcome(0);
    entry.set_note(kTermEndedNote);
    RETURN_IF_ERROR(audit.Append(txn, std::move(entry)).status());
  }
  return static_cast<int>(rows.size());
}

}  // namespace resguardo::registry
