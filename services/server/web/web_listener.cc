#include "services/server/web/web_listener.h"

#include <sys/stat.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "base/status_macros.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/ssl/context.hpp"
#include "boost/asio/strand.hpp"
#include "openssl/ssl.h"
#include "services/server/call_log.h"
#include "services/server/config_loader.h"
#include "services/server/method_table.h"
#include "services/server/tls_policy.h"
#include "services/server/web/internal/https_session.h"
#include "services/server/web/request_router.h"
#include "services/server/web/static_files.h"

namespace resguardo::server::web {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// The session ID context OpenSSL needs to resume sessions of a server that
// verifies client certificates.
constexpr unsigned char kSessionContext[] = "resguardo-web";

// A static file larger than this is not served (the web client's build is
// far smaller).
constexpr size_t kMaxStaticFileBytes = size_t{64} << 20;

absl::Status TlsError(absl::string_view field, absl::string_view what) {
  return absl::FailedPreconditionError(absl::StrCat(field, ": ", what));
}

// The TLS context: the node's files, TLS 1.3 only, client certificate
// required and verified.
absl::Status ConfigureTls(const config::v1::TlsConfig& tls,
                          net::ssl::context& context) {
  // The same process-wide floor as gRPC's (tls_policy.h), and this
  // context's own minimum besides.
  RETURN_IF_ERROR(CheckTls13Only());
  SSL_CTX* ctx = context.native_handle();
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) != 1) {
    return TlsError("web", "OpenSSL refused the TLS 1.3 minimum");
  }
  // The key is as private as the master key (as NewServerCredentials).
  struct stat st;
  if (stat(tls.server_key_file().c_str(), &st) == 0 &&
      (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return TlsError("tls.server_key_file",
                    "is open to group or others; chmod 600 it");
  }
  boost::system::error_code ec;
  context.use_certificate_chain_file(tls.server_cert_file(), ec);
  if (ec)
    return TlsError("tls.server_cert_file", "not a PEM certificate chain");
  context.use_private_key_file(tls.server_key_file(), net::ssl::context::pem,
                               ec);
  if (ec) return TlsError("tls.server_key_file", "not a PEM private key");
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return TlsError("tls.server_key_file",
                    "the key does not match the certificate of "
                    "tls.server_cert_file");
  }
  context.load_verify_file(tls.client_ca_file(), ec);
  if (ec) return TlsError("tls.client_ca_file", "not a PEM CA file");
  context.set_verify_mode(net::ssl::verify_peer |
                          net::ssl::verify_fail_if_no_peer_cert);
  SSL_CTX_set_session_id_context(ctx, kSessionContext,
                                 sizeof(kSessionContext) - 1);
  // No session tickets: every connection verifies its certificate anew.
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
  SSL_CTX_set_num_tickets(ctx, 0);
  return absl::OkStatus();
}

class Listener final : public WebListener {
 public:
  Listener(const config::v1::NodeConfig& config, const MethodTable* methods,
           CallLog* log, RequestRouter::Serve metrics)
      : web_(config.web()),
        tls_(net::ssl::context::tls_server),
        files_(web_.static_dir(), kMaxStaticFileBytes),
        router_(methods, log, &files_, web_.max_body_bytes(),
                std::move(metrics)),
        log_(log),
        acceptor_(io_) {
    limits_.max_header_bytes = web_.max_header_bytes();
    limits_.max_body_bytes = web_.max_body_bytes();
    limits_.handshake_timeout_seconds =
        static_cast<int>(web_.handshake_timeout_seconds());
    limits_.read_timeout_seconds =
        static_cast<int>(web_.read_timeout_seconds());
    limits_.idle_timeout_seconds =
        static_cast<int>(web_.idle_timeout_seconds());
    limits_.write_timeout_seconds =
        static_cast<int>(web_.write_timeout_seconds());
    limits_.max_requests_per_connection = web_.max_requests_per_connection();
    // A stream's connection is probed as gRPC's are (node.cc).
    limits_.keepalive_time_seconds =
        static_cast<int>(config.limits().keepalive_time_seconds());
    limits_.keepalive_timeout_seconds =
        static_cast<int>(config.limits().keepalive_timeout_seconds());
  }

  ~Listener() override { Stop(); }

  absl::Status Listen(const config::v1::TlsConfig& tls) {
    RETURN_IF_ERROR(ConfigureTls(tls, tls_));
    absl::StatusOr<HostPort> address =
        ParseListenAddress(web_.listen_address());
    if (!address.ok()) return address.status();
    boost::system::error_code ec;
    std::string host = address->host;
    host = std::string(absl::StripSuffix(absl::StripPrefix(host, "["), "]"));
    const net::ip::address ip = net::ip::make_address(host, ec);
    if (ec) {
      return absl::InvalidArgumentError(
          absl::StrCat("web.listen_address: ", host, " is not an IP address"));
    }
    const tcp::endpoint endpoint(ip, static_cast<uint16_t>(address->port));
    acceptor_.open(endpoint.protocol(), ec);
    // A restarted node binds again at once although the connections the
    // last one closed are still in TIME_WAIT (as gRPC's listener does);
    // another process listening on the port still makes bind fail.
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      return absl::UnavailableError(absl::StrCat(
          "web.listen_address: cannot listen on ", web_.listen_address(),
          " (in use, or not an address "
          "of this host)"));
    }
    port_ = acceptor_.local_endpoint().port();
    Accept();
    for (uint32_t i = 0; i < web_.threads(); ++i) {
      threads_.emplace_back([this] { io_.run(); });
    }
    return absl::OkStatus();
  }

  int port() const override { return port_; }

  void Stop() override {
    if (stopped_.exchange(true)) return;
    net::post(io_, [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
    });
    io_.stop();
    for (std::thread& t : threads_) t.join();
    threads_.clear();
  }

 private:
  void Accept() {
    acceptor_.async_accept(net::make_strand(io_), [this](
                                                      boost::system::error_code
                                                          ec,
                                                      tcp::socket socket) {
      if (ec) {
        if (!acceptor_.is_open()) return;
        return Accept();
      }
      if (open_->fetch_add(1) >= static_cast<int>(web_.max_connections())) {
        // Over the limit: closed at once, before any TLS work.
        open_->fetch_sub(1);
        boost::system::error_code ignored;
        socket.close(ignored);
        log_->Event("web_connection_refused", {{"reason", "max_connections"}});
      } else {
        internal::StartHttpsSession(std::move(socket), tls_, limits_, &router_,
                                    open_);
      }
      Accept();
    });
  }

  const config::v1::WebConfig web_;
  // Destroyed after io_ (declared before it): the sessions io_ still holds
  // use them.
  net::ssl::context tls_;
  StaticFiles files_;
  RequestRouter router_;
  CallLog* const log_;
  internal::SessionLimits limits_;
  std::shared_ptr<std::atomic<int>> open_ =
      std::make_shared<std::atomic<int>>(0);
  net::io_context io_;
  tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
  int port_ = 0;
  std::atomic<bool> stopped_{false};
};

}  // namespace

absl::StatusOr<std::unique_ptr<WebListener>> WebListener::Start(
    const config::v1::NodeConfig& config, const MethodTable* methods,
    CallLog* log, std::function<void(std::unique_ptr<CallContext>)> metrics) {
  auto listener =
      std::make_unique<Listener>(config, methods, log, std::move(metrics));
  RETURN_IF_ERROR(listener->Listen(config.tls()));
  return listener;
}

}  // namespace resguardo::server::web
