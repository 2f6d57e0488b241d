// StatsService through the real resguardod: roles and scope, distinct
// victims through the person key, suppression and the audit of queries,
// differential privacy with its ledger.
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "proto/resguardo/v1/stats_catalogue.h"
#include "resguardo/v1/admin_service.grpc.pb.h"
#include "resguardo/v1/case_service.grpc.pb.h"
#include "resguardo/v1/stats_service.grpc.pb.h"
#include "tests/testing/case_requests.h"
#include "tests/testing/test_deployment.h"
#include "tests/testing/test_node.h"

namespace resguardo {
namespace {

using testing::DaysAgo;
using ::testing::HasSubstr;
using testing::Staff;
using testing::TestNode;

const Staff kRegistrar{"IEEPCO", "reg", v1::ROLE_REGISTRAR};
const Staff kCaseworker{"IEEPCO", "cw", v1::ROLE_CASEWORKER};
const Staff kOwnAnalyst{"IEEPCO", "ana", v1::ROLE_ANALYST};
// Her queries by the electoral dimensions spend no one else's allowance.
const Staff kElectoralAnalyst{"IEEPCO", "eva", v1::ROLE_ANALYST};
const Staff kFgeoAdmin{"FGEO", "admin", v1::ROLE_ADMIN};
const Staff kFgeoRegistrar{"FGEO", "reg", v1::ROLE_REGISTRAR};
const Staff kObsAdmin{"OBS", "admin", v1::ROLE_ADMIN};
const Staff kObsAnalyst{"OBS", "ana", v1::ROLE_ANALYST};
const Staff kObsAnalyst2{"OBS", "berta", v1::ROLE_ANALYST};

constexpr char kCanaryName[] = "CANARY-STATS-Xochitl-5e2b";

// A case of the woman `who` (name + birth date give her person key), the
// i-th of her institution: the electoral descriptors split the twelve of
// IEEPCO into cells above and below k (party system 8, indigenous
// normative systems 4; municipal 9, state 3; exercise of office 6,
// electoral process 6).
v1::CreateCaseRequest CaseOf(const std::string& institution,
                             const std::string& who, int i = 0) {
  v1::CreateCaseRequest r = testing::NewCaseRequest(
      3, v1::RISK_LEVEL_HIGH, absl::StrCat(kCanaryName, " ", who), "Hechos.",
      institution);
  auto* d = r.mutable_case_record()->mutable_descriptors();
  d->set_municipality_code("067");
  d->set_victim_position(v1::VICTIM_POSITION_COUNCILLOR);
  d->set_normative_system(
      i < 8 ? v1::NORMATIVE_SYSTEM_PARTY_SYSTEM
            : v1::NORMATIVE_SYSTEM_INDIGENOUS_NORMATIVE_SYSTEM);
  d->set_territorial_level(i < 9 ? v1::TERRITORIAL_LEVEL_MUNICIPAL
                                 : v1::TERRITORIAL_LEVEL_STATE);
  d->set_electoral_stage(i < 6 ? v1::ELECTORAL_STAGE_EXERCISE_OF_OFFICE
                               : v1::ELECTORAL_STAGE_ELECTORAL_PROCESS);
  auto* p = r.mutable_case_record()->mutable_personal_data();
  p->mutable_victim_birth_date()->set_year(1980);
  p->mutable_victim_birth_date()->set_month(5);
  p->mutable_victim_birth_date()->set_day(17);
  return r;
}

class StatsIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto node = TestNode::Create();
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = node->release();
    absl::Status deployed = testing::StartDeployment(
        *node_,
        {&kRegistrar, &kCaseworker, &kOwnAnalyst, &kElectoralAnalyst,
         &kFgeoAdmin, &kObsAdmin, &kFgeoRegistrar, &kObsAnalyst, &kObsAnalyst2},
        {{"FGEO", v1::INSTITUTION_KIND_PROSECUTOR, "FGEO", ""},
         {"OBS", v1::INSTITUTION_KIND_OVERSIGHT, "OBS", ""}});
    ASSERT_TRUE(deployed.ok()) << deployed;
    // Twelve women at IEEPCO; the first of them also at FGEO.
    for (int i = 0; i < 12; ++i) {
      v1::Case c;
      grpc::Status s =
          Cases(kRegistrar)
              ->CreateCase(TestNode::Context().get(),
                           CaseOf("IEEPCO", absl::StrCat("Mujer ", i), i), &c);
      ASSERT_TRUE(s.ok()) << s.error_message();
    }
    v1::Case c;
    grpc::Status s = Cases(kFgeoRegistrar)
                         ->CreateCase(TestNode::Context().get(),
                                      CaseOf("FGEO", "Mujer 0"), &c);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  static void TearDownTestSuite() {
    if (node_ == nullptr) return;
    auto code = node_->Stop();
    EXPECT_TRUE(code.ok() && *code == 0);
    delete node_;
    node_ = nullptr;
  }

