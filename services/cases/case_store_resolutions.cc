// CaseStore's resolutions: recording and correcting a resolution, its
// appeals, its final date, and its reparation measures' compliance. The
// rules are resolution_rules.h's; the rows, internal/resolution_rows.h's.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "google/protobuf/util/field_mask_util.h"
#include "services/api/error_catalogue.h"
#include "services/api/field_violations.h"
#include "services/api/resource_names.h"
#include "services/cases/case_store.h"
#include "services/cases/internal/case_row.h"
#include "services/cases/internal/case_sealing.h"
#include "services/cases/internal/case_views.h"
#include "services/cases/internal/resolution_rows.h"
#include "services/cases/resolution_rules.h"
#include "services/cases/resolution_validator.h"
#include "services/store/statement.h"

namespace resguardo::cases {
namespace {

using api::ErrorId;
using internal::BumpVersion;
using internal::CaseRow;
using internal::CurrentOf;
using internal::DateColumn;
using internal::kCaseClosed;
using internal::LoadBasicView;
using internal::LoadResolutions;
using internal::LoadVisibleCase;
using internal::NowMicros;
using internal::SealField;
using internal::Today;
using internal::UnwrapKey;
using internal::UpdateCaseRow;

// A case loaded for a resolution write, with its resolutions (sealed fields
// not opened).
struct Loaded {
  CaseRow row;
  std::vector<v1::Resolution> resolutions;
};

absl::StatusOr<Loaded> Load(store::ReadTxn& txn, const auth::Principal& caller,
                            const api::CaseName& name) {
  Loaded out;
  ASSIGN_OR_RETURN(out.row, LoadVisibleCase(txn, caller,
                                            api::CaseResourceName(
                                                name.institution, name.folio)));
  ASSIGN_OR_RETURN(out.resolutions,
                   LoadResolutions(txn, caller, out.row, nullptr));
  return out;
}

absl::Status CheckOpenCase(const CaseRow& row) {
  if (row.descriptors.status() == v1::CASE_STATUS_CLOSED) {
    return absl::FailedPreconditionError(kCaseClosed);
  }
  return absl::OkStatus();
}

// The resolution numbered `seq`, or NOT_FOUND.
absl::StatusOr<v1::Resolution*> Find(Loaded& loaded, int64_t seq) {
  if (seq < 1 || seq > static_cast<int64_t>(loaded.resolutions.size())) {
    return absl::NotFoundError("resolution not found");
  }
  return &loaded.resolutions[seq - 1];
}

bool IsCurrent(const Loaded& loaded, int64_t seq) {
  return seq == static_cast<int64_t>(loaded.resolutions.size());
}

// The data key when `needed` (a sealed field is given) and the case still
// has one; FAILED_PRECONDITION on an erased case.
absl::StatusOr<std::optional<crypto::DataKey>> KeyIfNeeded(
    admin::Directory& directory, store::ReadTxn& txn, const CaseRow& row,
    bool needed) {
  if (!needed) return std::optional<crypto::DataKey>();
  if (row.erased) return absl::FailedPreconditionError(internal::kCaseErased);
  ASSIGN_OR_RETURN(crypto::DataKey key, UnwrapKey(directory, txn, row));
  return std::optional<crypto::DataKey>(std::move(key));
}

const crypto::DataKey* Ptr(const std::optional<crypto::DataKey>& key) {
  return key ? &*key : nullptr;
}

// The number of a child named by a retry's stored resource (".../N").
absl::StatusOr<int64_t> SeqOf(absl::string_view resource) {
  const size_t slash = resource.rfind('/');
  int64_t seq = 0;
  if (slash == absl::string_view::npos ||
      !absl::SimpleAtoi(resource.substr(slash + 1), &seq) || seq < 1) {
    return absl::DataLossError("a stored request id names no child record");
  }
  return seq;
}

// The last decided appeal's outcome date of `r` (0 without one).
int64_t LastAppealDecided(const v1::Resolution& r) {
  int64_t last = 0;
  for (const v1::Appeal& a : r.appeals()) {
    last = std::max(last, DateColumn(a.outcome_date()));
  }
  return last;
}

absl::Status UpdateResolutionRow(store::WriteTxn& txn, const CaseRow& row,
                                 int64_t seq, const v1::Resolution& r,
                                 const std::optional<std::string>* notes,
                                 int64_t now) {
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare(absl::StrCat(
          "UPDATE resolutions SET resolving_authority = ?3, file_number = ?4, "
          "resolution_date = ?5, outcome = ?6, final_date = ?7, "
          "update_time = ?8",
          notes != nullptr ? ", sealed_notes = ?9" : "",
          " WHERE case_id = ?1 AND seq = ?2")));
  RETURN_IF_ERROR(s.BindInt64(1, row.id));
  RETURN_IF_ERROR(s.BindInt64(2, seq));
  RETURN_IF_ERROR(s.BindText(3, r.resolving_authority()));
  RETURN_IF_ERROR(s.BindText(4, r.file_number()));
  RETURN_IF_ERROR(s.BindInt64(5, DateColumn(r.resolution_date())));
  RETURN_IF_ERROR(s.BindInt64(6, r.outcome()));
  RETURN_IF_ERROR(s.BindInt64(7, DateColumn(r.final_date())));
  RETURN_IF_ERROR(s.BindInt64(8, now));
  if (notes != nullptr) {
    RETURN_IF_ERROR(*notes ? s.BindBlob(9, **notes) : s.BindNull(9));
  }
  return s.Run();
}

// Marks resolution `seq` changed at `now` and writes the case (its version
// bumped by the caller before its first change).
absl::Status Touch(store::WriteTxn& txn, const CaseRow& row, int64_t seq,
                   int64_t now) {
  ASSIGN_OR_RETURN(store::Statement s,
                   txn.Prepare("UPDATE resolutions SET update_time = ?3 "
                               "WHERE case_id = ?1 AND seq = ?2"));
  RETURN_IF_ERROR(s.BindInt64(1, row.id));
  RETURN_IF_ERROR(s.BindInt64(2, seq));
  RETURN_IF_ERROR(s.BindInt64(3, now));
  RETURN_IF_ERROR(s.Run());
  return UpdateCaseRow(txn, row);
}

}  // namespace

