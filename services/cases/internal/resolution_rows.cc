#include "services/cases/internal/resolution_rows.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "services/api/timestamps.h"
#include "services/cases/internal/case_sealing.h"
#include "services/store/statement.h"

namespace resguardo::cases::internal {
namespace {

crypto::RecordContext Context(absl::string_view purpose, const CaseRow& row,
                              absl::string_view name) {
  return crypto::RecordContext{std::string(purpose), row.institution,
                               std::string(name), 1};
}

absl::StatusOr<std::string> OpenField(const crypto::DataKey& key,
                                      absl::string_view purpose,
                                      const CaseRow& row,
                                      absl::string_view name,
                                      absl::string_view sealed) {
  absl::StatusOr<std::string> plain =
      key.Open(sealed, Context(purpose, row, name));
  if (!plain.ok()) return SealedDataError(purpose, plain.status());
  return plain;
}

absl::StatusOr<store::Statement> Select(store::ReadTxn& txn,
                                        absl::string_view columns,
                                        absl::string_view table,
                                        int64_t case_id) {
  ASSIGN_OR_RETURN(store::Statement s,
                   txn.Prepare(absl::StrCat("SELECT ", columns, " FROM ", table,
                                            " WHERE case_id = ?1 ORDER BY "
                                            "resolution_seq, seq")));
  RETURN_IF_ERROR(s.BindInt64(1, case_id));
  return s;
}

}  // namespace

absl::StatusOr<std::vector<v1::Resolution>> LoadResolutions(
    store::ReadTxn& txn, const auth::Principal& caller, const CaseRow& row,
    const crypto::DataKey* key) {
  std::vector<v1::Resolution> out;
  std::map<int64_t, size_t> index;  // seq -> position
  {
    ASSIGN_OR_RETURN(
        store::Statement s,
        txn.Prepare("SELECT seq, resolving_authority, file_number, "
                    "resolution_date, outcome, final_date, sealed_notes, "
                    "create_time, update_time FROM resolutions WHERE "
                    "case_id = ?1 ORDER BY seq"));
    RETURN_IF_ERROR(s.BindInt64(1, row.id));
    while (true) {
      ASSIGN_OR_RETURN(bool found, s.Step());
      if (!found) break;
      v1::Resolution r;
      ASSIGN_OR_RETURN(int64_t seq, s.ColumnInt64(0));
      r.set_name(absl::StrCat(row.name(), "/resolutions/", seq));
      ASSIGN_OR_RETURN(absl::string_view authority, s.ColumnText(1));
      r.set_resolving_authority(std::string(authority));
      ASSIGN_OR_RETURN(absl::string_view file, s.ColumnText(2));
      r.set_file_number(std::string(file));
      ASSIGN_OR_RETURN(int64_t date, s.ColumnInt64(3));
      SetDate(date, r.mutable_resolution_date());
      ASSIGN_OR_RETURN(int64_t outcome, s.ColumnInt64(4));
      r.set_outcome(static_cast<v1::ResolutionOutcome>(outcome));
      ASSIGN_OR_RETURN(int64_t final_date, s.ColumnInt64(5));
      if (final_date != 0) SetDate(final_date, r.mutable_final_date());
      if (key != nullptr && !s.ColumnIsNull(6)) {
        ASSIGN_OR_RETURN(absl::string_view sealed, s.ColumnBlob(6));
        ASSIGN_OR_RETURN(
            *r.mutable_notes(),
            OpenField(*key, kResolutionNotesPurpose, row, r.name(), sealed));
      }
      ASSIGN_OR_RETURN(int64_t created, s.ColumnInt64(7));
      api::SetTimestamp(created, r.mutable_create_time());
      ASSIGN_OR_RETURN(int64_t updated, s.ColumnInt64(8));
      api::SetTimestamp(updated, r.mutable_update_time());
      index[seq] = out.size();
      out.push_back(std::move(r));
    }
  }
  if (out.empty()) return out;
  auto parent = [&](int64_t seq) -> absl::StatusOr<v1::Resolution*> {
    auto it = index.find(seq);
    if (it == index.end()) {
      return absl::DataLossError("a record of a resolution that is not stored");
    }
    return &out[it->second];
  };
  {
    ASSIGN_OR_RETURN(
        store::Statement s,
        Select(txn,
               "resolution_seq, seq, qualification, repeat_offence, "
               "sanction_types, fine_units, fine_nanos, term_years, "
               "term_months, term_days",
               "sanctioned_persons", row.id));
    while (true) {
      ASSIGN_OR_RETURN(bool found, s.Step());
      if (!found) break;
      ASSIGN_OR_RETURN(int64_t rseq, s.ColumnInt64(0));
      ASSIGN_OR_RETURN(v1::Resolution * r, parent(rseq));
      v1::SanctionedPerson* p = r->add_sanctioned_persons();
      ASSIGN_OR_RETURN(int64_t seq, s.ColumnInt64(1));
      p->set_name(absl::StrCat(r->name(), "/sanctionedPersons/", seq));
      ASSIGN_OR_RETURN(int64_t qualification, s.ColumnInt64(2));
      p->set_qualification(static_cast<v1::FaultQualification>(qualification));
      ASSIGN_OR_RETURN(int64_t repeat, s.ColumnInt64(3));
      p->set_repeat_offence(repeat != 0);
      ASSIGN_OR_RETURN(int64_t types, s.ColumnInt64(4));
      ASSIGN_OR_RETURN(int64_t units, s.ColumnInt64(5));
      ASSIGN_OR_RETURN(int64_t nanos, s.ColumnInt64(6));
      for (int t = v1::SanctionType_MIN; t <= v1::SanctionType_MAX; ++t) {
        if (t == 0 || (types & (int64_t{1} << t)) == 0) continue;
        v1::Sanction* sanction = p->add_sanctions();
        sanction->set_type(static_cast<v1::SanctionType>(t));
        if (t == v1::SANCTION_TYPE_FINE) {
          google::type::Money* m = sanction->mutable_fine_amount();
          m->set_currency_code("MXN");
          m->set_units(units);
          m->set_nanos(static_cast<int32_t>(nanos));
        }
      }
      ASSIGN_OR_RETURN(int64_t years, s.ColumnInt64(7));
      ASSIGN_OR_RETURN(int64_t months, s.ColumnInt64(8));
      ASSIGN_OR_RETURN(int64_t days, s.ColumnInt64(9));
      if (types & (int64_t{1} << v1::SANCTION_TYPE_REGISTRY_INSCRIPTION)) {
        p->mutable_registry_term()->set_years(static_cast<int32_t>(years));
        p->mutable_registry_term()->set_months(static_cast<int32_t>(months));
        p->mutable_registry_term()->set_days(static_cast<int32_t>(days));
      }
    }
  }
  {
    ASSIGN_OR_RETURN(store::Statement s,
                     Select(txn,
                            "resolution_seq, seq, filed_date, "
                            "reviewing_authority, file_number, outcome, "
                            "outcome_date",
                            "appeals", row.id));
    while (true) {
      ASSIGN_OR_RETURN(bool found, s.Step());
      if (!found) break;
      ASSIGN_OR_RETURN(int64_t rseq, s.ColumnInt64(0));
      ASSIGN_OR_RETURN(v1::Resolution * r, parent(rseq));
      v1::Appeal* a = r->add_appeals();
      ASSIGN_OR_RETURN(int64_t seq, s.ColumnInt64(1));
      a->set_name(absl::StrCat(r->name(), "/appeals/", seq));
      ASSIGN_OR_RETURN(int64_t filed, s.ColumnInt64(2));
      SetDate(filed, a->mutable_filed_date());
      ASSIGN_OR_RETURN(absl::string_view authority, s.ColumnText(3));
      a->set_reviewing_authority(std::string(authority));
      ASSIGN_OR_RETURN(absl::string_view file, s.ColumnText(4));
      a->set_file_number(std::string(file));
      ASSIGN_OR_RETURN(int64_t outcome, s.ColumnInt64(5));
      a->set_outcome(static_cast<v1::AppealOutcome>(outcome));
      ASSIGN_OR_RETURN(int64_t decided, s.ColumnInt64(6));
      if (decided != 0) SetDate(decided, a->mutable_outcome_date());
    }
  }
  {
    ASSIGN_OR_RETURN(store::Statement s,
                     Select(txn,
                            "resolution_seq, seq, kind, "
                            "responsible_authority, due_date, "
                            "compliance_status, sealed_description, "
                            "create_time",
                            "reparation_measures", row.id));
    while (true) {
      ASSIGN_OR_RETURN(bool found, s.Step());
      if (!found) break;
      ASSIGN_OR_RETURN(int64_t rseq, s.ColumnInt64(0));
      ASSIGN_OR_RETURN(v1::Resolution * r, parent(rseq));
      v1::ReparationMeasure* m = r->add_reparation_measures();
      ASSIGN_OR_RETURN(int64_t seq, s.ColumnInt64(1));
      m->set_name(absl::StrCat(r->name(), "/reparationMeasures/", seq));
      ASSIGN_OR_RETURN(int64_t kind, s.ColumnInt64(2));
      m->set_kind(static_cast<v1::ReparationMeasureKind>(kind));
      ASSIGN_OR_RETURN(absl::string_view authority, s.ColumnText(3));
      m->set_responsible_authority(std::string(authority));
      ASSIGN_OR_RETURN(int64_t due, s.ColumnInt64(4));
      SetDate(due, m->mutable_due_date());
      ASSIGN_OR_RETURN(int64_t status, s.ColumnInt64(5));
      m->set_compliance_status(
          static_cast<v1::ReparationComplianceStatus>(status));
      if (key != nullptr && !s.ColumnIsNull(6)) {
        ASSIGN_OR_RETURN(absl::string_view sealed, s.ColumnBlob(6));
        ASSIGN_OR_RETURN(*m->mutable_description(),
                         OpenField(*key, kReparationDescriptionPurpose, row,
                                   m->name(), sealed));
      }
      ASSIGN_OR_RETURN(int64_t created, s.ColumnInt64(7));
      api::SetTimestamp(created, m->mutable_create_time());
      for (v1::ReparationComplianceStatus next : AllowedNextReparationStatuses(
               caller, row.descriptors.status(), m->compliance_status())) {
        m->add_allowed_next_statuses(next);
      }
    }
  }
  return out;
}

CurrentResolution CurrentOf(const std::vector<v1::Resolution>& resolutions) {
  CurrentResolution c;
  if (resolutions.empty()) return c;
  const v1::Resolution& r = resolutions.back();
  c.exists = true;
  c.final = r.has_final_date();
  c.has_appeal = r.appeals_size() > 0;
  if (c.has_appeal) c.last_appeal = r.appeals().rbegin()->outcome();
  return c;
}

absl::StatusOr<std::optional<std::string>> SealField(const crypto::DataKey* key,
                                                     absl::string_view purpose,
                                                     const CaseRow& row,
                                                     absl::string_view name,
                                                     absl::string_view text) {
  if (text.empty()) return std::optional<std::string>();
  if (key == nullptr) return absl::FailedPreconditionError(kCaseErased);
  ASSIGN_OR_RETURN(std::string sealed,
                   key->Seal(text, Context(purpose, row, name)));
  return std::optional<std::string>(std::move(sealed));
}

absl::Status InsertResolution(store::WriteTxn& txn, const CaseRow& row,
                              int64_t seq, const v1::Resolution& r,
                              const std::optional<std::string>& sealed_notes,
                              int64_t now) {
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare("INSERT INTO resolutions(case_id, seq, resolving_authority, "
                  "file_number, resolution_date, outcome, final_date, "
                  "sealed_notes, create_time, update_time) VALUES (?1, ?2, "
                  "?3, ?4, ?5, ?6, 0, ?7, ?8, ?8)"));
  RETURN_IF_ERROR(s.BindInt64(1, row.id));
  RETURN_IF_ERROR(s.BindInt64(2, seq));
  RETURN_IF_ERROR(s.BindText(3, r.resolving_authority()));
  RETURN_IF_ERROR(s.BindText(4, r.file_number()));
  RETURN_IF_ERROR(s.BindInt64(5, DateColumn(r.resolution_date())));
  RETURN_IF_ERROR(s.BindInt64(6, r.outcome()));
  RETURN_IF_ERROR(sealed_notes ? s.BindBlob(7, *sealed_notes) : s.BindNull(7));
  RETURN_IF_ERROR(s.BindInt64(8, now));
  return s.Run();
}

