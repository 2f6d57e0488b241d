#include "services/server/config_loader.h"

#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "base/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resguardo/config/v1/node_config.pb.h"
#include "services/store/testing/temp_dir.h"

namespace resguardo::server {
namespace {

using ::resguardo::testing::IsOk;
using ::resguardo::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kValid[] = R"pb(
  listen_address: "127.0.0.1:8443"
  tls {
    server_cert_file: "pki/server.crt"
    server_key_file: "pki/server.key"
    client_ca_file: "pki/ca.crt"
  }
  data_dir: "data"
  master_key { key_file: "keys/master.key" create_for_development: true }
  trust_domain: "resguardo.local"
  operator_institution {
    institution_id: "IEEPCO"
    display_name: "Instituto Estatal Electoral de Oaxaca"
    kind: INSTITUTION_KIND_ELECTORAL_INSTITUTE
    state_code: "20"
    first_admin_user_id: "admin"
  }
  limits { max_receive_message_bytes: 1048576 default_deadline_ms: 5000 }
  log { format: LOG_FORMAT_JSON }
)pb";

absl::StatusOr<config::v1::NodeConfig> Parse(absl::string_view text) {
  return ParseNodeConfig(text, "node.textproto", "/etc/resguardo");
}

std::string Replace(absl::string_view from, absl::string_view to) {
  std::string text = absl::StrReplaceAll(kValid, {{from, to}});
  EXPECT_NE(text, kValid) << "the replacement did not apply";
  return text;
}

TEST(ConfigLoaderTest, ParsesValidConfigAndResolvesRelativePaths) {
  absl::StatusOr<config::v1::NodeConfig> config = Parse(kValid);
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->listen_address(), "127.0.0.1:8443");
  EXPECT_EQ(config->tls().server_cert_file(), "/etc/resguardo/pki/server.crt");
  EXPECT_EQ(config->tls().client_ca_file(), "/etc/resguardo/pki/ca.crt");
  EXPECT_EQ(config->data_dir(), "/etc/resguardo/data");
  EXPECT_EQ(config->master_key().key_file(), "/etc/resguardo/keys/master.key");
  EXPECT_TRUE(config->master_key().create_for_development());
  EXPECT_EQ(config->operator_institution().kind(),
            v1::INSTITUTION_KIND_ELECTORAL_INSTITUTE);
  EXPECT_EQ(DatabasePath(*config), "/etc/resguardo/data/resguardo.db");
}

TEST(ConfigLoaderTest, KeepsAbsolutePaths) {
  absl::StatusOr<config::v1::NodeConfig> config =
      Parse(Replace("\"data\"", "\"/var/lib/resguardo\""));
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->data_dir(), "/var/lib/resguardo");
}

TEST(ConfigLoaderTest, FillsDefaultsOfUnsetLimitsAndKeepsSetOnes) {
  absl::StatusOr<config::v1::NodeConfig> config = Parse(kValid);
  ASSERT_THAT(config, IsOk());
  const config::v1::Limits& limits = config->limits();
  EXPECT_EQ(limits.max_receive_message_bytes(), 1048576u);
  EXPECT_EQ(limits.default_deadline_ms(), 5000u);
  EXPECT_EQ(limits.max_deadline_ms(), 120000u);
  EXPECT_EQ(limits.max_concurrent_streams(), 100u);
  EXPECT_EQ(limits.handshake_timeout_seconds(), 10u);
  EXPECT_EQ(limits.keepalive_time_seconds(), 7200u);
  EXPECT_EQ(limits.keepalive_timeout_seconds(), 20u);
  EXPECT_EQ(limits.min_client_ping_interval_seconds(), 60u);
  EXPECT_EQ(limits.shutdown_grace_seconds(), 20u);
  EXPECT_EQ(limits.worker_threads(), 64u);
  EXPECT_EQ(limits.max_queued_calls(), 10000u);
}

TEST(ConfigLoaderTest, AuditCheckpointSettingsHaveDefaultsAndRanges) {
  absl::StatusOr<config::v1::NodeConfig> config = Parse(kValid);
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->audit().checkpoint_every_entries(), 1000u);
  EXPECT_EQ(config->audit().checkpoint_every_seconds(), 60u);
  config =
      Parse(Replace("log {", "audit { checkpoint_every_entries: 10 } log {"));
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->audit().checkpoint_every_entries(), 10u);
  EXPECT_EQ(config->audit().checkpoint_every_seconds(), 60u);
  EXPECT_THAT(
      Parse(Replace("log {", "audit { checkpoint_every_entries: 0 } log {")),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("audit.checkpoint_every_entries:")));
  EXPECT_THAT(Parse(Replace("log {",
                            "audit { checkpoint_every_seconds: 90000 } log {")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("audit.checkpoint_every_seconds:")));
}