absl::StatusOr<v1::Resolution> CaseStore::AddResolution(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::AddResolutionRequest& request) {
  RETURN_IF_ERROR(ValidateAddResolution(request, Today(clock_)));
  ASSIGN_OR_RETURN(Loaded loaded,
                   Load(txn, caller, *api::ParseCaseName(request.parent())));
  CaseRow& row = loaded.row;
  ASSIGN_OR_RETURN(RequestIds::Use use,
                   request_ids_->Find(txn, caller, "AddResolution", request,
                                      request.request_id()));
  if (!use.resource.empty()) {
    ASSIGN_OR_RETURN(int64_t seq, SeqOf(use.resource));
    ASSIGN_OR_RETURN(v1::Resolution * r, Find(loaded, seq));
    return *r;
  }
  RETURN_IF_ERROR(CheckOpenCase(row));
  RETURN_IF_ERROR(CheckAddResolution(row.descriptors.kind(),
                                     row.descriptors.status(),
                                     CurrentOf(loaded.resolutions)));
  const v1::Resolution& in = request.resolution();
  api::FieldViolations v;
  const int64_t decided = DateColumn(in.resolution_date());
  if (decided < DateColumn(row.descriptors.reported_date())) {
    v.Add("resolution.resolution_date", ErrorId::kNotBeforeReportedDate);
  }
  bool sealed = !in.notes().empty();
  for (int i = 0; i < in.reparation_measures_size(); ++i) {
    const v1::ReparationMeasure& m = in.reparation_measures(i);
    if (DateColumn(m.due_date()) < decided) {
      v.Add(absl::StrCat("resolution.reparation_measures[", i, "].due_date"),
            ErrorId::kNotBeforeResolutionDate);
    }
    sealed |= !m.description().empty();
  }
  RETURN_IF_ERROR(v.ToStatus());

  const int64_t seq = static_cast<int64_t>(loaded.resolutions.size()) + 1;
  const std::string name = api::ResolutionResourceName(
      api::CaseName{row.institution, row.folio}, seq);
  ASSIGN_OR_RETURN(std::optional<crypto::DataKey> key,
                   KeyIfNeeded(*directory_, txn, row, sealed));
  ASSIGN_OR_RETURN(std::optional<std::string> notes,
                   SealField(Ptr(key), internal::kResolutionNotesPurpose, row,
                             name, in.notes()));
  std::vector<std::optional<std::string>> descriptions;
  for (int i = 0; i < in.reparation_measures_size(); ++i) {
    ASSIGN_OR_RETURN(
        std::optional<std::string> d,
        SealField(Ptr(key), internal::kReparationDescriptionPurpose, row,
                  absl::StrCat(name, "/reparationMeasures/", i + 1),
                  in.reparation_measures(i).description()));
    descriptions.push_back(std::move(d));
  }
  const int64_t now = NowMicros(clock_);
  RETURN_IF_ERROR(BumpVersion(*directory_, txn, row, now));
  RETURN_IF_ERROR(internal::InsertResolution(txn, row, seq, in, notes, now));
  RETURN_IF_ERROR(
      internal::WriteSanctionedPersons(txn, row, seq, in.sanctioned_persons()));
  for (int i = 0; i < in.reparation_measures_size(); ++i) {
    RETURN_IF_ERROR(internal::InsertReparationMeasure(
        txn, row, seq, i + 1, in.reparation_measures(i), descriptions[i], now));
  }
  RETURN_IF_ERROR(UpdateCaseRow(txn, row));
  RETURN_IF_ERROR(RequestIds::Record(txn, caller, use, name));
  ASSIGN_OR_RETURN(std::vector<v1::Resolution> all,
                   LoadResolutions(txn, caller, row, nullptr));
  return all.back();
}

