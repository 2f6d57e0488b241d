// The fixture of the statistics engine's tests: a real SQLCipher node
// database in a temporary directory, with the node's schema, three
// institutions (IEEPCO, FGEO, OBS), and synthetic cases inserted directly
// into the tables the engine reads (descriptor columns, codes, follow-ups,
// resolutions), so that a test knows every true count.
#ifndef RESGUARDO_SERVICES_STATS_TESTING_STATS_ENGINE_FIXTURE_H_
#define RESGUARDO_SERVICES_STATS_TESTING_STATS_ENGINE_FIXTURE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "base/status_macros.h"
#include "base/testing/status_matchers.h"
#include "crypto/key_provider.h"
#include "crypto/testing/fixed_key_provider.h"
#include "gtest/gtest.h"
#include "resguardo/v1/catalogues.pb.h"
#include "resguardo/v1/stats_service.pb.h"
#include "services/schema/node_schema.h"
#include "services/stats/query_plan.h"
#include "services/stats/stats_engine.h"
#include "services/store/database.h"
#include "services/store/testing/temp_dir.h"

namespace resguardo::stats {

// A resolution record of a synthetic case (services/cases' resolutions
// tables): its date as days after the report, its outcome, and its
// sanctioned persons as (qualification, sanction types as a bit mask
// 1 << SanctionType).
struct SynthResolution {
  int days_after_report = 0;
  int outcome = v1::RESOLUTION_OUTCOME_PROVEN;
  std::vector<std::pair<int, int64_t>> sanctioned;
};

// A synthetic case, inserted directly (descriptor columns only).
struct SynthCase {
  std::string institution = "IEEPCO";
  int kind = v1::CASE_KIND_POLITICAL_VIOLENCE;
  std::string state = "20";
  std::string municipality = "067";
  int reported = 20250310;
  int position = v1::VICTIM_POSITION_COUNCILLOR;
  int risk = v1::RISK_LEVEL_MEDIUM;
  int age_band = 0;
  std::vector<int> violence_types;
  std::string person_key;  // Empty: none.
  // Days after the report of the first follow-up; -1: none.
  int follow_up_after_days = -1;
  // Its resolution records, seq 1, 2, ... in this order.
  std::vector<SynthResolution> resolutions;
};

inline auth::Principal Analyst(std::string institution,
                               std::string user = "ana") {
  auth::Principal p;
  p.institution = std::move(institution);
  p.user = std::move(user);
  p.roles = {v1::ROLE_ANALYST};
  return p;
}

class StatsEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::Database::Options options;
    options.create_if_missing = true;
    options.migrations = schema::NodeMigrations();
    ASSERT_OK_AND_ASSIGN(
        db_, store::Database::Open(dir_.File("node.db"),
                                   crypto::SecretData(std::string(32, 'd')),
                                   options));
    ASSERT_NO_FATAL_FAILURE(InsertInstitutions());
  }

  void InsertInstitutions() {
    ASSERT_OK(db_->Write([&](store::WriteTxn& txn) -> absl::Status {
      for (auto [id, kind] : std::vector<std::pair<std::string, int>>{
               {"IEEPCO", v1::INSTITUTION_KIND_ELECTORAL_INSTITUTE},
               {"FGEO", v1::INSTITUTION_KIND_PROSECUTOR},
               {"OBS", v1::INSTITUTION_KIND_OVERSIGHT}}) {
        ASSIGN_OR_RETURN(store::Statement s,
                         txn.Prepare("INSERT INTO institutions(id, "
                                     "display_name, kind, create_time) "
                                     "VALUES (?1, ?1, ?2, 0)"));
        RETURN_IF_ERROR(s.BindText(1, id));
        RETURN_IF_ERROR(s.BindInt64(2, kind));
        RETURN_IF_ERROR(s.Run());
      }
      return absl::OkStatus();
    }));
  }

  std::unique_ptr<StatsEngine> Engine(StatsEngine::Options options = {},
                                      char key_fill = 'm') {
    crypto::testing::FixedKeyProvider keys(key_fill);
    auto engine = StatsEngine::New(keys, &clock_, options);
    EXPECT_TRUE(engine.ok()) << engine.status();
    return engine.ok() ? *std::move(engine) : nullptr;
  }

  void Insert(const std::vector<SynthCase>& cases) {
    ASSERT_OK(db_->Write([&](store::WriteTxn& txn) -> absl::Status {
      for (const SynthCase& c : cases) {
        ASSIGN_OR_RETURN(
            store::Statement s,
            txn.Prepare(
                "INSERT INTO cases(institution, folio, kind, status, "
                "state_code, municipality_code, reported_date, "
                "victim_position, risk_level, create_time, update_time, "
                "creator, person_key, violence_mask, victim_age_band) VALUES "
                "(?1, ?2, ?3, 1, ?4, ?5, ?6, ?7, ?8, 0, 0, 'x', ?9, ?10, "
                "?11)"));
        RETURN_IF_ERROR(s.BindText(1, c.institution));
        RETURN_IF_ERROR(s.BindText(2, absl::StrCat("F-", next_folio_++)));
        RETURN_IF_ERROR(s.BindInt64(3, c.kind));
        RETURN_IF_ERROR(s.BindText(4, c.state));
        RETURN_IF_ERROR(s.BindText(5, c.municipality));
        RETURN_IF_ERROR(s.BindInt64(6, c.reported));
        RETURN_IF_ERROR(s.BindInt64(7, c.position));
        RETURN_IF_ERROR(s.BindInt64(8, c.risk));
        if (c.person_key.empty()) {
          RETURN_IF_ERROR(s.BindNull(9));
        } else {
          RETURN_IF_ERROR(s.BindBlob(9, c.person_key));
        }
        // The codes' mask, as case_store.cc writes it beside them.
        int64_t mask = 0;
        for (int code : c.violence_types) mask |= int64_t{1} << code;
        RETURN_IF_ERROR(s.BindInt64(10, mask));
        RETURN_IF_ERROR(s.BindInt64(11, c.age_band));
        RETURN_IF_ERROR(s.Run());
        ASSIGN_OR_RETURN(store::Statement last,
                         txn.Prepare("SELECT last_insert_rowid()"));
        ASSIGN_OR_RETURN(bool row, last.Step());
        (void)row;
        ASSIGN_OR_RETURN(int64_t id, last.ColumnInt64(0));
        for (size_t i = 0; i < c.violence_types.size(); ++i) {
          ASSIGN_OR_RETURN(store::Statement cc,
                           txn.Prepare("INSERT INTO case_codes(case_id, "
                                       "dimension, position, code) VALUES "
                                       "(?1, 1, ?2, ?3)"));
          RETURN_IF_ERROR(cc.BindInt64(1, id));
          RETURN_IF_ERROR(cc.BindInt64(2, static_cast<int64_t>(i)));
          RETURN_IF_ERROR(cc.BindInt64(3, c.violence_types[i]));
          RETURN_IF_ERROR(cc.Run());
        }
        if (c.follow_up_after_days >= 0) {
          absl::CivilDay day(c.reported / 10000, c.reported / 100 % 100,
                             c.reported % 100);
          int64_t micros = absl::ToUnixMicros(absl::FromCivil(
              day + c.follow_up_after_days, absl::UTCTimeZone()));
          ASSIGN_OR_RETURN(store::Statement f,
                           txn.Prepare("INSERT INTO follow_ups(case_id, seq, "
                                       "kind, occur_time, author, "
                                       "create_time) VALUES (?1, 1, 1, ?2, "
                                       "'x', 0)"));
          RETURN_IF_ERROR(f.BindInt64(1, id));
          RETURN_IF_ERROR(f.BindInt64(2, micros + 3600000000LL));
          RETURN_IF_ERROR(f.Run());
        }
        RETURN_IF_ERROR(InsertResolutions(txn, id, c));
      }
      return absl::OkStatus();
    }));
  }

  static absl::Status InsertResolutions(store::WriteTxn& txn, int64_t id,
                                        const SynthCase& c) {
    const absl::CivilDay reported(c.reported / 10000, c.reported / 100 % 100,
                                  c.reported % 100);
    for (size_t i = 0; i < c.resolutions.size(); ++i) {
      const SynthResolution& r = c.resolutions[i];
      const absl::CivilDay day = reported + r.days_after_report;
      ASSIGN_OR_RETURN(
          store::Statement s,
          txn.Prepare("INSERT INTO resolutions(case_id, seq, "
                      "resolving_authority, file_number, resolution_date, "
                      "outcome, create_time, update_time) VALUES (?1, ?2, "
                      "'TEEO', 'JDC/1/2025', ?3, ?4, 0, 0)"));
      RETURN_IF_ERROR(s.BindInt64(1, id));
      RETURN_IF_ERROR(s.BindInt64(2, static_cast<int64_t>(i + 1)));
      RETURN_IF_ERROR(
          s.BindInt64(3, day.year() * 10000 + day.month() * 100 + day.day()));
      RETURN_IF_ERROR(s.BindInt64(4, r.outcome));
      RETURN_IF_ERROR(s.Run());
      for (size_t j = 0; j < r.sanctioned.size(); ++j) {
        ASSIGN_OR_RETURN(
            store::Statement p,
            txn.Prepare("INSERT INTO sanctioned_persons(case_id, "
                        "resolution_seq, seq, qualification, repeat_offence, "
                        "sanction_types) VALUES (?1, ?2, ?3, ?4, 0, ?5)"));
        RETURN_IF_ERROR(p.BindInt64(1, id));
        RETURN_IF_ERROR(p.BindInt64(2, static_cast<int64_t>(i + 1)));
        RETURN_IF_ERROR(p.BindInt64(3, static_cast<int64_t>(j + 1)));
        RETURN_IF_ERROR(p.BindInt64(4, r.sanctioned[j].first));
        RETURN_IF_ERROR(p.BindInt64(5, r.sanctioned[j].second));
        RETURN_IF_ERROR(p.Run());
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<v1::StatsQueryResponse> Run(const StatsEngine& engine,
                                             const v1::StatsQueryRequest& r) {
    ASSIGN_OR_RETURN(QueryPlan plan, PlanQuery(r));
    return db_->Read(
        [&](store::ReadTxn& txn) { return engine.Query(txn, plan); });
  }

  absl::StatusOr<v1::StatsQueryResponse> RunPrivate(
      const StatsEngine& engine, const v1::StatsQueryRequest& r,
      const auth::Principal& caller) {
    ASSIGN_OR_RETURN(QueryPlan plan, PlanQuery(r));
    return engine.Answer(*db_, caller, plan);
  }

  // Options with budgets that never stop a test of the answers themselves.
  static StatsEngine::Options Unbudgeted(StatsEngine::Options o = {}) {
    o.epsilon_budget = 1e6;
    o.institution_epsilon_budget = 1e6;
    o.institution_epsilon_lifetime = 1e6;
    o.node_epsilon_lifetime = 1e6;
    o.queries_per_analyst = 0;
    return o;
  }

  static v1::StatsQueryRequest Request(
      std::vector<v1::StatsDimension> dims,
      v1::StatsMeasure measure = v1::STATS_MEASURE_CASES) {
    v1::StatsQueryRequest r;
    r.set_parent("institutions/-");
    for (auto d : dims) r.add_dimensions(d);
    r.set_measure(measure);
    return r;
  }

  store::testing::TempDir dir_;
  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2026, 11, 22, 12, 0, 0),
                                   absl::UTCTimeZone())};
  std::unique_ptr<store::Database> db_;
  int next_folio_ = 1;
};

// Cells by their values joined with "/".
inline std::map<std::string, const v1::StatsCell*> ByValues(
    const google::protobuf::RepeatedPtrField<v1::StatsCell>& cells) {
  std::map<std::string, const v1::StatsCell*> out;
  for (const v1::StatsCell& c : cells) {
    std::string key;
    for (const std::string& v : c.values()) absl::StrAppend(&key, v, "/");
    out[key] = &c;
  }
  return out;
}

}  // namespace resguardo::stats

#endif  // RESGUARDO_SERVICES_STATS_TESTING_STATS_ENGINE_FIXTURE_H_
