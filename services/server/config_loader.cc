#include "services/server/config_loader.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "resguardo/config/v1/node_config.pb.h"
#include "services/api/resource_names.h"
#include "services/referrals/deadline_policy.h"

namespace resguardo::server {
namespace {

using config::v1::Limits;
using config::v1::NodeConfig;

// The field whose value starts near `column` of `line`: the identifier before
// the last ':' left of the column ("  max_x: -1" -> "max_x"). Empty if none.
std::string FieldNameNear(absl::string_view line, int column) {
  size_t end = std::min<size_t>(line.size(), column + 1);
  size_t colon = line.substr(0, end).rfind(':');
  if (colon == absl::string_view::npos) return "";
  size_t stop = colon;
  while (stop > 0 && line[stop - 1] == ' ') --stop;
  size_t start = stop;
  while (start > 0 &&
         (absl::ascii_isalnum(line[start - 1]) || line[start - 1] == '_')) {
    --start;
  }
  return std::string(line.substr(start, stop - start));
}

// Collects the parser's errors as "source:line:column: message" (1-based).
// The parser names the field for unknown fields and enum values, not for a
// value of the wrong type ("Expected integer, got: -"), so the field written
// on that line is added when the message lacks it.
class CollectingErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  CollectingErrorCollector(absl::string_view source, absl::string_view text)
      : source_(source), lines_(absl::StrSplit(text, '\n')) {}

  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    std::string error =
        absl::StrCat(source_, ":", line + 1, ":", column + 1, ": ", message);
    if (line >= 0 && static_cast<size_t>(line) < lines_.size()) {
      std::string field = FieldNameNear(lines_[line], column);
      if (!field.empty() &&
          !absl::StrContains(message, absl::StrCat("\"", field, "\""))) {
        absl::StrAppend(&error, " (field \"", field, "\")");
      }
    }
    errors_.push_back(std::move(error));
  }
  void AddWarning(int line, google::protobuf::io::ColumnNumber column,
                  const std::string& message) override {
    // A warning (e.g. a deprecated field) is an error too: the configuration
    // must say exactly what it means.
    AddError(line, column, message);
  }

  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::string source_;
  std::vector<absl::string_view> lines_;
  std::vector<std::string> errors_;
};

// One numeric limit: its field, range and default. The table is the single
// place where ranges and defaults live; the .proto documents the same.
struct LimitRule {
  const char* field;
  bool (Limits::*has)() const;
  uint32_t (Limits::*get)() const;
  void (Limits::*set)(uint32_t);
  uint32_t min;
  uint32_t max;
  uint32_t default_value;
};

constexpr uint32_t kKiB = 1024;
constexpr uint32_t kMiB = 1024 * kKiB;

constexpr uint32_t kDefaultCheckpointEveryEntries = 1000;
constexpr uint32_t kDefaultCheckpointEverySeconds = 60;
constexpr uint32_t kDefaultMinForcedCheckpointIntervalMs = 1000;
constexpr uint32_t kDefaultRewrapBatchSize = 200;

// The same for the web listener's limits (WebConfig).
using config::v1::WebConfig;
struct WebLimitRule {
  const char* field;
  bool (WebConfig::*has)() const;
  uint32_t (WebConfig::*get)() const;
  void (WebConfig::*set)(uint32_t);
  uint32_t min;
  uint32_t max;
  uint32_t default_value;  // 0: see ApplyNodeConfigDefaults
};

const WebLimitRule kWebLimitRules[] = {
    {"threads", &WebConfig::has_threads, &WebConfig::threads,
     &WebConfig::set_threads, 1, 64, 2},
    {"max_connections", &WebConfig::has_max_connections,
     &WebConfig::max_connections, &WebConfig::set_max_connections, 1, 100000,
     1000},
    {"max_header_bytes", &WebConfig::has_max_header_bytes,
     &WebConfig::max_header_bytes, &WebConfig::set_max_header_bytes, 1024,
     64 * 1024, 16 * 1024},
    {"max_body_bytes", &WebConfig::has_max_body_bytes,
     &WebConfig::max_body_bytes, &WebConfig::set_max_body_bytes, 1024,
     64 * 1024 * 1024, 0},
    {"handshake_timeout_seconds", &WebConfig::has_handshake_timeout_seconds,
     &WebConfig::handshake_timeout_seconds,
     &WebConfig::set_handshake_timeout_seconds, 1, 120, 10},
    {"read_timeout_seconds", &WebConfig::has_read_timeout_seconds,
     &WebConfig::read_timeout_seconds, &WebConfig::set_read_timeout_seconds, 1,
     300, 30},
    {"idle_timeout_seconds", &WebConfig::has_idle_timeout_seconds,
     &WebConfig::idle_timeout_seconds, &WebConfig::set_idle_timeout_seconds, 1,
     3600, 60},
    {"write_timeout_seconds", &WebConfig::has_write_timeout_seconds,
     &WebConfig::write_timeout_seconds, &WebConfig::set_write_timeout_seconds,
     1, 300, 30},
    {"max_requests_per_connection", &WebConfig::has_max_requests_per_connection,
     &WebConfig::max_requests_per_connection,
     &WebConfig::set_max_requests_per_connection, 1, 100000, 1000},
};