absl::StatusOr<v1::Case> CaseStore::UpdateResolution(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::UpdateResolutionRequest& request) {
  RETURN_IF_ERROR(ValidateUpdateResolution(request));
  const api::ResolutionName name =
      *api::ParseResolutionName(request.resolution().name());
  ASSIGN_OR_RETURN(Loaded loaded, Load(txn, caller, name.case_name));
  CaseRow& row = loaded.row;
  RETURN_IF_ERROR(internal::CheckEtag(row, request.etag()));
  RETURN_IF_ERROR(CheckOpenCase(row));
  ASSIGN_OR_RETURN(v1::Resolution * current, Find(loaded, name.seq));
  RETURN_IF_ERROR(CheckResolutionOpen(IsCurrent(loaded, name.seq),
                                      CurrentOf(loaded.resolutions)));
  v1::Resolution merged = *current;
  google::protobuf::util::FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(
      request.resolution(), request.update_mask(), options, &merged);
  RETURN_IF_ERROR(ValidateResolution(merged, Today(clock_), "resolution."));
  api::FieldViolations v;
  const int64_t decided = DateColumn(merged.resolution_date());
  if (decided < DateColumn(row.descriptors.reported_date())) {
    v.Add("resolution.resolution_date", ErrorId::kNotBeforeReportedDate);
  }
  for (const v1::ReparationMeasure& m : merged.reparation_measures()) {
    if (DateColumn(m.due_date()) < decided) {
      v.Add("resolution.resolution_date", ErrorId::kNotBeforeResolutionDate);
      break;
    }
  }
  RETURN_IF_ERROR(v.ToStatus());
  bool notes_in_mask = false;
  bool persons_in_mask = false;
  for (const std::string& path : request.update_mask().paths()) {
    notes_in_mask |= path == "notes";
    persons_in_mask |= path == "sanctioned_persons";
  }
  std::optional<std::string> notes;
  if (notes_in_mask) {
    ASSIGN_OR_RETURN(
        std::optional<crypto::DataKey> key,
        KeyIfNeeded(*directory_, txn, row, !merged.notes().empty()));
    ASSIGN_OR_RETURN(notes,
                     SealField(Ptr(key), internal::kResolutionNotesPurpose, row,
                               merged.name(), merged.notes()));
  }
  const int64_t now = NowMicros(clock_);
  RETURN_IF_ERROR(BumpVersion(*directory_, txn, row, now));
  RETURN_IF_ERROR(UpdateResolutionRow(txn, row, name.seq, merged,
                                      notes_in_mask ? &notes : nullptr, now));
  if (persons_in_mask) {
    RETURN_IF_ERROR(internal::WriteSanctionedPersons(
        txn, row, name.seq, merged.sanctioned_persons()));
  }
  RETURN_IF_ERROR(UpdateCaseRow(txn, row));
  return LoadBasicView(txn, caller, row);
}

