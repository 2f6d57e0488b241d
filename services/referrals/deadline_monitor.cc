#include "services/referrals/deadline_monitor.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "base/status_macros.h"
#include "services/referrals/alert_store.h"
#include "services/referrals/referral_validator.h"
#include "services/store/statement.h"

namespace resguardo::referrals {
namespace {

struct Pending {
  std::string name;
  std::string sending;
  std::string receiving;
  int64_t deadline = 0;
};

// A protection measure that expires, or a follow-up whose next action is
// due, on `date`.
struct CaseItem {
  std::string resource;
  std::string institution;
  int64_t date = 0;  // yyyymmdd
  // A measure extended (the query's fifth column, its status, when it has
  // one).
  bool extended = false;
};

// The rows of `q` (institution, folio, seq, yyyymmdd date[, measure
// status]) as items of the cases' `collection` ("protectionMeasures",
// "followUps").
absl::StatusOr<std::vector<CaseItem>> ReadCaseItems(
    store::Statement& q, absl::string_view collection) {
  std::vector<CaseItem> items;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    CaseItem item;
    ASSIGN_OR_RETURN(absl::string_view institution, q.ColumnText(0));
    ASSIGN_OR_RETURN(absl::string_view folio, q.ColumnText(1));
    ASSIGN_OR_RETURN(int64_t seq, q.ColumnInt64(2));
    ASSIGN_OR_RETURN(item.date, q.ColumnInt64(3));
    if (q.ColumnCount() > 4) {
      ASSIGN_OR_RETURN(int64_t status, q.ColumnInt64(4));
      item.extended = status == v1::PROTECTION_MEASURE_STATUS_EXTENDED;
    }
    item.institution = std::string(institution);
    item.resource = absl::StrCat("institutions/", institution, "/cases/", folio,
                                 "/", collection, "/", seq);
    items.push_back(std::move(item));
  }
  return items;
}

absl::Time EndOfDay(int64_t yyyymmdd) {
  absl::CivilDay day(yyyymmdd / 10000, yyyymmdd / 100 % 100, yyyymmdd % 100);
  return absl::FromCivil(day + 1, absl::UTCTimeZone());
}

}  // namespace

