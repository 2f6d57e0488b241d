// Loading the node's configuration: a text-format NodeConfig
// (proto/resguardo/config/v1/node_config.proto).
//
//   ASSIGN_OR_RETURN(config::v1::NodeConfig config,
//                    server::LoadNodeConfig("/etc/resguardo/node.textproto"));
//
// Two passes, both of which stop start-up:
//   1. Syntax, against the message type: an unknown field, a value of the
//      wrong type, an unknown enum name, a field given twice. The message
//      names the file, line and column, and the field as the parser saw it.
//   2. Meaning: required fields present, paths non-empty, the listen port in
//      1–65535, identifiers well formed, every limit in its documented range.
//      Every problem is reported, each naming its field path
//      ("limits.max_deadline_ms: ...").
// The returned config has every unset limit filled with its default and
// every relative path made relative to the configuration file's folder, so
// that callers read values without re-applying either rule.
//
// Messages never contain a key: the file holds only the key file's path.
// Pure functions over their inputs (LoadNodeConfig reads one file);
// thread-safe.
#ifndef RESGUARDO_SERVICES_SERVER_CONFIG_LOADER_H_
#define RESGUARDO_SERVICES_SERVER_CONFIG_LOADER_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace resguardo::config::v1 {
class NodeConfig;
}  // namespace resguardo::config::v1

namespace resguardo::server {

// The database file inside NodeConfig.data_dir.
inline constexpr absl::string_view kDatabaseFileName = "resguardo.db";
// The key set file (crypto/key_set.h) beside it.
inline constexpr absl::string_view kKeySetFileName = "resguardo.keys";

// Reads and checks the configuration file at `path`.
// Errors: NOT_FOUND / PERMISSION_DENIED when the file cannot be read;
// INVALID_ARGUMENT for a syntax or meaning error (see above).
absl::StatusOr<config::v1::NodeConfig> LoadNodeConfig(const std::string& path);

// As LoadNodeConfig, for text already read. `source` names the text in
// messages (usually the file path); relative paths are resolved against
// `base_dir` (left as they are when it is empty).
absl::StatusOr<config::v1::NodeConfig> ParseNodeConfig(
    absl::string_view text, absl::string_view source,
    absl::string_view base_dir);

// The meaning checks alone (pass 2) on a parsed config; OK or
// INVALID_ARGUMENT listing every problem, each naming its field path.
absl::Status ValidateNodeConfig(const config::v1::NodeConfig& config);

// Sets every unset limit of `config` to its default.
void ApplyNodeConfigDefaults(config::v1::NodeConfig& config);

// The host and port of a listen address ("127.0.0.1:8443", "[::1]:8443").
struct HostPort {
  std::string host;
  int port = 0;
};
// INVALID_ARGUMENT when `address` is not host:port with a port in 1–65535.
absl::StatusOr<HostPort> ParseListenAddress(absl::string_view address);

// data_dir/resguardo.db.
std::string DatabasePath(const config::v1::NodeConfig& config);
// data_dir/resguardo.keys.
std::string KeySetPath(const config::v1::NodeConfig& config);

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_CONFIG_LOADER_H_