absl::StatusOr<v1::Appeal> CaseStore::FileAppeal(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::FileAppealRequest& request) {
  RETURN_IF_ERROR(ValidateFileAppeal(request, Today(clock_)));
  const api::ResolutionName name = *api::ParseResolutionName(request.parent());
  ASSIGN_OR_RETURN(Loaded loaded, Load(txn, caller, name.case_name));
  CaseRow& row = loaded.row;
  ASSIGN_OR_RETURN(v1::Resolution * r, Find(loaded, name.seq));
  ASSIGN_OR_RETURN(RequestIds::Use use,
                   request_ids_->Find(txn, caller, "FileAppeal", request,
                                      request.request_id()));
  if (!use.resource.empty()) {
    ASSIGN_OR_RETURN(int64_t seq, SeqOf(use.resource));
    if (seq > r->appeals_size()) {
      return absl::InternalError("an idempotent appeal vanished");
    }
    return r->appeals(static_cast<int>(seq - 1));
  }
  RETURN_IF_ERROR(CheckOpenCase(row));
  RETURN_IF_ERROR(CheckFileAppeal(IsCurrent(loaded, name.seq),
                                  CurrentOf(loaded.resolutions)));
  const int64_t filed = DateColumn(request.appeal().filed_date());
  api::FieldViolations v;
  if (filed < DateColumn(r->resolution_date())) {
    v.Add("appeal.filed_date", ErrorId::kNotBeforeResolutionDate);
  } else if (filed < LastAppealDecided(*r)) {
    v.Add("appeal.filed_date", ErrorId::kNotBeforeAppealDecided);
  }
  RETURN_IF_ERROR(v.ToStatus());
  const int64_t seq = r->appeals_size() + 1;
  v1::Appeal a = request.appeal();
  a.set_name(absl::StrCat(r->name(), "/appeals/", seq));
  a.set_outcome(v1::APPEAL_OUTCOME_PENDING);
  a.clear_outcome_date();
  const int64_t now = NowMicros(clock_);
  RETURN_IF_ERROR(BumpVersion(*directory_, txn, row, now));
  RETURN_IF_ERROR(internal::InsertAppeal(txn, row, name.seq, seq, a));
  RETURN_IF_ERROR(Touch(txn, row, name.seq, now));
  RETURN_IF_ERROR(RequestIds::Record(txn, caller, use, a.name()));
  return a;
}

