// stats_bench: a three-dimension statistics query over N synthetic cases
// (default 1,000,000) in a real SQLCipher database, beside the equivalent
// raw SQL GROUP BY on the same database; and two tables by the resolutions
// of a fifth of the cases (engine only). Prints the median and best of
// several runs of each, the ratio and each answer's information loss; then
// the time of the suppression of the largest dense tables the cell cap
// allows.
//
//   stats_bench [--cases 1000000] [--db /tmp/stats_bench.db] [--runs 7]
//               [--cache-mib 8] [--table 0|1|2] [--engine-only true]
//
// Beside each median wall time, the median CPU time of this thread (user +
// system): on a shared machine the wall time counts other processes' turns.
// --table benches that one table alone (for a profiler); --engine-only
// leaves out the raw GROUP BY.
// --cache-mib is the page cache of each connection (the store's default is
// 8 MiB): with one large enough for the table, pages stay decrypted between
// queries.
// The database is created once (cases spread over 32 states, 3 years,
// 4 risk levels, 2 kinds, 1-2 violence types each) and reused by later runs
// with the same --db and --cases. The engine's query is
// stats::StatsEngine::Query (SQL GROUP BY + suppression + perturbation);
// the raw one is SELECT <3 columns>, COUNT(*) ... GROUP BY 1, 2, 3 on
// SQLite's own plan (which reads the covering index cases_stats, node_schema.cc
// migrations 6 and 7, when it covers the query, as for the first one; the
// engine reads violence types from the index's mask column, the raw query
// from case_codes).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/clock.h"
#include "base/status_macros.h"
#include "crypto/key_provider.h"
#include "crypto/testing/fixed_key_provider.h"
#include "services/schema/node_schema.h"
#include "services/stats/internal/table_suppressor.h"
#include "services/stats/query_plan.h"
#include "services/stats/stats_engine.h"
#include "services/store/database.h"