const LimitRule kLimitRules[] = {
    {"max_receive_message_bytes", &Limits::has_max_receive_message_bytes,
     &Limits::max_receive_message_bytes, &Limits::set_max_receive_message_bytes,
     kKiB, 64 * kMiB, 4 * kMiB},
    {"max_concurrent_streams", &Limits::has_max_concurrent_streams,
     &Limits::max_concurrent_streams, &Limits::set_max_concurrent_streams, 1,
     10000, 100},
    {"handshake_timeout_seconds", &Limits::has_handshake_timeout_seconds,
     &Limits::handshake_timeout_seconds, &Limits::set_handshake_timeout_seconds,
     1, 120, 10},
    {"keepalive_time_seconds", &Limits::has_keepalive_time_seconds,
     &Limits::keepalive_time_seconds, &Limits::set_keepalive_time_seconds, 10,
     86400, 7200},
    {"keepalive_timeout_seconds", &Limits::has_keepalive_timeout_seconds,
     &Limits::keepalive_timeout_seconds, &Limits::set_keepalive_timeout_seconds,
     1, 600, 20},
    {"min_client_ping_interval_seconds",
     &Limits::has_min_client_ping_interval_seconds,
     &Limits::min_client_ping_interval_seconds,
     &Limits::set_min_client_ping_interval_seconds, 1, 3600, 60},
    {"default_deadline_ms", &Limits::has_default_deadline_ms,
     &Limits::default_deadline_ms, &Limits::set_default_deadline_ms, 1,
     3600 * 1000, 30 * 1000},
    {"max_deadline_ms", &Limits::has_max_deadline_ms, &Limits::max_deadline_ms,
     &Limits::set_max_deadline_ms, 1, 3600 * 1000, 120 * 1000},
    {"shutdown_grace_seconds", &Limits::has_shutdown_grace_seconds,
     &Limits::shutdown_grace_seconds, &Limits::set_shutdown_grace_seconds, 0,
     600, 20},
    {"worker_threads", &Limits::has_worker_threads, &Limits::worker_threads,
     &Limits::set_worker_threads, 1, 1024, 64},
    {"max_queued_calls", &Limits::has_max_queued_calls,
     &Limits::max_queued_calls, &Limits::set_max_queued_calls, 1, 1000000,
     10000},
    {"max_streams", &Limits::has_max_streams, &Limits::max_streams,
     &Limits::set_max_streams, 1, 100000, 1000},
    {"max_streams_per_user", &Limits::has_max_streams_per_user,
     &Limits::max_streams_per_user, &Limits::set_max_streams_per_user, 1, 1000,
     4},
    {"max_health_watches", &Limits::has_max_health_watches,
     &Limits::max_health_watches, &Limits::set_max_health_watches, 1, 10000,
     100},
};

bool IsValidTrustDomain(absl::string_view domain) {
  if (domain.empty() || domain.size() > 255) return false;
  for (char c : domain) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '.' ||
          c == '-' || c == '_')) {
      return false;
    }
  }
  return true;
}

bool IsValidStateCode(absl::string_view code) {
  // INEGI state codes: "01" to "32".
  int value = 0;
  return code.size() == 2 && absl::ascii_isdigit(code[0]) &&
         absl::ascii_isdigit(code[1]) && absl::SimpleAtoi(code, &value) &&
         value >= 1 && value <= 32;
}

void ResolvePath(absl::string_view base_dir, std::string* path) {
  if (base_dir.empty() || path->empty() || absl::StartsWith(*path, "/")) {
    return;
  }
  *path =
      absl::StrCat(base_dir, absl::EndsWith(base_dir, "/") ? "" : "/", *path);
}

}  // namespace

