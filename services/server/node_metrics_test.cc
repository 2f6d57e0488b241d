#include "services/server/node_metrics.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "base/status_macros.h"
#include "base/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/schema/node_schema.h"
#include "services/store/database.h"
#include "services/store/statement.h"
#include "services/store/testing/temp_dir.h"

namespace resguardo::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kGetCase[] = "/resguardo.v1.CaseService/GetCase";

class NodeMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::Database::Options options;
    options.create_if_missing = true;
    options.migrations = schema::NodeMigrations();
    ASSERT_OK_AND_ASSIGN(
        db_, store::Database::Open(dir_.File("node.db"), key_, options));
  }

  std::string Render(const NodeMetrics& metrics) {
    absl::StatusOr<std::string> text =
        db_->Read([&](store::ReadTxn& txn) -> absl::StatusOr<std::string> {
          return metrics.Render(txn, NodeMetrics::Readings(), absl::Now());
        });
    EXPECT_TRUE(text.ok()) << text.status();
    return text.value_or("");
  }

  // `n` case rows of `institution` whose wrapped DEK names KEK `version`.
  absl::Status AddCases(const std::string& institution, int version, int n) {
    return db_->Write([&](store::WriteTxn& txn) -> absl::Status {
      for (int i = 0; i < n; ++i) {
        ASSIGN_OR_RETURN(
            store::Statement s,
            txn.Prepare("INSERT INTO cases(institution, folio, kind, status, "
                        "state_code, reported_date, risk_level, create_time, "
                        "update_time, creator, wrapped_dek) VALUES (?1, ?2, "
                        "1, 1, '20', 0, 1, 0, 0, 'x', ?3)"));
        RETURN_IF_ERROR(s.BindText(1, institution));
        RETURN_IF_ERROR(s.BindText(2, absl::StrCat(institution, version, i)));
        std::string wrapped(65, '\0');
        wrapped[0] = 1;
        wrapped[4] = static_cast<char>(version);
        RETURN_IF_ERROR(s.BindBlob(3, wrapped));
        RETURN_IF_ERROR(s.Run());
      }
      return absl::OkStatus();
    });
  }

  // `n` registry entries of `institution` (of its first case) whose
  // wrapped DEK names KEK `version`.
  absl::Status AddRegistryEntries(const std::string& institution, int version,
                                  int n) {
    return db_->Write([&](store::WriteTxn& txn) -> absl::Status {
      for (int i = 0; i < n; ++i) {
        ASSIGN_OR_RETURN(
            store::Statement s,
            txn.Prepare("INSERT INTO registry_entries(institution, seq, "
                        "case_id, sanctioned_person, status, state_code, "
                        "start_date, end_date, entry, wrapped_dek, "
                        "sealed_person_name, create_time, update_time) "
                        "SELECT ?1, ?2, MIN(id), ?3, 1, '20', 0, 0, x'', ?4, "
                        "x'00', 0, 0 FROM cases WHERE institution = ?1"));
        RETURN_IF_ERROR(s.BindText(1, institution));
        RETURN_IF_ERROR(s.BindInt64(2, version * 100 + i + 1));
        RETURN_IF_ERROR(s.BindText(3, absl::StrCat(institution, version, i)));
        std::string wrapped(65, '\0');
        wrapped[0] = 1;
        wrapped[4] = static_cast<char>(version);
        RETURN_IF_ERROR(s.BindBlob(4, wrapped));
        RETURN_IF_ERROR(s.Run());
      }
      return absl::OkStatus();
    });
  }

  absl::Status AddKek(const std::string& institution, int version,
                      bool primary) {
    return db_->Write([&](store::WriteTxn& txn) -> absl::Status {
      if (version == 1) {
        ASSIGN_OR_RETURN(
            store::Statement i,
            txn.Prepare("INSERT INTO institutions(id, display_name, kind, "
                        "create_time) VALUES (?1, 'x', 1, 0)"));
        RETURN_IF_ERROR(i.BindText(1, institution));
        RETURN_IF_ERROR(i.Run());
      }
      if (primary) {
        ASSIGN_OR_RETURN(store::Statement u,
                         txn.Prepare("UPDATE kek_versions SET is_primary = 0 "
                                     "WHERE institution = ?1"));
        RETURN_IF_ERROR(u.BindText(1, institution));
        RETURN_IF_ERROR(u.Run());
      }
      ASSIGN_OR_RETURN(
          store::Statement s,
          txn.Prepare("INSERT INTO kek_versions(institution, version, "
                      "exported_kek, is_primary, create_time) VALUES (?1, ?2, "
                      "x'00', ?3, 0)"));
      RETURN_IF_ERROR(s.BindText(1, institution));
      RETURN_IF_ERROR(s.BindInt64(2, version));
      RETURN_IF_ERROR(s.BindInt64(3, primary ? 1 : 0));
      return s.Run();
    });
  }

  store::testing::TempDir dir_;
  crypto::SecretData key_ = crypto::SecretData(std::string(32, 'k'));
  std::unique_ptr<store::Database> db_;
};