TEST(ConfigLoaderTest, StatisticsSettingsHaveDefaultsAndRanges) {
  absl::StatusOr<config::v1::NodeConfig> config = Parse(kValid);
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->statistics().k(), 5u);
  EXPECT_DOUBLE_EQ(config->statistics().epsilon_budget_per_period(), 1.0);
  EXPECT_EQ(config->statistics().release_period(),
            config::v1::RELEASE_PERIOD_QUARTER);
  config = Parse(Replace(
      "log {",
      "statistics { k: 10 release_period: RELEASE_PERIOD_MONTH } log {"));
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->statistics().k(), 10u);
  EXPECT_EQ(config->statistics().release_period(),
            config::v1::RELEASE_PERIOD_MONTH);
  // A threshold below 3 lets a count single out a woman: refused.
  for (const char* k : {"0", "1", "2"}) {
    EXPECT_THAT(Parse(Replace("log {",
                              absl::StrCat("statistics { k: ", k, " } log {"))),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("statistics.k:")))
        << k;
  }
  EXPECT_THAT(Parse(Replace("log {", "statistics { k: 3 } log {")), IsOk());
  EXPECT_THAT(
      Parse(Replace("log {",
                    "statistics { epsilon_budget_per_period: 0 } log {")),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("statistics.epsilon_budget_per_period:")));
}

TEST(ConfigLoaderTest, ReferralDeadlinesAreCheckedNamingTheField) {
  EXPECT_THAT(Parse(Replace("log {",
                            "referrals { accept_within_hours: 12 "
                            "accept_deadline_rules { service: "
                            "REFERRAL_SERVICE_KIND_SHELTER risk_levels: "
                            "RISK_LEVEL_CRITICAL accept_within_hours: 2 } } "
                            "log {")),
              IsOk());
  EXPECT_THAT(
      Parse(Replace("log {", "referrals { accept_within_hours: 0 } log {")),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("referrals.accept_within_hours: must be from 1")));
  EXPECT_THAT(
      Parse(Replace("log {",
                    "referrals { accept_deadline_rules { "
                    "accept_within_hours: 2 } } log {")),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("referrals.accept_deadline_rules[0].service")));
  EXPECT_THAT(
      Parse(Replace("log {", "referrals { alert_poll_interval_ms: 10 } log {")),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("referrals.alert_poll_interval_ms")));
}

TEST(ConfigLoaderTest, UnknownFieldStopsWithFieldNameAndLine) {
  // "listen_adress" is on line 2 of kValid (line 1 is empty).
  EXPECT_THAT(Parse(Replace("listen_address", "listen_adress")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("node.textproto:2:"),
                             HasSubstr("listen_adress"))));
}

TEST(ConfigLoaderTest, UnknownNestedFieldIsNamed) {
  EXPECT_THAT(Parse(Replace("default_deadline_ms", "default_deadline_seconds")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("node.textproto:18:"),
                             HasSubstr("default_deadline_seconds"))));
}

TEST(ConfigLoaderTest, UnknownEnumNameIsNamed) {
  EXPECT_THAT(Parse(Replace("LOG_FORMAT_JSON", "LOG_FORMAT_XML")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("node.textproto:19:"),
                             HasSubstr("LOG_FORMAT_XML"))));
}

TEST(ConfigLoaderTest, WrongValueTypeStops) {
  EXPECT_THAT(
      Parse(Replace("1048576", "\"big\"")),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("node.textproto:18:"),
                     HasSubstr("(field \"max_receive_message_bytes\")"))));
  EXPECT_THAT(
      Parse(Replace("1048576", "-1")),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("node.textproto:18:"),
                     HasSubstr("(field \"max_receive_message_bytes\")"))));
}

TEST(ConfigLoaderTest, FieldGivenTwiceStops) {
  EXPECT_THAT(
      Parse(absl::StrCat(kValid, "trust_domain: \"other\"\n")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("trust_domain")));
}

TEST(ConfigLoaderTest, NumericEnumOutsideTheCatalogueStops) {
  EXPECT_THAT(
      Parse(Replace("LOG_FORMAT_JSON", "7")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("log.format")));
}

struct SemanticCase {
  const char* name;
  const char* from;
  const char* to;
  const char* field;
};

class ConfigSemanticsTest : public ::testing::TestWithParam<SemanticCase> {};

TEST_P(ConfigSemanticsTest, StopsNamingTheField) {
  const SemanticCase& c = GetParam();
  EXPECT_THAT(Parse(Replace(c.from, c.to)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("node.textproto"),
                             HasSubstr(absl::StrCat(c.field, ":")))));
}