absl::StatusOr<HostPort> ParseListenAddress(absl::string_view address) {
  size_t colon = address.rfind(':');
  if (colon == absl::string_view::npos || colon == 0) {
    return absl::InvalidArgumentError(
        "must be host:port, e.g. 127.0.0.1:8443 or [::1]:8443");
  }
  absl::string_view host = address.substr(0, colon);
  absl::string_view port_text = address.substr(colon + 1);
  if (absl::StartsWith(host, "[")) {
    if (!absl::EndsWith(host, "]") || host.size() < 3) {
      return absl::InvalidArgumentError(
          "an IPv6 address goes in brackets: [::1]:8443");
    }
  } else if (absl::StrContains(host, ':')) {
    return absl::InvalidArgumentError(
        "an IPv6 address goes in brackets: [::1]:8443");
  }
  int port = 0;
  if (port_text.empty() || port_text.size() > 5 ||
      !std::all_of(port_text.begin(), port_text.end(),
                   [](char c) { return absl::ascii_isdigit(c); }) ||
      !absl::SimpleAtoi(port_text, &port) || port < 1 || port > 65535) {
    return absl::InvalidArgumentError("the port must be 1-65535");
  }
  return HostPort{std::string(host), port};
}

void ApplyNodeConfigDefaults(NodeConfig& config) {
  Limits* limits = config.mutable_limits();
  for (const LimitRule& rule : kLimitRules) {
    if (!(limits->*rule.has)()) (limits->*rule.set)(rule.default_value);
  }
  if (config.has_web()) {
    WebConfig* web = config.mutable_web();
    for (const WebLimitRule& rule : kWebLimitRules) {
      if ((web->*rule.has)()) continue;
      (web->*rule.set)(rule.default_value != 0
                           ? rule.default_value
                           : limits->max_receive_message_bytes());
    }
  }
  config::v1::StatsConfig* statistics = config.mutable_statistics();
  if (!statistics->has_k()) statistics->set_k(5);
  if (!statistics->has_epsilon_budget_per_period()) {
    statistics->set_epsilon_budget_per_period(1.0);
  }
  if (statistics->release_period() == config::v1::RELEASE_PERIOD_UNSPECIFIED) {
    statistics->set_release_period(config::v1::RELEASE_PERIOD_QUARTER);
  }
  config::v1::AuditConfig* audit = config.mutable_audit();
  if (!audit->has_checkpoint_every_entries()) {
    audit->set_checkpoint_every_entries(kDefaultCheckpointEveryEntries);
  }
  if (!audit->has_checkpoint_every_seconds()) {
    audit->set_checkpoint_every_seconds(kDefaultCheckpointEverySeconds);
  }
  if (!audit->has_min_forced_checkpoint_interval_ms()) {
    audit->set_min_forced_checkpoint_interval_ms(
        kDefaultMinForcedCheckpointIntervalMs);
  }
  config::v1::KeyRotationConfig* rotation = config.mutable_key_rotation();
  if (!rotation->has_rewrap_batch_size()) {
    rotation->set_rewrap_batch_size(kDefaultRewrapBatchSize);
  }
  if (!rotation->has_rewrap_pause_ms()) rotation->set_rewrap_pause_ms(0);
}

