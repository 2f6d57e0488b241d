#include "bench/https_json_client.h"

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/ssl/context.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "boost/beast/ssl.hpp"
#include "openssl/ssl.h"

namespace resguardo::bench {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// One keep-alive connection and the call it carries (on the io thread).
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(net::io_context& io, net::ssl::context& tls, tcp::endpoint peer,
             std::string host)
      : io_(io), tls_(tls), peer_(peer), host_(std::move(host)) {}

  void Call(const std::string& path, std::string json,
            HttpsJsonClient::Done done) {
    request_ = {http::verb::post, path, 11};
    request_.set(http::field::host, host_);
    request_.set(http::field::content_type, "application/json");
    request_.set("Connect-Protocol-Version", "1");
    request_.keep_alive(true);
    request_.body() = std::move(json);
    request_.prepare_payload();
    done_ = std::move(done);
    // A reused connection the node closed meanwhile fails at once: one
    // retry on a new connection.
    retry_ = stream_ != nullptr;
    if (stream_ == nullptr) return Connect();
    Write();
  }

 private:
  void Connect() {
    stream_ = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(io_, tls_);
    beast::get_lowest_layer(*stream_).async_connect(
        peer_, [self = shared_from_this()](beast::error_code ec) {
          if (ec) return self->Fail("connect: " + ec.message());
          beast::get_lowest_layer(*self->stream_)
              .socket()
              .set_option(tcp::no_delay(true));
          self->stream_->async_handshake(
              net::ssl::stream_base::client, [self](beast::error_code ec) {
                if (ec) return self->Fail("handshake: " + ec.message());
                self->Write();
              });
        });
  }

  void Write() {
    http::async_write(
        *stream_, request_,
        [self = shared_from_this()](beast::error_code ec, size_t) {
          if (ec) return self->Failed("write", ec);
          self->Read();
        });
  }

  void Read() {
    response_.emplace();
    buffer_.clear();
    http::async_read(*stream_, buffer_, *response_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->Failed("read", ec);
                       const bool keep = self->response_->keep_alive();
                       const int status = self->response_->result_int();
                       std::string body = std::move(self->response_->body());
                       if (!keep) self->stream_.reset();
                       HttpsJsonClient::Done done = std::move(self->done_);
                       done(status, std::move(body), "");
                     });
  }

  void Failed(const char* what, beast::error_code ec) {
    stream_.reset();
    if (retry_) {
      retry_ = false;
      return Connect();
    }
    Fail(std::string(what) + ": " + ec.message());
  }

  void Fail(std::string error) {
    stream_.reset();
    HttpsJsonClient::Done done = std::move(done_);
    done(0, "", std::move(error));
  }

  net::io_context& io_;
  net::ssl::context& tls_;
  const tcp::endpoint peer_;
  const std::string host_;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  std::optional<http::response<http::string_body>> response_;
  HttpsJsonClient::Done done_;
  bool retry_ = false;
};

class Client final : public HttpsJsonClient {
 public:
  Client() : tls_(net::ssl::context::tls_client), work_(io_.get_executor()) {}

  ~Client() override {
    work_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }

  bool Init(const std::string& address, const std::string& ca,
            const std::string& cert, const std::string& key, int connections,
            std::string* error) {
    const size_t colon = address.rfind(':');
    if (colon == std::string::npos) {
      *error = "--web takes host:port";
      return false;
    }
    beast::error_code ec;
    const std::string host = address.substr(0, colon);
    const net::ip::address ip =
        net::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
    if (ec) {
      *error = "--web: the host must be an IP address or localhost";
      return false;
    }
    const tcp::endpoint peer(
        ip, static_cast<uint16_t>(std::stoi(address.substr(colon + 1))));
    SSL_CTX_set_min_proto_version(tls_.native_handle(), TLS1_3_VERSION);
    tls_.load_verify_file(ca, ec);
    if (!ec) tls_.use_certificate_chain_file(cert, ec);
    if (!ec) tls_.use_private_key_file(key, net::ssl::context::pem, ec);
    if (ec) {
      *error = "--ca, --cert or --key: " + ec.message();
      return false;
    }
    tls_.set_verify_mode(net::ssl::verify_peer);
    for (int i = 0; i < connections; ++i) {
      connections_.push_back(
          std::make_shared<Connection>(io_, tls_, peer, address));
    }
    thread_ = std::thread([this] { io_.run(); });
    return true;
  }

  void Post(int slot, const std::string& path, std::string json,
            Done done) override {
    std::shared_ptr<Connection> connection =
        connections_[static_cast<size_t>(slot) % connections_.size()];
    net::post(io_, [connection, path, json = std::move(json),
                    done = std::move(done)]() mutable {
      connection->Call(path, std::move(json), std::move(done));
    });
  }

 private:
  net::io_context io_;
  net::ssl::context tls_;
  net::executor_work_guard<net::io_context::executor_type> work_;
  std::vector<std::shared_ptr<Connection>> connections_;
  std::thread thread_;
};

}  // namespace

std::unique_ptr<HttpsJsonClient> HttpsJsonClient::Create(
    const std::string& address, const std::string& ca_file,
    const std::string& cert_file, const std::string& key_file, int connections,
    std::string* error) {
  auto client = std::make_unique<Client>();
  if (!client->Init(address, ca_file, cert_file, key_file, connections,
                    error)) {
    return nullptr;
  }
  return client;
}

}  // namespace resguardo::bench