INSTANTIATE_TEST_SUITE_P(
    Fields, ConfigSemanticsTest,
    ::testing::Values(
        SemanticCase{"EmptyListenAddress", "\"127.0.0.1:8443\"", "\"\"",
                     "listen_address"},
        SemanticCase{"PortZero", "127.0.0.1:8443", "127.0.0.1:0",
                     "listen_address"},
        SemanticCase{"PortTooLarge", "127.0.0.1:8443", "127.0.0.1:65536",
                     "listen_address"},
        SemanticCase{"NoPort", "127.0.0.1:8443", "127.0.0.1", "listen_address"},
        SemanticCase{"BareIpv6", "127.0.0.1:8443", "::1:8443",
                     "listen_address"},
        SemanticCase{"EmptyCert", "\"pki/server.crt\"", "\"\"",
                     "tls.server_cert_file"},
        SemanticCase{"EmptyKey", "\"pki/server.key\"", "\"\"",
                     "tls.server_key_file"},
        SemanticCase{"EmptyCa", "\"pki/ca.crt\"", "\"\"", "tls.client_ca_file"},
        SemanticCase{"EmptyDataDir", "\"data\"", "\"\"", "data_dir"},
        SemanticCase{"EmptyKeyFile", "\"keys/master.key\"", "\"\"",
                     "master_key.key_file"},
        SemanticCase{"EmptyTrustDomain", "\"resguardo.local\"", "\"\"",
                     "trust_domain"},
        SemanticCase{"BadTrustDomain", "\"resguardo.local\"",
                     "\"Resguardo/Local\"", "trust_domain"},
        SemanticCase{"BadInstitutionId", "\"IEEPCO\"", "\"ieepco\"",
                     "operator_institution.institution_id"},
        SemanticCase{"NoKind", "kind: INSTITUTION_KIND_ELECTORAL_INSTITUTE", "",
                     "operator_institution.kind"},
        SemanticCase{"BadStateCode", "\"20\"", "\"99\"",
                     "operator_institution.state_code"},
        SemanticCase{"BadAdmin", "\"admin\"", "\"Admin User\"",
                     "operator_institution.first_admin_user_id"},
        SemanticCase{"TinyMessages", "1048576", "10",
                     "limits.max_receive_message_bytes"},
        SemanticCase{"ZeroDeadline", "default_deadline_ms: 5000",
                     "default_deadline_ms: 0", "limits.default_deadline_ms"},
        SemanticCase{"MaxBelowDefault", "default_deadline_ms: 5000",
                     "default_deadline_ms: 5000 max_deadline_ms: 1000",
                     "limits.max_deadline_ms"},
        SemanticCase{"ZeroStreams", "default_deadline_ms: 5000",
                     "default_deadline_ms: 5000 max_concurrent_streams: 0",
                     "limits.max_concurrent_streams"},
        SemanticCase{"LongHandshake", "default_deadline_ms: 5000",
                     "default_deadline_ms: 5000 handshake_timeout_seconds: 600",
                     "limits.handshake_timeout_seconds"},
        SemanticCase{"EagerKeepalive", "default_deadline_ms: 5000",
                     "default_deadline_ms: 5000 keepalive_time_seconds: 1",
                     "limits.keepalive_time_seconds"},
        SemanticCase{"NoWorkers", "default_deadline_ms: 5000",
                     "default_deadline_ms: 5000 worker_threads: 0",
                     "limits.worker_threads"}),
    [](const ::testing::TestParamInfo<SemanticCase>& info) {
      return info.param.name;
    });

TEST(ConfigLoaderTest, MissingSectionsAreEachNamed) {
  absl::Status status =
      ParseNodeConfig("listen_address: \"127.0.0.1:1\"", "x", "").status();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               AllOf(HasSubstr("tls:"), HasSubstr("data_dir:"),
                                     HasSubstr("master_key:"),
                                     HasSubstr("trust_domain:"),
                                     HasSubstr("operator_institution:"))));
}

TEST(ConfigLoaderTest, ParsesIpv6ListenAddress) {
  absl::StatusOr<HostPort> hp = ParseListenAddress("[::1]:8443");
  ASSERT_THAT(hp, IsOk());
  EXPECT_EQ(hp->host, "[::1]");
  EXPECT_EQ(hp->port, 8443);
}

TEST(ConfigLoaderTest, LoadsFileAndResolvesAgainstItsFolder) {
  store::testing::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  std::string path = dir.File("node.textproto");
  std::ofstream(path) << kValid;
  absl::StatusOr<config::v1::NodeConfig> config = LoadNodeConfig(path);
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->data_dir(), absl::StrCat(dir.path(), "/data"));
}

TEST(ConfigLoaderTest, MissingFileIsNotFoundNamingThePath) {
  EXPECT_THAT(LoadNodeConfig("/nonexistent/node.textproto"),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("/nonexistent/node.textproto")));
}

TEST(ConfigLoaderTest, ErrorsDoNotEchoTheDisplayName) {
  // A value in the file is not echoed by the meaning checks.
  EXPECT_THAT(
      Parse(Replace("\"IEEPCO\"", "\"CANARY-value-x\"")),
      StatusIs(absl::StatusCode::kInvalidArgument, Not(HasSubstr("CANARY"))));
}

}  // namespace
}  // namespace resguardo::server
