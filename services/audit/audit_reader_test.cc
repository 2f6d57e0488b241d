#include "services/audit/audit_reader.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/clock.h"
#include "base/status_macros.h"
#include "base/testing/status_matchers.h"
#include "crypto/key_provider.h"
#include "crypto/testing/fixed_key_provider.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/api/page_token.h"
#include "services/audit/audit_log.h"
#include "services/audit/checkpointer.h"
#include "services/schema/node_schema.h"
#include "services/store/database.h"
#include "services/store/testing/temp_dir.h"

namespace resguardo::audit {
namespace {

using ::resguardo::testing::StatusIs;

class AuditReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::Database::Options options;
    options.create_if_missing = true;
    options.migrations = schema::NodeMigrations();
    ASSERT_OK_AND_ASSIGN(
        db_, store::Database::Open(dir_.File("node.db"),
                                   crypto::SecretData(std::string(32, 'k')),
                                   options));
    ASSERT_OK(db_->Write([](store::WriteTxn& txn) -> absl::Status {
      return txn.Execute(
          "INSERT INTO institutions(id, display_name, kind, create_time) "
          "VALUES ('IEEPCO', 'I', 1, 0), ('FGEO', 'F', 2, 0), "
          "('OBS', 'O', 4, 0)");
    }));
  }

  // `n` entries by a user of `institution` on `resource`.
  void Append(uint64_t n, const std::string& institution,
              const std::string& resource) {
    for (uint64_t done = 0; done < n; done += 1000) {
      ASSERT_OK(db_->Write([&](store::WriteTxn& txn) -> absl::Status {
        for (uint64_t i = done; i < std::min(n, done + 1000); ++i) {
          v1::AuditEntry e;
          e.set_institution(institution);
          e.set_actor(absl::StrCat("institutions/", institution, "/users/u"));
          e.set_method("/resguardo.v1.CaseService/GetCase");
          e.set_resource(resource);
          RETURN_IF_ERROR(log_.Append(txn, e).status());
        }
        return absl::OkStatus();
      }));
    }
  }

  absl::StatusOr<v1::ListEntriesResponse> List(
      const std::string& institution, const v1::ListEntriesRequest& request) {
    Checkpointer::Options options;
    options.origin = "resguardo.test/audit";
    ASSIGN_OR_RETURN(std::unique_ptr<Checkpointer> cp,
                     Checkpointer::Open(db_.get(), &keys_, &clock_, options));
    AuditReader reader(cp.get());
    auth::Principal auditor{institution, "aud", {v1::ROLE_AUDITOR}};
    return db_->Read([&](store::ReadTxn& txn) {
      return reader.ListEntries(txn, auditor, request);
    });
  }

  store::testing::TempDir dir_;
  FakeClock clock_{absl::FromUnixSeconds(1767225600)};
  AuditLog log_{&clock_};
  crypto::testing::FixedKeyProvider keys_;
  std::unique_ptr<store::Database> db_;
};

TEST_F(AuditReaderTest, AnAuditorSeesHerInstitutionAsCallerOrAsResource) {
  Append(2, "IEEPCO", "institutions/IEEPCO/cases/IEEPCO-2026-000001");
  Append(1, "IEEPCO", "institutions/FGEO");  // IEEPCO acting on FGEO
  Append(2, "FGEO", "institutions/FGEO/cases/FGEO-2026-000001");
  Append(1, "FGEO", "institutions/FGEOX/cases/X");  // a prefix, not FGEO's
  v1::ListEntriesRequest all;
  ASSERT_OK_AND_ASSIGN(v1::ListEntriesResponse fgeo, List("FGEO", all));
  std::vector<uint64_t> seen;
  for (const auto& e : fgeo.entries()) seen.push_back(e.entry().index());
  EXPECT_THAT(seen, ::testing::ElementsAre(2, 3, 4, 5));
  ASSERT_OK_AND_ASSIGN(v1::ListEntriesResponse ieepco, List("IEEPCO", all));
  EXPECT_EQ(ieepco.entries_size(), 3);
  ASSERT_OK_AND_ASSIGN(v1::ListEntriesResponse obs, List("OBS", all));
  EXPECT_EQ(obs.entries_size(), 6);
}

TEST_F(AuditReaderTest, ASparseFilterAnswersInBoundedPagesWithAToken) {
  Append(60000, "IEEPCO", "");
  Append(1, "FGEO", "");
  v1::ListEntriesRequest request;
  ASSERT_OK_AND_ASSIGN(v1::ListEntriesResponse first, List("FGEO", request));
  EXPECT_EQ(first.entries_size(), 0);
  ASSERT_FALSE(first.next_page_token().empty());
  request.set_page_token(first.next_page_token());
  ASSERT_OK_AND_ASSIGN(v1::ListEntriesResponse second, List("FGEO", request));
  ASSERT_EQ(second.entries_size(), 1);
  EXPECT_EQ(second.entries(0).entry().index(), 60000u);
  EXPECT_TRUE(second.next_page_token().empty());
  // A token from another query does not decode.
  request.set_method("/resguardo.v1.CaseService/ListCases");
  EXPECT_THAT(List("FGEO", request),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(AuditReaderTest, AForgedPageTokenCannotWidenTheRange) {
  Append(5, "IEEPCO", "");
  v1::ListEntriesRequest request;
  request.set_start_index(3);
  // Tokens are bound to the query, not signed: anyone can make one that
  // decodes, with any position.
  const std::string scope = absl::StrCat(
      "ListEntries\nIEEPCO\n3\n0\n\n\n\n\n-1\n", INT64_MIN, "\n", INT64_MAX);
  request.set_page_token(api::EncodePageToken(scope, "0"));
  EXPECT_THAT(List("IEEPCO", request),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::HasSubstr("page_token")));
  // The same forgery at a position inside the range is just a position.
  request.set_page_token(api::EncodePageToken(scope, "4"));
  ASSERT_OK_AND_ASSIGN(v1::ListEntriesResponse in_range,
                       List("IEEPCO", request));
  ASSERT_EQ(in_range.entries_size(), 1);
  EXPECT_EQ(in_range.entries(0).entry().index(), 4u);
}

TEST_F(AuditReaderTest, AnOutOfRangeTimestampIsAFieldViolation) {
  v1::ListEntriesRequest request;
  request.mutable_start_time()->set_seconds(INT64_MAX / 10);
  EXPECT_THAT(List("IEEPCO", request),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::HasSubstr("start_time")));
}

}  // namespace
}  // namespace resguardo::audit