absl::Status WriteSanctionedPersons(
    store::WriteTxn& txn, const CaseRow& row, int64_t seq,
    const google::protobuf::RepeatedPtrField<v1::SanctionedPerson>& persons) {
  ASSIGN_OR_RETURN(store::Statement del,
                   txn.Prepare("DELETE FROM sanctioned_persons WHERE "
                               "case_id = ?1 AND resolution_seq = ?2"));
  RETURN_IF_ERROR(del.BindInt64(1, row.id));
  RETURN_IF_ERROR(del.BindInt64(2, seq));
  RETURN_IF_ERROR(del.Run());
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare("INSERT INTO sanctioned_persons(case_id, resolution_seq, "
                  "seq, qualification, repeat_offence, sanction_types, "
                  "fine_units, fine_nanos, term_years, term_months, "
                  "term_days) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                  "?10, ?11)"));
  for (int i = 0; i < persons.size(); ++i) {
    const v1::SanctionedPerson& p = persons[i];
    int64_t types = 0;
    int64_t units = 0;
    int64_t nanos = 0;
    for (const v1::Sanction& sanction : p.sanctions()) {
      types |= int64_t{1} << sanction.type();
      if (sanction.type() == v1::SANCTION_TYPE_FINE) {
        units = sanction.fine_amount().units();
        nanos = sanction.fine_amount().nanos();
      }
    }
    RETURN_IF_ERROR(s.BindInt64(1, row.id));
    RETURN_IF_ERROR(s.BindInt64(2, seq));
    RETURN_IF_ERROR(s.BindInt64(3, i + 1));
    RETURN_IF_ERROR(s.BindInt64(4, p.qualification()));
    RETURN_IF_ERROR(s.BindInt64(5, p.repeat_offence() ? 1 : 0));
    RETURN_IF_ERROR(s.BindInt64(6, types));
    RETURN_IF_ERROR(s.BindInt64(7, units));
    RETURN_IF_ERROR(s.BindInt64(8, nanos));
    RETURN_IF_ERROR(s.BindInt64(9, p.registry_term().years()));
    RETURN_IF_ERROR(s.BindInt64(10, p.registry_term().months()));
    RETURN_IF_ERROR(s.BindInt64(11, p.registry_term().days()));
    RETURN_IF_ERROR(s.Run());
    RETURN_IF_ERROR(s.Reset());
  }
  return absl::OkStatus();
}