namespace {

using namespace resguardo;  // NOLINT: a benchmark's main file.

absl::Status Populate(store::Database& db, int64_t n) {
  int64_t have = 0;
  RETURN_IF_ERROR(db.Read([&](store::ReadTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(store::Statement s,
                     txn.Prepare("SELECT COUNT(*) FROM cases"));
    ASSIGN_OR_RETURN(bool row, s.Step());
    (void)row;
    ASSIGN_OR_RETURN(have, s.ColumnInt64(0));
    return absl::OkStatus();
  }));
  if (have == n) return absl::OkStatus();
  if (have != 0) {
    return absl::FailedPreconditionError(
        "the --db file holds another number of cases; remove it");
  }
  std::printf("creating %lld cases (once)...\n", static_cast<long long>(n));
  std::mt19937_64 rng(42);
  RETURN_IF_ERROR(db.Write([&](store::WriteTxn& txn) -> absl::Status {
    for (const char* id : {"IEEPCO", "FGEO", "OBS"}) {
      ASSIGN_OR_RETURN(store::Statement s,
                       txn.Prepare("INSERT INTO institutions(id, display_name, "
                                   "kind, create_time) VALUES (?1, ?1, 1, 0)"));
      RETURN_IF_ERROR(s.BindText(1, id));
      RETURN_IF_ERROR(s.Run());
    }
    return absl::OkStatus();
  }));
  constexpr int64_t kBatch = 50000;
  for (int64_t start = 0; start < n; start += kBatch) {
    RETURN_IF_ERROR(db.Write([&](store::WriteTxn& txn) -> absl::Status {
      ASSIGN_OR_RETURN(
          store::Statement c,
          txn.Prepare("INSERT INTO cases(id, institution, folio, kind, "
                      "status, state_code, municipality_code, reported_date, "
                      "victim_position, victim_age_band, risk_level, "
                      "create_time, update_time, creator, person_key, "
                      "violence_mask) VALUES (?1, ?2, ?3, ?4, 1, ?5, '001', "
                      "?6, ?7, ?8, ?9, 0, 0, 'x', ?10, ?11)"));
      ASSIGN_OR_RETURN(store::Statement cc,
                       txn.Prepare("INSERT INTO case_codes(case_id, "
                                   "dimension, position, code) VALUES (?1, "
                                   "1, ?2, ?3)"));
      static const char* kInst[] = {"IEEPCO", "FGEO", "OBS"};
      for (int64_t i = start; i < std::min(n, start + kBatch); ++i) {
        const int64_t id = i + 1;
        RETURN_IF_ERROR(c.Reset());
        RETURN_IF_ERROR(c.BindInt64(1, id));
        RETURN_IF_ERROR(c.BindText(2, kInst[rng() % 3]));
        RETURN_IF_ERROR(c.BindText(3, absl::StrCat("F", id)));
        RETURN_IF_ERROR(c.BindInt64(4, 1 + rng() % 2));
        RETURN_IF_ERROR(c.BindText(5, absl::StrFormat("%02d", 1 + rng() % 32)));
        RETURN_IF_ERROR(c.BindInt64(6, (2023 + rng() % 3) * 10000 +
                                           (1 + rng() % 12) * 100 + 1 +
                                           rng() % 28));
        RETURN_IF_ERROR(c.BindInt64(7, 1 + rng() % 16));
        RETURN_IF_ERROR(c.BindInt64(8, 1 + rng() % 5));
        RETURN_IF_ERROR(c.BindInt64(9, 1 + rng() % 4));
        RETURN_IF_ERROR(
            c.BindBlob(10, absl::StrCat("person-", rng() % (n * 9 / 10))));
        // The codes also as the row's mask, as case_store.cc writes them.
        const int types = 1 + static_cast<int>(rng() % 2);
        int64_t mask = 0;
        for (int t = 0; t < types; ++t)
          mask |= int64_t{1} << (1 + (id + t * 4) % 9);
        RETURN_IF_ERROR(c.BindInt64(11, mask));
        RETURN_IF_ERROR(c.Run());
        for (int t = 0; t < types; ++t) {
          RETURN_IF_ERROR(cc.Reset());
          RETURN_IF_ERROR(cc.BindInt64(1, id));
          RETURN_IF_ERROR(cc.BindInt64(2, t));
          RETURN_IF_ERROR(cc.BindInt64(3, 1 + (id + t * 4) % 9));
          RETURN_IF_ERROR(cc.Run());
        }
      }
      return absl::OkStatus();
    }));
  }
  return absl::OkStatus();
}

// Resolutions (services/cases' tables, schema version 14) for a fifth of
// the cases, once: an outcome, a date 30-400 days after the report, and
// for the proven ones one or two sanctioned persons (qualification and
// sanctions as a mask); one in ten of those resolved again (a remand), so
// that the engine's "current resolution" has something to choose.
absl::Status PopulateResolutions(store::Database& db, int64_t n) {
  int64_t have = 0;
  RETURN_IF_ERROR(db.Read([&](store::ReadTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(store::Statement s,
                     txn.Prepare("SELECT COUNT(*) FROM resolutions"));
    ASSIGN_OR_RETURN(bool row, s.Step());
    (void)row;
    ASSIGN_OR_RETURN(have, s.ColumnInt64(0));
    return absl::OkStatus();
  }));
  if (have != 0) return absl::OkStatus();
  std::printf("adding resolutions to a fifth of the cases (once)...\n");
  std::mt19937_64 rng(43);
  constexpr int64_t kBatch = 50000;
  for (int64_t start = 1; start <= n; start += kBatch * 5) {
    RETURN_IF_ERROR(db.Write([&](store::WriteTxn& txn) -> absl::Status {
      ASSIGN_OR_RETURN(
          store::Statement r,
          txn.Prepare("INSERT INTO resolutions(case_id, seq, "
                      "resolving_authority, file_number, resolution_date, "
                      "outcome, create_time, update_time) SELECT id, ?2, "
                      "'TEEO', 'JDC/1/2025', CAST(strftime('%Y%m%d', "
                      "printf('%04d-%02d-%02d', reported_date / 10000, "
                      "reported_date / 100 % 100, reported_date % 100), "
                      "'+' || ?3 || ' days') AS INTEGER), ?4, 0, 0 FROM "
                      "cases WHERE id = ?1"));
      ASSIGN_OR_RETURN(
          store::Statement p,
          txn.Prepare("INSERT INTO sanctioned_persons(case_id, "
                      "resolution_seq, seq, qualification, repeat_offence, "
                      "sanction_types) VALUES (?1, ?2, ?3, ?4, 0, ?5)"));
      for (int64_t id = start; id <= std::min(n, start + kBatch * 5 - 1);
           id += 5) {
        const int records = rng() % 10 == 0 ? 2 : 1;
        for (int seq = 1; seq <= records; ++seq) {
          const int outcome = 1 + static_cast<int>(rng() % 2);
          RETURN_IF_ERROR(r.Reset());
          RETURN_IF_ERROR(r.BindInt64(1, id));
          RETURN_IF_ERROR(r.BindInt64(2, seq));
          RETURN_IF_ERROR(r.BindInt64(3, (30 + rng() % 370) * seq));
          RETURN_IF_ERROR(r.BindInt64(4, outcome));
          RETURN_IF_ERROR(r.Run());
          if (outcome != 1) continue;
          const int persons = 1 + static_cast<int>(rng() % 2);
          for (int k = 1; k <= persons; ++k) {
            RETURN_IF_ERROR(p.Reset());
            RETURN_IF_ERROR(p.BindInt64(1, id));
            RETURN_IF_ERROR(p.BindInt64(2, seq));
            RETURN_IF_ERROR(p.BindInt64(3, k));
            RETURN_IF_ERROR(p.BindInt64(4, 1 + rng() % 5));
            RETURN_IF_ERROR(p.BindInt64(
                5, (int64_t{1} << (2 + rng() % 6)) | (int64_t{1} << 6)));
            RETURN_IF_ERROR(p.Run());
          }
        }
      }
      return absl::OkStatus();
    }));
  }
  return absl::OkStatus();
}

double Millis(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// CPU time of this thread (user + system), in milliseconds: on a shared
// machine the wall time counts the other processes' turns too.
double ThreadCpuMillis() {
  struct rusage u;
  getrusage(RUSAGE_THREAD, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 +
         (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

struct Figures {
  double median = 0;
  double best = 0;
  // Median CPU time of the runs.
  double cpu = 0;
};

template <typename Fn>
absl::StatusOr<Figures> Time(int runs, Fn fn) {
  std::vector<double> ms, cpu;
  RETURN_IF_ERROR(fn());  // Warm the page cache.
  for (int i = 0; i < runs; ++i) {
    const double cpu_start = ThreadCpuMillis();
    auto start = std::chrono::steady_clock::now();
    RETURN_IF_ERROR(fn());
    ms.push_back(Millis(std::chrono::steady_clock::now() - start));
    cpu.push_back(ThreadCpuMillis() - cpu_start);
  }
  std::sort(ms.begin(), ms.end());
  std::sort(cpu.begin(), cpu.end());
  return Figures{ms[ms.size() / 2], ms.front(), cpu[cpu.size() / 2]};
}

absl::Status Main(int argc, char** argv) {
  int64_t n = 1000000;
  int runs = 7;
  int table = -1;
  bool engine_only = false;
  int64_t cache_mib = 8;
  std::string path = "/tmp/stats_bench.db";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--cases" && absl::SimpleAtoi(argv[i + 1], &n)) continue;
    if (flag == "--runs" && absl::SimpleAtoi(argv[i + 1], &runs)) continue;
    if (flag == "--table" && absl::SimpleAtoi(argv[i + 1], &table)) continue;
    if (flag == "--engine-only" &&
        absl::SimpleAtob(argv[i + 1], &engine_only)) {
      continue;
    }
    if (flag == "--cache-mib" && absl::SimpleAtoi(argv[i + 1], &cache_mib)) {
      continue;
    }
    if (flag == "--db") {
      path = argv[i + 1];
      continue;
    }
    return absl::InvalidArgumentError(absl::StrCat("unknown flag ", flag));
  }
  store::Database::Options options;
  options.create_if_missing = true;
  options.migrations = schema::NodeMigrations();
  ASSIGN_OR_RETURN(
      std::unique_ptr<store::Database> db,
      store::Database::Open(path, crypto::SecretData(std::string(32, 'k')),
                            options));
  RETURN_IF_ERROR(Populate(*db, n));
  RETURN_IF_ERROR(PopulateResolutions(*db, n));

  crypto::testing::FixedKeyProvider keys('b');
  ASSIGN_OR_RETURN(std::unique_ptr<stats::StatsEngine> engine,
                   stats::StatsEngine::New(keys, Clock::Real(), {}));

  struct Case {
    const char* name;
    std::vector<v1::StatsDimension> dims;
    const char* raw;
  };
  const std::vector<Case> cases = {
      {"state x risk_level",
       {v1::STATS_DIMENSION_STATE, v1::STATS_DIMENSION_RISK_LEVEL},
       "SELECT c.state_code, c.risk_level, COUNT(*) FROM cases c WHERE "
       "+c.reported_date >= 20230100 AND +c.reported_date <= 20251299 "
       "GROUP BY 1, 2"},
      {"state x quarter x risk_level",
       {v1::STATS_DIMENSION_STATE, v1::STATS_DIMENSION_QUARTER,
        v1::STATS_DIMENSION_RISK_LEVEL},
       "SELECT c.state_code, (c.reported_date / 10000) * 10 + "
       "((c.reported_date / 100 % 100) + 2) / 3, c.risk_level, COUNT(*) "
       "FROM cases c WHERE +c.reported_date >= 20230100 AND +c.reported_date "
       "<= 20251299 GROUP BY 1, 2, 3"},
      {"state x year x violence_type (multi-valued)",
       {v1::STATS_DIMENSION_STATE, v1::STATS_DIMENSION_YEAR,
        v1::STATS_DIMENSION_VIOLENCE_TYPE},
       "SELECT c.state_code, c.reported_date / 10000, COALESCE(cc.code, 0), "
       "COUNT(*) FROM cases c LEFT JOIN case_codes cc ON cc.case_id = c.id "
       "AND cc.dimension = 1 WHERE +c.reported_date >= 20230100 AND "
       "+c.reported_date <= 20251299 GROUP BY 1, 2, 3"},
      // Read from the resolutions' tables (the current record of each
      // case), not from the cases' index: no raw equivalent is timed.
      {"state x resolution_outcome x sanction_type",
       {v1::STATS_DIMENSION_STATE, v1::STATS_DIMENSION_RESOLUTION_OUTCOME,
        v1::STATS_DIMENSION_SANCTION_TYPE},
       nullptr},
      {"state x days_to_resolution",
       {v1::STATS_DIMENSION_STATE, v1::STATS_DIMENSION_DAYS_TO_RESOLUTION},
       nullptr},
  };
  std::printf("%lld cases in %s (SQLCipher), page cache %lld MiB\n",
              static_cast<long long>(n), path.c_str(),
              static_cast<long long>(cache_mib));
  for (size_t i = 0; i < cases.size(); ++i) {
    if (table >= 0 && static_cast<size_t>(table) != i) continue;
    const Case& c = cases[i];
    v1::StatsQueryRequest request;
    request.set_parent("institutions/-");
    for (auto d : c.dims) request.add_dimensions(d);
    request.set_from_month("2023-01");
    request.set_to_month("2025-12");
    ASSIGN_OR_RETURN(stats::QueryPlan plan, stats::PlanQuery(request));
    int cells = 0, withheld = 0;
    double loss = 0;
    ASSIGN_OR_RETURN(
        Figures engine_ms, Time(runs, [&]() -> absl::Status {
          return db->Read([&](store::ReadTxn& txn) -> absl::Status {
            ASSIGN_OR_RETURN(v1::StatsQueryResponse r,
                             engine->Query(txn, plan));
            cells = r.cells_size();
            loss = r.information_loss();
            withheld = 0;
            for (const auto& cell : r.cells()) withheld += cell.suppressed();
            return absl::OkStatus();
          });
        }));
    int raw_rows = 0;
    if (engine_only || c.raw == nullptr) {
      std::printf(
          "%-46s engine %8.1f ms (best %6.1f, cpu %6.1f)  information loss "
          "%.1f%%  [%d cells, %d withheld]\n",
          c.name, engine_ms.median, engine_ms.best, engine_ms.cpu, loss * 100,
          cells, withheld);
      continue;
    }
    ASSIGN_OR_RETURN(
        Figures raw_ms, Time(runs, [&]() -> absl::Status {
          return db->Read([&](store::ReadTxn& txn) -> absl::Status {
            ASSIGN_OR_RETURN(store::Statement s, txn.Prepare(c.raw));
            raw_rows = 0;
            while (true) {
              ASSIGN_OR_RETURN(bool row, s.Step());
              if (!row) break;
              ++raw_rows;
            }
            return absl::OkStatus();
          });
        }));
    std::printf(
        "%-46s engine %8.1f ms (best %6.1f, cpu %6.1f)  raw GROUP BY %8.1f "
        "ms (best %6.1f, cpu %6.1f)  ratio %.2f  information loss %.1f%%  "
        "[%d cells, %d withheld; raw %d rows]\n",
        c.name, engine_ms.median, engine_ms.best, engine_ms.cpu, raw_ms.median,
        raw_ms.best, raw_ms.cpu, engine_ms.median / raw_ms.median, loss * 100,
        cells, withheld, raw_rows);
  }
  if (table >= 0) return db->Close();
  // Where the time goes: the same scan and filter without grouping.
  ASSIGN_OR_RETURN(
      Figures scan_ms, Time(runs, [&]() -> absl::Status {
        return db->Read([&](store::ReadTxn& txn) -> absl::Status {
          ASSIGN_OR_RETURN(
              store::Statement s,
              txn.Prepare(
                  "SELECT COUNT(*), SUM(c.risk_level) FROM cases c WHERE "
                  "+c.reported_date >= 20230100 AND +c.reported_date <= "
                  "20251299"));
          ASSIGN_OR_RETURN(bool row, s.Step());
          (void)row;
          return absl::OkStatus();
        });
      }));
  std::printf("%-46s %8.1f ms (best %6.1f, cpu %6.1f)\n",
              "scan alone (no GROUP BY), for comparison", scan_ms.median,
              scan_ms.best, scan_ms.cpu);
  // The suppression of the largest tables a query may ask for (kMaxCells
  // cells), dense, random counts, most of them small: its worst case.
  for (std::vector<int> sizes : {std::vector<int>{100, 200}, {20, 25, 40}}) {
    std::mt19937_64 rng(7);
    stats::Table table;
    table.sizes = sizes;
    for (size_t c = 0; c < stats::kMaxCells; ++c) {
      table.counts.push_back(rng() % 7 == 0 ? 0
                                            : 1 + rng() % (rng() % 2 ? 4 : 14));
    }
    stats::Suppression s;
    ASSIGN_OR_RETURN(Figures ms, Time(runs, [&]() -> absl::Status {
                       s = stats::Suppress(table, {});
                       return absl::OkStatus();
                     }));
    std::printf(
        "suppression of a dense %zu-way table of %zu cells: %.1f ms (best "
        "%.1f), work %lld of %lld, information loss %.1f%%%s\n",
        sizes.size(), stats::kMaxCells, ms.median, ms.best,
        static_cast<long long>(s.work),
        static_cast<long long>(stats::kDefaultWorkBudget),
        s.information_loss * 100, s.exhausted ? " (budget ran out)" : "");
  }
  return db->Close();
}

}  // namespace

int main(int argc, char** argv) {
  absl::Status s = Main(argc, argv);
  if (!s.ok()) {
    std::fprintf(stderr, "stats_bench: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  return 0;
}