absl::Status ValidateNodeConfig(const NodeConfig& config) {
  std::vector<std::string> problems;
  auto problem = [&problems](absl::string_view field, absl::string_view what) {
    problems.push_back(absl::StrCat(field, ": ", what));
  };
  auto required = [&problem](absl::string_view field,
                             const std::string& value) {
    if (value.empty()) problem(field, "required, and empty or missing");
  };

  if (config.listen_address().empty()) {
    problem("listen_address", "required, and empty or missing");
  } else if (absl::StatusOr<HostPort> hp =
                 ParseListenAddress(config.listen_address());
             !hp.ok()) {
    problem("listen_address", hp.status().message());
  }
  if (!config.has_tls()) {
    problem("tls",
            "required (server_cert_file, server_key_file, "
            "client_ca_file): the node serves only mTLS");
  } else {
    required("tls.server_cert_file", config.tls().server_cert_file());
    required("tls.server_key_file", config.tls().server_key_file());
    required("tls.client_ca_file", config.tls().client_ca_file());
  }
  required("data_dir", config.data_dir());
  if (!config.has_master_key()) {
    problem("master_key", "required (key_file)");
  } else {
    required("master_key.key_file", config.master_key().key_file());
  }
  if (config.trust_domain().empty()) {
    problem("trust_domain", "required, and empty or missing");
  } else if (!IsValidTrustDomain(config.trust_domain())) {
    problem("trust_domain",
            "lower-case letters, digits, '.', '-' and '_' only, e.g. "
            "resguardo.local");
  }
  if (!config.has_operator_institution()) {
    problem("operator_institution",
            "required (institution_id, display_name, kind, "
            "first_admin_user_id)");
  } else {
    const config::v1::OperatorConfig& op = config.operator_institution();
    if (!api::IsValidInstitutionId(op.institution_id())) {
      problem("operator_institution.institution_id",
              "2-32 characters A-Z, 0-9 and '-', starting with a letter");
    }
    if (op.display_name().empty() || op.display_name().size() > 200) {
      problem("operator_institution.display_name", "1-200 characters");
    }
    if (op.kind() == v1::INSTITUTION_KIND_UNSPECIFIED) {
      problem("operator_institution.kind",
              "required, e.g. INSTITUTION_KIND_ELECTORAL_INSTITUTE");
    }
    if (!op.state_code().empty() && !IsValidStateCode(op.state_code())) {
      problem("operator_institution.state_code",
              "an INEGI state code \"01\"-\"32\", or empty for a federal "
              "institution");
    }
    if (!api::IsValidUserId(op.first_admin_user_id())) {
      problem("operator_institution.first_admin_user_id",
              "1-63 characters a-z, 0-9, '.', '_' and '-', starting with a "
              "letter or digit");
    }
  }
  const Limits& limits = config.limits();
  for (const LimitRule& rule : kLimitRules) {
    if (!(limits.*rule.has)()) continue;
    uint32_t value = (limits.*rule.get)();
    if (value < rule.min || value > rule.max) {
      problem(absl::StrCat("limits.", rule.field),
              absl::StrCat("must be ", rule.min, "-", rule.max, " (default ",
                           rule.default_value, ")"));
    }
  }
  if (config.has_web()) {
    const WebConfig& web = config.web();
    if (web.listen_address().empty()) {
      problem("web.listen_address", "required, and empty or missing");
    } else if (absl::StatusOr<HostPort> hp =
                   ParseListenAddress(web.listen_address());
               !hp.ok()) {
      problem("web.listen_address", hp.status().message());
    } else if (web.listen_address() == config.listen_address()) {
      problem("web.listen_address", "must differ from listen_address");
    }
    for (const WebLimitRule& rule : kWebLimitRules) {
      if (!(web.*rule.has)()) continue;
      uint32_t value = (web.*rule.get)();
      if (value < rule.min || value > rule.max) {
        problem(absl::StrCat("web.", rule.field),
                absl::StrCat("must be ", rule.min, "-", rule.max));
      }
    }
  }
  uint32_t default_deadline = limits.has_default_deadline_ms()
                                  ? limits.default_deadline_ms()
                                  : 30 * 1000;
  uint32_t max_deadline =
      limits.has_max_deadline_ms() ? limits.max_deadline_ms() : 120 * 1000;
  if (max_deadline < default_deadline) {
    problem("limits.max_deadline_ms",
            "must be at least limits.default_deadline_ms");
  }
  if (config.audit().has_checkpoint_every_entries() &&
      (config.audit().checkpoint_every_entries() < 1 ||
       config.audit().checkpoint_every_entries() > 10000000)) {
    problem("audit.checkpoint_every_entries",
            absl::StrCat("must be 1-10000000 (default ",
                         kDefaultCheckpointEveryEntries, ")"));
  }
  if (config.audit().has_checkpoint_every_seconds() &&
      (config.audit().checkpoint_every_seconds() < 1 ||
       config.audit().checkpoint_every_seconds() > 86400)) {
    problem("audit.checkpoint_every_seconds",
            absl::StrCat("must be 1-86400 (default ",
                         kDefaultCheckpointEverySeconds, ")"));
  }
  if (limits.has_max_streams_per_user() && limits.has_max_streams() &&
      limits.max_streams_per_user() > limits.max_streams()) {
    problem("limits.max_streams_per_user",
            "must not exceed limits.max_streams");
  }
  if (config.audit().min_forced_checkpoint_interval_ms() > 3600 * 1000) {
    problem("audit.min_forced_checkpoint_interval_ms",
            absl::StrCat("must be 0-3600000 (default ",
                         kDefaultMinForcedCheckpointIntervalMs, ")"));
  }
  if (config.key_rotation().has_rewrap_batch_size() &&
      (config.key_rotation().rewrap_batch_size() < 1 ||
       config.key_rotation().rewrap_batch_size() > 10000)) {
    problem("key_rotation.rewrap_batch_size",
            absl::StrCat("must be 1-10000 (default ", kDefaultRewrapBatchSize,
                         ")"));
  }
  if (config.key_rotation().rewrap_pause_ms() > 60000) {
    problem("key_rotation.rewrap_pause_ms", "must be 0-60000 (default 0)");
  }
  if (absl::StatusOr<referrals::DeadlinePolicy> deadlines =
          referrals::DeadlinePolicy::FromConfig(config.referrals());
      !deadlines.ok()) {
    // The message is "referrals.<field>: <what>".
    std::pair<std::string, std::string> parts =
        absl::StrSplit(deadlines.status().message(), absl::MaxSplits(": ", 1));
    problem(parts.first, parts.second);
  }
  if (config.statistics().has_k() &&
      (config.statistics().k() < 3 || config.statistics().k() > 1000)) {
    problem("statistics.k",
            "must be 3-1000 (default 5): a smaller threshold lets a "
            "published count single out a woman");
  }
  if (config.statistics().has_epsilon_budget_per_period() &&
      !(config.statistics().epsilon_budget_per_period() >= 0.01 &&
        config.statistics().epsilon_budget_per_period() <= 100)) {
    problem("statistics.epsilon_budget_per_period",
            "must be 0.01-100 (default 1.0)");
  }
  if (!config::v1::ReleasePeriod_IsValid(
          config.statistics().release_period())) {
    problem("statistics.release_period",
            "RELEASE_PERIOD_MONTH, RELEASE_PERIOD_QUARTER or "
            "RELEASE_PERIOD_YEAR");
  }
  if (!config::v1::LogFormat_IsValid(config.log().format())) {
    problem("log.format", "LOG_FORMAT_JSON or LOG_FORMAT_TEXT");
  }

  if (problems.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("invalid configuration: ", absl::StrJoin(problems, "; ")));
}