  void SetUp() override {
    if (node_ == nullptr) GTEST_SKIP() << "the node did not start";
  }

  static std::unique_ptr<v1::AdminService::Stub> Admin(const Staff& s) {
    return v1::AdminService::NewStub(node_->Channel(s.institution, s.user));
  }
  static std::unique_ptr<v1::CaseService::Stub> Cases(const Staff& s) {
    return v1::CaseService::NewStub(node_->Channel(s.institution, s.user));
  }
  static grpc::Status Query(const Staff& s, const v1::StatsQueryRequest& r,
                            v1::StatsQueryResponse* out,
                            absl::string_view request_id = "") {
    auto stub =
        v1::StatsService::NewStub(node_->Channel(s.institution, s.user));
    return stub->Query(TestNode::Context(request_id).get(), r, out);
  }
  static v1::StatsQueryRequest Total(
      std::string parent = "institutions/-",
      v1::StatsMeasure measure = v1::STATS_MEASURE_CASES) {
    v1::StatsQueryRequest r;
    r.set_parent(std::move(parent));
    r.set_measure(measure);
    return r;
  }

  static TestNode* node_;
};

TestNode* StatsIntegrationTest::node_ = nullptr;

TEST_F(StatsIntegrationTest, SameWomanAtTwoInstitutionsCountsOnceAsVictim) {
  v1::StatsQueryResponse cases, victims;
  ASSERT_TRUE(Query(kObsAnalyst, Total(), &cases).ok());
  ASSERT_TRUE(Query(kObsAnalyst,
                    Total("institutions/-", v1::STATS_MEASURE_DISTINCT_VICTIMS),
                    &victims)
                  .ok());
  ASSERT_FALSE(cases.total().suppressed());
  ASSERT_FALSE(victims.total().suppressed());
  // 13 cases, 12 women. Both counts carry the same cell-key perturbation
  // (the same cases stand behind them), so their difference is exact.
  EXPECT_EQ(cases.total().count() - victims.total().count(), 1);
  EXPECT_NEAR(cases.total().count(), 13, 2);
  EXPECT_EQ(cases.privacy().perturbation_max(), 2u);
  EXPECT_EQ(cases.privacy().k(), 5u);

  // By institution kind: she counts in both cells; FGEO's single case is
  // withheld.
  v1::StatsQueryRequest by_kind = Total();
  by_kind.add_dimensions(v1::STATS_DIMENSION_INSTITUTION_KIND);
  v1::StatsQueryResponse r;
  ASSERT_TRUE(Query(kObsAnalyst, by_kind, &r).ok());
  // Every kind of institution is listed (there is no "not recorded" kind).
  ASSERT_EQ(r.cells_size(),
            v1::InstitutionKind_descriptor()->value_count() - 1);
  for (const v1::StatsCell& c : r.cells()) {
    if (c.values(0) == "INSTITUTION_KIND_PROSECUTOR") {
      EXPECT_TRUE(c.suppressed());
      EXPECT_EQ(c.count(), 0);
    } else {
      // Withheld too: otherwise total - this cell gives FGEO's count.
      EXPECT_TRUE(c.suppressed() || r.total().suppressed());
    }
  }
}

// The three dimensions the electoral institutes' research asks for, under
// the same suppression: a cell below k is withheld, and so is enough of the
// rest that the table's total does not give it back.
TEST_F(StatsIntegrationTest,
       ElectoralDimensionsAreCountedAndSmallCellsWithheld) {
  struct Expected {
    v1::StatsDimension dimension;
    std::map<std::string, int> counts;  // true counts; absent: 0
    std::string small;                  // the cell below k, if any
  };
  const std::vector<Expected> expected = {
      {v1::STATS_DIMENSION_NORMATIVE_SYSTEM,
       {{"NORMATIVE_SYSTEM_PARTY_SYSTEM", 8},
        {"NORMATIVE_SYSTEM_INDIGENOUS_NORMATIVE_SYSTEM", 4}},
       "NORMATIVE_SYSTEM_INDIGENOUS_NORMATIVE_SYSTEM"},
      {v1::STATS_DIMENSION_TERRITORIAL_LEVEL,
       {{"TERRITORIAL_LEVEL_MUNICIPAL", 9}, {"TERRITORIAL_LEVEL_STATE", 3}},
       "TERRITORIAL_LEVEL_STATE"},
      {v1::STATS_DIMENSION_ELECTORAL_STAGE,
       {{"ELECTORAL_STAGE_EXERCISE_OF_OFFICE", 6},
        {"ELECTORAL_STAGE_ELECTORAL_PROCESS", 6}},
       ""},
  };
  for (const Expected& e : expected) {
    SCOPED_TRACE(v1::StatsDimension_Name(e.dimension));
    v1::StatsQueryRequest r = Total("institutions/IEEPCO");
    r.add_dimensions(e.dimension);
    v1::StatsQueryResponse out;
    grpc::Status s = Query(kElectoralAnalyst, r, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
    // Every value of the catalogue is a cell, "not recorded" included.
    const google::protobuf::EnumDescriptor* catalogue =
        StatsDimensionCatalogue(e.dimension);
    ASSERT_NE(catalogue, nullptr);
    ASSERT_EQ(out.cells_size(), catalogue->value_count());
    int shown = 0, withheld = 0;
    for (const v1::StatsCell& c : out.cells()) {
      ASSERT_EQ(c.values_size(), 1);
      auto it = e.counts.find(c.values(0));
      const int truth = it == e.counts.end() ? 0 : it->second;
      if (c.suppressed()) {
        ++withheld;
        EXPECT_EQ(c.count(), 0) << c.values(0);
        continue;
      }
      ++shown;
      EXPECT_GE(truth, 5) << c.values(0) << " is below k and shown";
      EXPECT_NEAR(c.count(), truth, 2) << c.values(0);
      EXPECT_NE(c.values(0), e.small);
    }
    // Every cell below k ("not recorded" has none: 0) is withheld, and not
    // recoverable from the total: another cell is withheld beside it, or
    // the total is.
    EXPECT_TRUE(withheld >= 2 || out.total().suppressed()) << withheld;
    if (e.small.empty()) {
      // Two cells of 6: one of them is the zero's complement, the other
      // is shown.
      EXPECT_EQ(shown, 1);
    }
    EXPECT_EQ(out.SerializeAsString().find("CANARY"), std::string::npos);
  }

  // As a filter: the four cases under indigenous normative systems are a
  // population below k, refused whole.
  v1::StatsQueryRequest r = Total("institutions/IEEPCO");
  r.add_dimensions(v1::STATS_DIMENSION_ELECTORAL_STAGE);
  v1::StatsFilter* f = r.add_filters();
  f->set_dimension(v1::STATS_DIMENSION_NORMATIVE_SYSTEM);
  f->add_values("NORMATIVE_SYSTEM_INDIGENOUS_NORMATIVE_SYSTEM");
  v1::StatsQueryResponse out;
  grpc::Status s = Query(kElectoralAnalyst, r, &out);
  if (s.ok()) {
    for (const v1::StatsCell& c : out.cells()) {
      EXPECT_TRUE(c.suppressed()) << c.values(0);
    }
  } else {
    EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_THAT(s.error_message(), HasSubstr("below the threshold"));
  }
}

TEST_F(StatsIntegrationTest, AnalystCallingCaseServiceIsPermissionDenied) {
  v1::ListCasesRequest r;
  r.set_parent("institutions/OBS");
  v1::ListCasesResponse out;
  grpc::Status s =
      Cases(kObsAnalyst)->ListCases(TestNode::Context().get(), r, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  r.set_parent("institutions/IEEPCO");
  s = Cases(kOwnAnalyst)->ListCases(TestNode::Context().get(), r, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(StatsIntegrationTest, CaseworkerAskingAboutAnotherInstitutionIsDenied) {
  v1::StatsQueryResponse out;
  grpc::Status s = Query(kCaseworker, Total("institutions/FGEO"), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // Nor her own: statistics are the analysts'.
  s = Query(kCaseworker, Total("institutions/IEEPCO"), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(out.cells_size(), 0);
}

TEST_F(StatsIntegrationTest, AnInstitutionsAnalystCountsOnlyHerOwn) {
  v1::StatsQueryResponse out;
  EXPECT_TRUE(Query(kOwnAnalyst, Total("institutions/IEEPCO"), &out).ok());
  EXPECT_FALSE(out.total().suppressed());
  for (const char* parent : {"institutions/FGEO", "institutions/-"}) {
    v1::StatsQueryResponse denied;
    grpc::Status s = Query(kOwnAnalyst, Total(parent), &denied);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << parent;
    EXPECT_FALSE(denied.has_total());
  }
  // The oversight body's analyst may ask about one institution too; one
  // case is a population below k: refused.
  grpc::Status s = Query(kObsAnalyst, Total("institutions/FGEO"), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("below the threshold"), std::string::npos);
}

TEST_F(StatsIntegrationTest, EveryQueryIsAuditedWithItsParametersOnly) {
  v1::StatsQueryRequest r = Total();
  r.add_dimensions(v1::STATS_DIMENSION_STATE);
  r.add_dimensions(v1::STATS_DIMENSION_VIOLENCE_TYPE);
  r.set_from_month("2025-01");
  v1::StatsQueryResponse out;
  ASSERT_TRUE(Query(kObsAnalyst, r, &out, "stats-audit-1").ok());
  grpc::Status denied = Query(kCaseworker, r, &out, "stats-audit-2");
  ASSERT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  auto entries = node_->AuditEntries();
  ASSERT_TRUE(entries.ok());
  int found = 0;
  for (const v1::AuditEntry& e : *entries) {
    if (e.request_id() != "stats-audit-1" && e.request_id() != "stats-audit-2")
      continue;
    ++found;
    EXPECT_EQ(e.method(), "/resguardo.v1.StatsService/Query");
    EXPECT_EQ(e.query_parameters(),
              "scope=-;dims=STATE,VIOLENCE_TYPE;from=202501;to=0;filters=;"
              "measure=CASES;epsilon_micro=0");
    EXPECT_EQ(e.outcome(), e.request_id() == "stats-audit-1" ? 0 : 7);
    std::string bytes = e.SerializeAsString();
    EXPECT_EQ(bytes.find(kCanaryName), std::string::npos);
  }
  EXPECT_EQ(found, 2);
  // The answer carries no personal data either.
  EXPECT_EQ(out.SerializeAsString().find("CANARY"), std::string::npos);
}

TEST_F(StatsIntegrationTest, BadQueryIsInvalidArgumentNamingTheField) {
  v1::StatsQueryRequest r = Total();
  r.add_dimensions(v1::STATS_DIMENSION_MUNICIPALITY);
  r.add_dimensions(v1::STATS_DIMENSION_VICTIM_POSITION);
  v1::StatsQueryResponse out;
  grpc::Status s = Query(kObsAnalyst, r, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields = testing::BadRequestFields(s);
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0], "dimensions");
}

TEST_F(StatsIntegrationTest, PrivateQueriesRepeatAndStopAtTheBudget) {
  v1::StatsQueryRequest r =
      Total("institutions/-", v1::STATS_MEASURE_DISTINCT_VICTIMS);
  r.add_dimensions(v1::STATS_DIMENSION_RISK_LEVEL);
  r.set_epsilon(0.75);
  v1::StatsQueryResponse first, again;
  grpc::Status s = Query(kObsAnalyst2, r, &first);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_DOUBLE_EQ(first.privacy().epsilon(), 0.75);
  EXPECT_NEAR(first.privacy().budget_remaining(), 0.25, 1e-9);
  ASSERT_TRUE(Query(kObsAnalyst2, r, &again).ok());
  EXPECT_TRUE(again.privacy().repeated_release());
  ASSERT_EQ(again.cells_size(), first.cells_size());
  for (int i = 0; i < first.cells_size(); ++i) {
    EXPECT_EQ(again.cells(i).SerializeAsString(),
              first.cells(i).SerializeAsString());
  }
  v1::StatsQueryRequest other = r;
  other.clear_dimensions();
  v1::StatsQueryResponse refused;
  s = Query(kObsAnalyst2, other, &refused);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_FALSE(refused.has_total());
}

// Runs the CLI as `s` against the node, in English.
int Cli(const TestNode& node, const Staff& s, std::vector<std::string> args,
        std::string* out) {
  return testing::RunCli(node, s, args, out, "en");
}

TEST_F(StatsIntegrationTest, CliChartIsWellFormedAndCarriesTheAnswer) {
  const std::string chart = absl::StrCat(node_->dir(), "/chart.svg");
  std::vector<std::string> query = {
      "stats",  "query",   "--by", "institution_kind,violence_type",
      "--from", "2020-01", "--to", "2099-12"};
  std::string json;
  std::vector<std::string> as_json = query;
  as_json.push_back("--json");
  ASSERT_EQ(Cli(*node_, kObsAnalyst, as_json, &json), 0) << json;
  // Standard error (the hint on a mostly withheld table) comes mixed in:
  // the answer is the line that is a JSON object.
  std::string line;
  for (absl::string_view l : absl::StrSplit(json, '\n')) {
    if (absl::StartsWith(l, "{")) line = std::string(l);
  }
  v1::StatsQueryResponse answer;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(line, &answer, options).ok())
      << json;
  ASSERT_GT(answer.cells_size(), 0);

  std::vector<std::string> with_chart = query;
  with_chart.push_back("--chart");
  with_chart.push_back(chart);
  std::string table;
  ASSERT_EQ(Cli(*node_, kObsAnalyst, with_chart, &table), 0) << table;
  EXPECT_EQ(std::system(absl::StrCat("xmllint --noout '", chart, "'").c_str()),
            0);
  std::ifstream in(chart);
  const std::string svg((std::istreambuf_iterator<char>(in)),
                        std::istreambuf_iterator<char>());
  // The same query gets the same answer (the perturbation is fixed per set
  // of cases): every released number is on the chart, every withheld cell
  // is marked, and the table says "suppressed" for them too.
  int suppressed = 0;
  for (const v1::StatsCell& c : answer.cells()) {
    if (c.suppressed()) {
      ++suppressed;
    } else {
      EXPECT_NE(svg.find(absl::StrCat(">", c.count(), "</text>")),
                std::string::npos)
          << c.ShortDebugString();
    }
  }
  size_t marks = 0;
  for (size_t at = svg.find("class=\"suppressed\""); at != std::string::npos;
       at = svg.find("class=\"suppressed\"", at + 1)) {
    ++marks;
  }
  EXPECT_EQ(static_cast<int>(marks), suppressed);
  EXPECT_GT(suppressed, 0);
  EXPECT_NE(table.find("suppressed"), std::string::npos) << table;
  EXPECT_EQ(svg.find("CANARY"), std::string::npos);
}

// `stats query --format json` prints the answer (it printed nothing and
// exited 0), with the information loss; CSV and the table show it too.
TEST_F(StatsIntegrationTest, CliPrintsTheAnswerAndItsInformationLoss) {
  std::vector<std::string> query = {"stats", "query",    "--by",
                                    "state", "--format", "json"};
  std::string json;
  ASSERT_EQ(Cli(*node_, kObsAnalyst, query, &json), 0) << json;
  // Standard output and error come mixed: the answer is the line that is
  // a JSON object.
  std::string line;
  for (absl::string_view l : absl::StrSplit(json, '\n')) {
    if (absl::StartsWith(l, "{")) line = std::string(l);
  }
  v1::StatsQueryResponse answer;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &answer).ok())
      << json;
  EXPECT_EQ(answer.cells_size(), 32);
  EXPECT_NE(json.find("\"informationLoss\""), std::string::npos) << json;
  EXPECT_TRUE(answer.has_information_loss());
  // Every state but one is empty (withheld like a small count), so the one
  // state's cell is withheld beside them: all of it is withheld, and the
  // hint (on standard error) says what to ask instead.
  EXPECT_DOUBLE_EQ(answer.information_loss(), 1.0);
  EXPECT_NE(json.find("coarser period"), std::string::npos) << json;

  query.back() = "csv";
  std::string csv;
  ASSERT_EQ(Cli(*node_, kObsAnalyst, query, &csv), 0) << csv;
  EXPECT_NE(csv.find("INFORMATION_LOSS,1.0000,false"), std::string::npos)
      << csv;
  query.back() = "table";
  std::string table;
  ASSERT_EQ(Cli(*node_, kObsAnalyst, query, &table), 0) << table;
  EXPECT_NE(table.find("Information loss: 100.0%"), std::string::npos) << table;
  EXPECT_EQ(table.find("CANARY"), std::string::npos);
}

// Last in the file: it spends IEEPCO's query allowance for the release.
// Through the node: each distinct query costs one of the analyst's 20; the
// 21st is RESOURCE_EXHAUSTED naming the allowance; a repeat is still
// answered (stored, free); GetAllowance says what is left, to analysts
// only.
TEST_F(StatsIntegrationTest, QueryAllowanceStopsDistinctQueriesNotRepeats) {
  auto stub = v1::StatsService::NewStub(
      node_->Channel(kOwnAnalyst.institution, kOwnAnalyst.user));
  int answered = 0;
  grpc::Status refused;
  v1::StatsQueryRequest first;
  for (int i = 0; i < 40; ++i) {
    v1::StatsQueryRequest r = Total("institutions/IEEPCO");
    r.set_from_month(absl::StrFormat("%04d-01", 2000 + i));
    v1::StatsQueryResponse out;
    grpc::Status s = Query(kOwnAnalyst, r, &out);
    if (!s.ok()) {
      refused = s;
      break;
    }
    if (i == 0) first = r;
    if (!out.privacy().repeated_release()) ++answered;
  }
  EXPECT_LE(answered, 20);
  EXPECT_GE(answered, 18);  // Earlier tests may have asked a few.
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(refused.error_message(), HasSubstr("query allowance spent"));
  v1::StatsQueryResponse again;
  grpc::Status s = Query(kOwnAnalyst, first, &again);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(again.privacy().repeated_release());

  v1::StatsAllowance left;
  s = stub->GetAllowance(TestNode::Context().get(),
                         v1::GetStatsAllowanceRequest(), &left);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(left.queries_remaining(), 0);
  EXPECT_GT(left.epsilon_remaining(), 0);
  auto caseworker = v1::StatsService::NewStub(
      node_->Channel(kCaseworker.institution, kCaseworker.user));
  s = caseworker->GetAllowance(TestNode::Context().get(),
                               v1::GetStatsAllowanceRequest(), &left);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace resguardo