absl::Status InsertReparationMeasure(
    store::WriteTxn& txn, const CaseRow& row, int64_t resolution_seq,
    int64_t seq, const v1::ReparationMeasure& m,
    const std::optional<std::string>& sealed_description, int64_t now) {
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare("INSERT INTO reparation_measures(case_id, resolution_seq, "
                  "seq, kind, responsible_authority, due_date, "
                  "compliance_status, sealed_description, create_time) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
  RETURN_IF_ERROR(s.BindInt64(1, row.id));
  RETURN_IF_ERROR(s.BindInt64(2, resolution_seq));
  RETURN_IF_ERROR(s.BindInt64(3, seq));
  RETURN_IF_ERROR(s.BindInt64(4, m.kind()));
  RETURN_IF_ERROR(s.BindText(5, m.responsible_authority()));
  RETURN_IF_ERROR(s.BindInt64(6, DateColumn(m.due_date())));
  RETURN_IF_ERROR(s.BindInt64(7, v1::REPARATION_COMPLIANCE_STATUS_PENDING));
  RETURN_IF_ERROR(sealed_description ? s.BindBlob(8, *sealed_description)
                                     : s.BindNull(8));
  RETURN_IF_ERROR(s.BindInt64(9, now));
  return s.Run();
}

absl::Status InsertAppeal(store::WriteTxn& txn, const CaseRow& row,
                          int64_t resolution_seq, int64_t seq,
                          const v1::Appeal& a) {
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare("INSERT INTO appeals(case_id, resolution_seq, seq, "
                  "filed_date, reviewing_authority, file_number, outcome, "
                  "outcome_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0)"));
  RETURN_IF_ERROR(s.BindInt64(1, row.id));
  RETURN_IF_ERROR(s.BindInt64(2, resolution_seq));
  RETURN_IF_ERROR(s.BindInt64(3, seq));
  RETURN_IF_ERROR(s.BindInt64(4, DateColumn(a.filed_date())));
  RETURN_IF_ERROR(s.BindText(5, a.reviewing_authority()));
  RETURN_IF_ERROR(s.BindText(6, a.file_number()));
  RETURN_IF_ERROR(s.BindInt64(7, v1::APPEAL_OUTCOME_PENDING));
  return s.Run();
}

}  // namespace resguardo::cases::internal