absl::StatusOr<NodeConfig> ParseNodeConfig(absl::string_view text,
                                           absl::string_view source,
                                           absl::string_view base_dir) {
  NodeConfig config;
  CollectingErrorCollector errors(source, text);
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  parser.AllowUnknownField(false);
  parser.AllowUnknownExtension(false);
  parser.AllowFieldNumber(false);
  if (!parser.ParseFromString(std::string(text), &config) ||
      !errors.errors().empty()) {
    if (errors.errors().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ": not a valid NodeConfig text proto"));
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid configuration: ", absl::StrJoin(errors.errors(), "; ")));
  }
  absl::Status valid = ValidateNodeConfig(config);
  if (!valid.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": ", valid.message()));
  }
  ApplyNodeConfigDefaults(config);
  ResolvePath(base_dir, config.mutable_tls()->mutable_server_cert_file());
  ResolvePath(base_dir, config.mutable_tls()->mutable_server_key_file());
  ResolvePath(base_dir, config.mutable_tls()->mutable_client_ca_file());
  ResolvePath(base_dir, config.mutable_data_dir());
  ResolvePath(base_dir, config.mutable_master_key()->mutable_key_file());
  if (config.has_web() && !config.web().static_dir().empty()) {
    ResolvePath(base_dir, config.mutable_web()->mutable_static_dir());
  }
  return config;
}

absl::StatusOr<NodeConfig> LoadNodeConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int error = errno;
    std::string message = absl::StrCat("cannot read configuration file ", path,
                                       ": ", std::strerror(error));
    if (error == EACCES) return absl::PermissionDeniedError(message);
    return absl::NotFoundError(message);
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string base_dir = ".";
  if (size_t slash = path.rfind('/'); slash != std::string::npos) {
    base_dir = slash == 0 ? "/" : path.substr(0, slash);
  }
  return ParseNodeConfig(text.str(), path, base_dir);
}

std::string DatabasePath(const NodeConfig& config) {
  return absl::StrCat(config.data_dir(), "/", kDatabaseFileName);
}

std::string KeySetPath(const NodeConfig& config) {
  return absl::StrCat(config.data_dir(), "/", kKeySetFileName);
}

}  // namespace resguardo::server
