#include "clients/cli/connection.h"

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "clients/cli/messages.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace resguardo::cli {
namespace {

// Larger than any case the node accepts (narratives are up to 20,000
// characters; lists up to 500 cases), small enough to refuse a runaway.
constexpr int kMaxReceiveBytes = 16 * 1024 * 1024;

absl::StatusOr<std::string> ReadPem(const std::string& path,
                                    absl::string_view setting, Lang lang) {
  if (path.empty()) {
    return absl::FailedPreconditionError(
        Msg(lang, MsgId::kErrSettingMissing, setting));
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream pem;
  if (in) pem << in.rdbuf();
  if (!in || pem.str().empty()) {
    return absl::FailedPreconditionError(
        Msg(lang, MsgId::kErrFileUnreadable, setting, path));
  }
  return pem.str();
}

}  // namespace

std::string NewRequestId() {
  std::random_device random;
  std::string id;
  for (int i = 0; i < 4; ++i) {
    absl::StrAppendFormat(&id, "%08x", static_cast<uint32_t>(random()));
  }
  return id;
}

absl::StatusOr<std::unique_ptr<Connection>> Connection::New(
    const CliConfig& config, Lang lang) {
  if (config.server.empty()) {
    return absl::FailedPreconditionError(
        Msg(lang, MsgId::kErrSettingMissing, "server (--server)"));
  }
  grpc::SslCredentialsOptions tls;
  absl::StatusOr<std::string> ca = ReadPem(config.ca_file, "ca (--ca)", lang);
  if (!ca.ok()) return ca.status();
  absl::StatusOr<std::string> cert =
      ReadPem(config.cert_file, "cert (--cert)", lang);
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key =
      ReadPem(config.key_file, "key (--key)", lang);
  if (!key.ok()) return key.status();
  tls.pem_root_certs = *std::move(ca);
  tls.pem_cert_chain = *std::move(cert);
  tls.pem_private_key = *std::move(key);

  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(kMaxReceiveBytes);
  // gRPC backs off up to 120 s between connection attempts; after a node's
  // restart `alerts watch` would wait that long to reconnect.
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 5000);
  if (!config.server_name.empty()) {
    args.SetSslTargetNameOverride(config.server_name);
  }
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateCustomChannel(config.server, grpc::SslCredentials(tls), args);
  return std::unique_ptr<Connection>(new Connection(config, channel, lang));
}

std::string Connection::Prepare(grpc::ClientContext* context) const {
  context->set_deadline(std::chrono::system_clock::now() +
                        absl::ToChronoMilliseconds(config_.deadline));
  std::string id = NewRequestId();
  context->AddMetadata("x-request-id", id);
  context->AddMetadata("accept-language", lang_ == Lang::kEn ? "en" : "es");
  return id;
}

}  // namespace resguardo::cli
