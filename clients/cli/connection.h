// The mTLS channel to a node, and the per-call context every RPC gets: a
// deadline, an x-request-id that the node writes to its log, so that an
// operator can find a failed call without the user quoting any case data,
// and the user's language as accept-language, so that the node's error
// texts come in it.
#ifndef RESGUARDO_CLIENTS_CLI_CONNECTION_H_
#define RESGUARDO_CLIENTS_CLI_CONNECTION_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clients/cli/cli_config.h"
#include "clients/cli/language.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"

namespace resguardo::cli {

// 32 lowercase hex digits from the system's random source.
std::string NewRequestId();

// Thread-compatible; the channel itself is thread-safe.
class Connection {
 public:
  // Reads the CA, certificate and key files and builds the channel (gRPC
  // connects lazily, on the first call). FAILED_PRECONDITION in `lang` when
  // a setting is missing or a file cannot be read; the message names the
  // setting and file, never the file's content.
  static absl::StatusOr<std::unique_ptr<Connection>> New(
      const CliConfig& config, Lang lang);

  // Sets the deadline, a fresh x-request-id and the accept-language of the
  // connection's language on `context`; returns the id.
  std::string Prepare(grpc::ClientContext* context) const;

  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  const CliConfig& config() const { return config_; }

 private:
  Connection(CliConfig config, std::shared_ptr<grpc::Channel> channel,
             Lang lang)
      : config_(std::move(config)), channel_(std::move(channel)), lang_(lang) {}

  CliConfig config_;
  std::shared_ptr<grpc::Channel> channel_;
  Lang lang_;
};

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_CONNECTION_H_