absl::StatusOr<v1::Case> CaseStore::DecideAppeal(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::DecideAppealRequest& request) {
  RETURN_IF_ERROR(ValidateDecideAppeal(request, Today(clock_)));
  const api::ResolutionChildName name = *api::ParseAppealName(request.name());
  ASSIGN_OR_RETURN(Loaded loaded, Load(txn, caller, name.resolution.case_name));
  CaseRow& row = loaded.row;
  ASSIGN_OR_RETURN(v1::Resolution * r, Find(loaded, name.resolution.seq));
  if (name.seq > r->appeals_size()) {
    return absl::NotFoundError("appeal not found");
  }
  const v1::Appeal& a = r->appeals(static_cast<int>(name.seq - 1));
  RETURN_IF_ERROR(internal::CheckEtag(row, request.etag()));
  RETURN_IF_ERROR(CheckOpenCase(row));
  if (a.outcome() != v1::APPEAL_OUTCOME_PENDING) {
    return api::WithErrorText(
        absl::FailedPreconditionError("the appeal is already decided"),
        ErrorId::kAppealAlreadyDecided);
  }
  if (DateColumn(request.outcome_date()) < DateColumn(a.filed_date())) {
    api::FieldViolations v;
    v.Add("outcome_date", ErrorId::kNotBeforeAppealFiled);
    return v.ToStatus();
  }
  ASSIGN_OR_RETURN(store::Statement s,
                   txn.Prepare("UPDATE appeals SET outcome = ?4, "
                               "outcome_date = ?5 WHERE case_id = ?1 AND "
                               "resolution_seq = ?2 AND seq = ?3"));
  const int64_t now = NowMicros(clock_);
  RETURN_IF_ERROR(BumpVersion(*directory_, txn, row, now));
  RETURN_IF_ERROR(s.BindInt64(1, row.id));
  RETURN_IF_ERROR(s.BindInt64(2, name.resolution.seq));
  RETURN_IF_ERROR(s.BindInt64(3, name.seq));
  RETURN_IF_ERROR(s.BindInt64(4, request.outcome()));
  RETURN_IF_ERROR(s.BindInt64(5, DateColumn(request.outcome_date())));
  RETURN_IF_ERROR(s.Run());
  RETURN_IF_ERROR(Touch(txn, row, name.resolution.seq, now));
  return LoadBasicView(txn, caller, row);
}

absl::StatusOr<v1::Case> CaseStore::SetResolutionFinal(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::SetResolutionFinalRequest& request) {
  RETURN_IF_ERROR(ValidateSetResolutionFinal(request, Today(clock_)));
  const api::ResolutionName name = *api::ParseResolutionName(request.name());
  ASSIGN_OR_RETURN(Loaded loaded, Load(txn, caller, name.case_name));
  CaseRow& row = loaded.row;
  ASSIGN_OR_RETURN(v1::Resolution * r, Find(loaded, name.seq));
  RETURN_IF_ERROR(internal::CheckEtag(row, request.etag()));
  RETURN_IF_ERROR(CheckOpenCase(row));
  RETURN_IF_ERROR(CheckSetFinal(IsCurrent(loaded, name.seq),
                                CurrentOf(loaded.resolutions)));
  const int64_t final_date = DateColumn(request.final_date());
  api::FieldViolations v;
  if (final_date < DateColumn(r->resolution_date())) {
    v.Add("final_date", ErrorId::kNotBeforeResolutionDate);
  } else if (final_date < LastAppealDecided(*r)) {
    v.Add("final_date", ErrorId::kNotBeforeAppealDecided);
  }
  RETURN_IF_ERROR(v.ToStatus());
  *r->mutable_final_date() = request.final_date();
  const int64_t now = NowMicros(clock_);
  RETURN_IF_ERROR(BumpVersion(*directory_, txn, row, now));
  RETURN_IF_ERROR(UpdateResolutionRow(txn, row, name.seq, *r, nullptr, now));
  RETURN_IF_ERROR(UpdateCaseRow(txn, row));
  return LoadBasicView(txn, caller, row);
}