absl::StatusOr<int> DeadlineMonitor::RunOnce() {
  const absl::Time now = clock_->Now();
  const int64_t now_us = absl::ToUnixMicros(now);
  const int64_t near_us = absl::ToUnixMicros(now + policy_.deadline_near);
  const absl::CivilDay horizon = absl::ToCivilDay(now, absl::UTCTimeZone()) +
                                 policy_.measure_expiring_days;
  const int64_t horizon_date =
      int64_t{horizon.year()} * 10000 + horizon.month() * 100 + horizon.day();
  return db_->Write([&](store::WriteTxn& txn) -> absl::StatusOr<int> {
    std::vector<Pending> pending;
    {
      ASSIGN_OR_RETURN(
          store::Statement q,
          txn.Prepare("SELECT id, sending, receiving, accept_deadline FROM "
                      "referrals WHERE status = ?1 AND accept_deadline <= ?2"));
      RETURN_IF_ERROR(q.BindInt64(1, v1::REFERRAL_STATUS_PENDING));
      RETURN_IF_ERROR(q.BindInt64(2, near_us));
      while (true) {
        ASSIGN_OR_RETURN(bool row, q.Step());
        if (!row) break;
        Pending p;
        ASSIGN_OR_RETURN(int64_t id, q.ColumnInt64(0));
        ASSIGN_OR_RETURN(absl::string_view sending, q.ColumnText(1));
        ASSIGN_OR_RETURN(absl::string_view receiving, q.ColumnText(2));
        ASSIGN_OR_RETURN(p.deadline, q.ColumnInt64(3));
        p.sending = std::string(sending);
        p.receiving = std::string(receiving);
        p.name = ReferralResourceName(p.sending, id);
        pending.push_back(std::move(p));
      }
    }
    std::vector<CaseItem> measures;
    {
      ASSIGN_OR_RETURN(
          store::Statement q,
          txn.Prepare("SELECT c.institution, c.folio, m.seq, m.expiry_date, "
                      "m.status FROM protection_measures m JOIN cases c ON "
                      "c.id = m.case_id WHERE m.status IN (?1, ?2) AND "
                      "m.expiry_date != 0 AND m.expiry_date <= ?3"));
      RETURN_IF_ERROR(q.BindInt64(1, v1::PROTECTION_MEASURE_STATUS_IN_FORCE));
      RETURN_IF_ERROR(q.BindInt64(2, v1::PROTECTION_MEASURE_STATUS_EXTENDED));
      RETURN_IF_ERROR(q.BindInt64(3, horizon_date));
      ASSIGN_OR_RETURN(measures, ReadCaseItems(q, "protectionMeasures"));
    }
    // Follow-ups whose next action is due today or earlier.
    std::vector<CaseItem> due;
    {
      const absl::CivilDay today = absl::ToCivilDay(now, absl::UTCTimeZone());
      ASSIGN_OR_RETURN(
          store::Statement q,
          txn.Prepare("SELECT c.institution, c.folio, f.seq, f.next_due_date "
                      "FROM follow_ups f JOIN cases c ON c.id = f.case_id "
                      "WHERE f.next_due_date != 0 AND f.next_due_date <= ?1"));
      RETURN_IF_ERROR(q.BindInt64(1, int64_t{today.year()} * 10000 +
                                         today.month() * 100 + today.day()));
      ASSIGN_OR_RETURN(due, ReadCaseItems(q, "followUps"));
    }
    // Reparation measures still pending or partly complied with, due by the
    // horizon: near (REPARATION_DUE) or past (REPARATION_OVERDUE).
    std::vector<CaseItem> reparations;
    {
      ASSIGN_OR_RETURN(
          store::Statement q,
          txn.Prepare("SELECT c.institution, c.folio, r.resolution_seq, "
                      "r.seq, r.due_date FROM reparation_measures r JOIN "
                      "cases c ON c.id = r.case_id WHERE r.compliance_status "
                      "IN (?1, ?2) AND r.due_date <= ?3"));
      RETURN_IF_ERROR(q.BindInt64(1, v1::REPARATION_COMPLIANCE_STATUS_PENDING));
      RETURN_IF_ERROR(
          q.BindInt64(2, v1::REPARATION_COMPLIANCE_STATUS_PARTIALLY_COMPLIED));
      RETURN_IF_ERROR(q.BindInt64(3, horizon_date));
      while (true) {
        ASSIGN_OR_RETURN(bool row, q.Step());
        if (!row) break;
        CaseItem item;
        ASSIGN_OR_RETURN(absl::string_view institution, q.ColumnText(0));
        ASSIGN_OR_RETURN(absl::string_view folio, q.ColumnText(1));
        ASSIGN_OR_RETURN(int64_t resolution, q.ColumnInt64(2));
        ASSIGN_OR_RETURN(int64_t seq, q.ColumnInt64(3));
        ASSIGN_OR_RETURN(item.date, q.ColumnInt64(4));
        item.institution = std::string(institution);
        item.resource = absl::StrCat("institutions/", institution, "/cases/",
                                     folio, "/resolutions/", resolution,
                                     "/reparationMeasures/", seq);
        reparations.push_back(std::move(item));
      }
    }
    int raised = 0;
    auto raise = [&](absl::string_view institution, v1::AlertKind kind,
                     absl::string_view resource, absl::Time due,
                     std::string key) -> absl::Status {
      ASSIGN_OR_RETURN(bool added,
                       AlertStore::Raise(txn, institution, kind, resource, due,
                                         now, std::move(key)));
      raised += added ? 1 : 0;
      return absl::OkStatus();
    };
    for (const Pending& p : pending) {
      const absl::Time due = absl::FromUnixMicros(p.deadline);
      if (p.deadline < now_us) {
        for (const std::string* inst : {&p.receiving, &p.sending}) {
          RETURN_IF_ERROR(raise(*inst, v1::ALERT_KIND_DEADLINE_MISSED, p.name,
                                due,
                                absl::StrCat("missed|", p.name, "|", *inst)));
        }
      } else {
        RETURN_IF_ERROR(raise(p.receiving, v1::ALERT_KIND_DEADLINE_NEAR, p.name,
                              due, absl::StrCat("near|", p.name)));
      }
    }
    for (const CaseItem& m : measures) {
      // Once per expiry: an extension's new expiry is alerted again.
      RETURN_IF_ERROR(
          raise(m.institution, v1::ALERT_KIND_MEASURE_EXPIRING, m.resource,
                EndOfDay(m.date),
                m.extended ? absl::StrCat("expiring|", m.resource, "|", m.date)
                           : absl::StrCat("expiring|", m.resource)));
    }
    for (const CaseItem& r : reparations) {
      const bool overdue = EndOfDay(r.date) <= now;
      RETURN_IF_ERROR(raise(
          r.institution,
          overdue ? v1::ALERT_KIND_REPARATION_OVERDUE
                  : v1::ALERT_KIND_REPARATION_DUE,
          r.resource, EndOfDay(r.date),
          absl::StrCat(overdue ? "reparation-overdue|" : "reparation-due|",
                       r.resource)));
    }
    for (const CaseItem& f : due) {
      RETURN_IF_ERROR(raise(f.institution, v1::ALERT_KIND_FOLLOW_UP_DUE,
                            f.resource, EndOfDay(f.date),
                            absl::StrCat("followup-due|", f.resource)));
    }
    for (const Pass& pass : passes_) {
      ASSIGN_OR_RETURN(int more, pass(txn));
      raised += more;
    }
    return raised;
  });
}

void DeadlineMonitor::Start() {
  absl::MutexLock lock(&mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    while (true) {
      {
        absl::MutexLock lock(&mu_);
        auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
          return stopping_;
        };
        mu_.AwaitWithTimeout(absl::Condition(&stopping),
                             policy_.monitor_interval);
        if (stopping_) return;
      }
      // A failed pass (store busy or closing) is retried by the next one;
      // nothing is lost, since each pass recomputes what is due.
      (void)RunOnce();
    }
  });
}

void DeadlineMonitor::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

}  // namespace resguardo::referrals