TEST_F(NodeMetricsTest, MethodLabelsAreBoundedToTheKnownMethods) {
  NodeMetrics metrics({kGetCase}, absl::Now());
  metrics.OnCall(kGetCase, absl::StatusCode::kOk, absl::Milliseconds(3));
  metrics.OnCall(kGetCase, absl::StatusCode::kNotFound, absl::Milliseconds(1));
  metrics.OnCall("/resguardo.v1.CaseService/CANARIO-77",
                 absl::StatusCode::kUnimplemented, absl::Milliseconds(1));
  const std::string text = Render(metrics);
  EXPECT_THAT(text, HasSubstr(absl::StrCat("resguardo_calls_total{code=\"OK\","
                                           "method=\"",
                                           kGetCase, "\"} 1")));
  EXPECT_THAT(text, HasSubstr("resguardo_calls_total{code=\"NOT_FOUND\","));
  EXPECT_THAT(text, HasSubstr("resguardo_calls_total{code=\"UNIMPLEMENTED\","
                              "method=\"other\"} 1"));
  EXPECT_THAT(text, Not(HasSubstr("CANARIO")));
  EXPECT_THAT(text,
              HasSubstr(absl::StrCat("resguardo_call_duration_seconds_count{"
                                     "method=\"",
                                     kGetCase, "\"} 2")));
}

TEST_F(NodeMetricsTest, BatchesFeedTheirHistograms) {
  NodeMetrics metrics({}, absl::Now());
  metrics.OnBatch({3, true, absl::Milliseconds(2)});
  metrics.OnBatch({1, false, absl::ZeroDuration()});
  const std::string text = Render(metrics);
  EXPECT_THAT(text, HasSubstr("resguardo_store_batch_size_count 2"));
  EXPECT_THAT(text, HasSubstr("resguardo_store_batch_size_sum 4"));
  EXPECT_THAT(text,
              HasSubstr("resguardo_store_commit_duration_seconds_count 1"));
}

TEST_F(NodeMetricsTest, StaleDataKeysAreThoseNotUnderThePrimaryVersion) {
  NodeMetrics metrics({}, absl::Now());
  ASSERT_OK(AddKek("IEEPCO", 1, true));
  ASSERT_OK(AddKek("FGEO", 1, true));
  ASSERT_OK(AddCases("IEEPCO", 1, 4));
  ASSERT_OK(AddCases("FGEO", 1, 2));
  ASSERT_OK(AddRegistryEntries("IEEPCO", 1, 2));
  ASSERT_OK(AddRegistryEntries("FGEO", 1, 1));
  EXPECT_THAT(Render(metrics), HasSubstr("resguardo_kek_stale_data_keys 0\n"));
  // A rotation of IEEPCO's KEK starts: its 4 cases and 2 registry entries
  // are left to rewrap, and 1 new case and 1 new entry are already under
  // version 2; FGEO's are not counted.
  ASSERT_OK(AddKek("IEEPCO", 2, true));
  ASSERT_OK(AddCases("IEEPCO", 2, 1));
  ASSERT_OK(AddRegistryEntries("IEEPCO", 2, 1));
  std::string text = Render(metrics);
  EXPECT_THAT(text, HasSubstr("resguardo_kek_stale_data_keys 6\n"));
  EXPECT_THAT(text, HasSubstr("resguardo_kek_institutions_rotating 1\n"));
}

}  // namespace
}  // namespace resguardo::server