absl::StatusOr<v1::ReparationMeasure> CaseStore::AddReparationMeasure(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::AddReparationMeasureRequest& request) {
  RETURN_IF_ERROR(ValidateAddReparationMeasure(request));
  const api::ResolutionName name = *api::ParseResolutionName(request.parent());
  ASSIGN_OR_RETURN(Loaded loaded, Load(txn, caller, name.case_name));
  CaseRow& row = loaded.row;
  ASSIGN_OR_RETURN(v1::Resolution * r, Find(loaded, name.seq));
  ASSIGN_OR_RETURN(RequestIds::Use use,
                   request_ids_->Find(txn, caller, "AddReparationMeasure",
                                      request, request.request_id()));
  if (!use.resource.empty()) {
    ASSIGN_OR_RETURN(int64_t seq, SeqOf(use.resource));
    if (seq > r->reparation_measures_size()) {
      return absl::InternalError("an idempotent measure vanished");
    }
    return r->reparation_measures(static_cast<int>(seq - 1));
  }
  RETURN_IF_ERROR(CheckOpenCase(row));
  RETURN_IF_ERROR(CheckAddReparation(IsCurrent(loaded, name.seq)));
  const v1::ReparationMeasure& in = request.reparation_measure();
  if (r->reparation_measures_size() >= kMaxReparationMeasures) {
    api::FieldViolations v;
    v.Add("parent", {ErrorId::kAtMostValues, {kMaxReparationMeasures}});
    return v.ToStatus();
  }
  if (DateColumn(in.due_date()) < DateColumn(r->resolution_date())) {
    api::FieldViolations v;
    v.Add("reparation_measure.due_date", ErrorId::kNotBeforeResolutionDate);
    return v.ToStatus();
  }
  const int64_t seq = r->reparation_measures_size() + 1;
  const std::string measure_name =
      absl::StrCat(r->name(), "/reparationMeasures/", seq);
  ASSIGN_OR_RETURN(
      std::optional<crypto::DataKey> key,
      KeyIfNeeded(*directory_, txn, row, !in.description().empty()));
  ASSIGN_OR_RETURN(std::optional<std::string> description,
                   SealField(Ptr(key), internal::kReparationDescriptionPurpose,
                             row, measure_name, in.description()));
  const int64_t now = NowMicros(clock_);
  RETURN_IF_ERROR(BumpVersion(*directory_, txn, row, now));
  RETURN_IF_ERROR(internal::InsertReparationMeasure(txn, row, name.seq, seq, in,
                                                    description, now));
  RETURN_IF_ERROR(Touch(txn, row, name.seq, now));
  RETURN_IF_ERROR(RequestIds::Record(txn, caller, use, measure_name));
  ASSIGN_OR_RETURN(std::vector<v1::Resolution> all,
                   LoadResolutions(txn, caller, row, nullptr));
  return all[name.seq - 1].reparation_measures(static_cast<int>(seq - 1));
}

absl::StatusOr<v1::Case> CaseStore::SetReparationMeasureStatus(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::SetReparationMeasureStatusRequest& request) {
  RETURN_IF_ERROR(ValidateSetReparationMeasureStatus(request));
  const api::ResolutionChildName name =
      *api::ParseReparationMeasureName(request.name());
  ASSIGN_OR_RETURN(Loaded loaded, Load(txn, caller, name.resolution.case_name));
  CaseRow& row = loaded.row;
  ASSIGN_OR_RETURN(v1::Resolution * r, Find(loaded, name.resolution.seq));
  if (name.seq > r->reparation_measures_size()) {
    return absl::NotFoundError("reparation measure not found");
  }
  const v1::ReparationMeasure& m =
      r->reparation_measures(static_cast<int>(name.seq - 1));
  RETURN_IF_ERROR(internal::CheckEtag(row, request.etag()));
  RETURN_IF_ERROR(CheckOpenCase(row));
  RETURN_IF_ERROR(
      CheckReparationTransition(m.compliance_status(), request.status()));
  ASSIGN_OR_RETURN(store::Statement s,
                   txn.Prepare("UPDATE reparation_measures SET "
                               "compliance_status = ?4 WHERE case_id = ?1 AND "
                               "resolution_seq = ?2 AND seq = ?3"));
  const int64_t now = NowMicros(clock_);
  RETURN_IF_ERROR(BumpVersion(*directory_, txn, row, now));
  RETURN_IF_ERROR(s.BindInt64(1, row.id));
  RETURN_IF_ERROR(s.BindInt64(2, name.resolution.seq));
  RETURN_IF_ERROR(s.BindInt64(3, name.seq));
  RETURN_IF_ERROR(s.BindInt64(4, request.status()));
  RETURN_IF_ERROR(s.Run());
  RETURN_IF_ERROR(Touch(txn, row, name.resolution.seq, now));
  return LoadBasicView(txn, caller, row);
}

}  // namespace resguardo::cases
