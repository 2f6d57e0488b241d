// Where the CLI connects and with which identity: the config file
// (key = value lines) and the flags that override it.
//
//   # ~/.config/resguardo/cli.conf
//   server      = localhost:8443
//   ca          = /home/ana/resguardo/pki/ca.crt
//   cert        = /home/ana/resguardo/pki/clients/IEEPCO/ana.crt
//   key         = /home/ana/resguardo/pki/clients/IEEPCO/ana.key
//   institution = IEEPCO
//   deadline    = 10s
//   server_name = resguardo.example.org   # optional TLS name override
//
// An unknown key is an error naming its line (a typo must not silently fall
// back to a default); relative paths are relative to the file's folder.
#ifndef RESGUARDO_CLIENTS_CLI_CLI_CONFIG_H_
#define RESGUARDO_CLIENTS_CLI_CLI_CONFIG_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/cli/flag_parser.h"
#include "clients/cli/language.h"

namespace resguardo::cli {

inline constexpr absl::Duration kDefaultDeadline = absl::Seconds(10);

struct CliConfig {
  std::string server;       // host:port
  std::string ca_file;      // PEM roots that signed the node's certificate
  std::string cert_file;    // PEM client certificate chain
  std::string key_file;     // PEM private key of the certificate
  std::string server_name;  // optional TLS name override
  std::string institution;  // the caller's institution id, e.g. IEEPCO
  absl::Duration deadline = kDefaultDeadline;
};

// Reads the environment; injected so that tests fix it.
using GetEnvFn = std::function<const char*(const char*)>;

// Parses a config file's text. `base_dir` resolves relative paths. Errors are
// INVALID_ARGUMENT in `lang`, naming the line number and key.
absl::StatusOr<CliConfig> ParseConfigText(absl::string_view text,
                                          absl::string_view base_dir,
                                          Lang lang);

// A duration such as "10s", "1m30s", "500ms", or a bare number of seconds.
absl::StatusOr<absl::Duration> ParseDeadline(absl::string_view text);

// The config file to read: --config, else $RESGUARDO_CONFIG, else
// $XDG_CONFIG_HOME/resguardo/cli.conf, else ~/.config/resguardo/cli.conf.
// `explicit_choice` says whether the user named it (then it must exist).
struct ConfigLocation {
  std::string path;
  bool explicit_choice = false;
};
std::optional<ConfigLocation> LocateConfig(const ParsedFlags& flags,
                                           const GetEnvFn& getenv);

// The file (if any), overridden by --server, --ca, --cert, --key,
// --server-name, --institution and --deadline.
absl::StatusOr<CliConfig> ResolveConfig(const ParsedFlags& flags,
                                        const GetEnvFn& getenv, Lang lang);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_CLI_CONFIG_H_
