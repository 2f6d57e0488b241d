#include "services/server/web/internal/https_session.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <array>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "boost/asio/dispatch.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/ssl/stream.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "boost/beast/ssl.hpp"
#include "openssl/ssl.h"
#include "openssl/x509v3.h"

namespace resguardo::server::web::internal {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// Headers on every answer of the listener (browser defences).
template <typename Body>
void AddSecurityHeaders(http::response<Body>& response) {
  response.set(http::field::cache_control, "no-store");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "no-referrer");
  response.set(http::field::strict_transport_security,
               "max-age=63072000; includeSubDomains");
}

// The verified peer of `ssl`: its certificate's URI SANs, as gRPC reads
// them (peer_spiffe_id is set when there is exactly one URI SAN and it is
// a spiffe:// URI).
VerifiedPeer PeerOf(SSL* ssl) {
  VerifiedPeer peer;
  X509* cert = SSL_get0_peer_certificate(ssl);
  if (cert == nullptr || SSL_get_verify_result(ssl) != X509_V_OK) return peer;
  peer.authenticated = true;
  GENERAL_NAMES* names = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) return peer;
  std::vector<std::string> uris;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type != GEN_URI) continue;
    const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
    uris.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                      static_cast<size_t>(ASN1_STRING_length(uri)));
  }
  GENERAL_NAMES_free(names);
  if (uris.size() == 1 && absl::StartsWithIgnoreCase(uris[0], "spiffe://")) {
    peer.spiffe_ids = std::move(uris);
  }
  return peer;
}

class Session;

// What the router answers through: the session, kept alive until answered.
class SessionResponder final : public Responder {
 public:
  SessionResponder(std::shared_ptr<Session> session, const VerifiedPeer& peer,
                   bool keep_alive, unsigned version)
      : session_(std::move(session)),
        peer_(peer),
        keep_alive_(keep_alive),
        version_(version) {}
  const VerifiedPeer& peer() const override { return peer_; }
  bool closed() const override;
  void Respond(HttpResponse response) override;
  void StartStream(HttpResponse head, absl::AnyInvocable<void()> gone) override;
  void Send(std::string bytes,
            absl::AnyInvocable<void(bool ok)> written) override;
  void EndStream(std::string bytes) override;

 private:
  std::shared_ptr<Session> session_;
  const VerifiedPeer peer_;
  const bool keep_alive_;
  const unsigned version_;
};

class Session final : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, net::ssl::context& tls,
          const SessionLimits& limits, const RequestRouter* router,
          std::shared_ptr<std::atomic<int>> open)
      : stream_(std::move(socket), tls),
        limits_(limits),
        router_(router),
        open_(std::move(open)) {}

  ~Session() { open_->fetch_sub(1); }

  void Run() {
    net::dispatch(stream_.get_executor(),
                  [self = shared_from_this()] { self->Handshake(); });
  }

  bool closed() const { return closed_.load(); }

  // From any thread: writes the answer on the strand.
  void Respond(HttpResponse response, bool keep_alive, unsigned version) {
    net::post(stream_.get_executor(),
              [self = shared_from_this(), response = std::move(response),
               keep_alive, version]() mutable {
                self->Write(std::move(response), keep_alive, version);
              });
  }

  // From any thread, in this order: a streamed answer (http_exchange.h).
  void StartStream(HttpResponse head, absl::AnyInvocable<void()> gone,
                   unsigned version) {
    net::post(stream_.get_executor(),
              [self = shared_from_this(), head = std::move(head),
               gone = std::move(gone), version]() mutable {
                self->BeginStream(std::move(head), std::move(gone), version);
              });
  }
  void Send(std::string bytes, absl::AnyInvocable<void(bool)> written,
            bool last) {
    net::post(stream_.get_executor(),
              [self = shared_from_this(), bytes = std::move(bytes),
               written = std::move(written), last]() mutable {
                if (last) self->gone_ = nullptr;  // it ends as it wished
                self->out_.push_back(
                    Outgoing{std::move(bytes), std::move(written), last});
                self->WriteNextPart();
              });
  }

 private:
  void Handshake() {
    beast::get_lowest_layer(stream_).expires_after(
        std::chrono::seconds(limits_.handshake_timeout_seconds));
    stream_.async_handshake(net::ssl::stream_base::server,
                            [self = shared_from_this()](beast::error_code ec) {
                              if (ec) return self->Close();
                              self->peer_ =
                                  PeerOf(self->stream_.native_handle());
                              self->ReadHeader();
                            });
  }

  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(limits_.max_header_bytes));
    // A body up to twice the limit is read (and dropped when over the
    // limit, so that the client, still sending it, reads the call core's
    // refusal); a larger one is refused as soon as its header says so.
    parser_->body_limit(2 * uint64_t{limits_.max_body_bytes});
    // The first request must come within the read timeout, later ones
    // within the idle timeout; then its header and body within the read
    // timeout.
    beast::get_lowest_layer(stream_).expires_after(
        std::chrono::seconds(requests_ == 0 ? limits_.read_timeout_seconds
                                            : limits_.idle_timeout_seconds));
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) {
          self->OnHeader(ec);
        });
  }

  // The Accept-Language header of the request being read ("" if none).
  std::string AcceptLanguage() const {
    const auto& header = parser_->get();
    auto it = header.find(http::field::accept_language);
    if (it == header.end()) return "";
    return std::string(it->value());
  }

  void OnHeader(beast::error_code ec) {
    if (ec == http::error::header_limit) {
      return Answer(StatusOnly(431), /*keep_alive=*/false, 11);
    }
    if (ec == http::error::body_limit) {
      // Content-Length over twice the limit: refused at the transport
      // (logged, not audited), as gRPC does beyond twice its limit.
      return router_->RefuseTooLarge(
          std::make_shared<SessionResponder>(shared_from_this(), peer_,
                                             /*keep_alive=*/false, 11),
          AcceptLanguage());
    }
    if (ec) return Close();
    ++requests_;
    received_ = absl::Now();
    beast::get_lowest_layer(stream_).expires_after(
        std::chrono::seconds(limits_.read_timeout_seconds));
    const auto& header = parser_->get();
    too_large_ = header.has_content_length() &&
                 parser_->content_length().value_or(0) > limits_.max_body_bytes;
    // Over the limit: read and dropped; the call core refuses it
    // (resource_exhausted, audited) and the connection closes after.
    if (too_large_) declared_ = *parser_->content_length();
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec == http::error::body_limit) {
                         // A chunked body over twice the limit.
                         return self->router_->RefuseTooLarge(
                             std::make_shared<SessionResponder>(
                                 self, self->peer_, false, 11),
                             self->AcceptLanguage());
                       }
                       if (ec) return self->Close();
                       self->Dispatch();
                     });
  }

  static HttpResponse StatusOnly(int status) {
    HttpResponse response;
    response.status = status;
    response.close = true;
    return response;
  }

  void Dispatch() {
    // While the call runs nothing is read: no timer on the connection (the
    // call has its own deadline).
    beast::get_lowest_layer(stream_).expires_never();
    http::request<http::string_body> message = parser_->release();
    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    for (const auto& field : message) {
      request.headers.emplace(
          absl::AsciiStrToLower(std::string(field.name_string())),
          std::string(field.value()));
    }
    request.body_too_large = too_large_;
    request.declared_body_bytes = declared_;
    if (!too_large_) request.body = std::move(message.body());
    request.received = received_;
    const bool keep_alive = message.keep_alive() && !too_large_ &&
                            requests_ < limits_.max_requests_per_connection;
    router_->Handle(std::move(request), std::make_shared<SessionResponder>(
                                            shared_from_this(), peer_,
                                            keep_alive, message.version()));
  }

  void Answer(HttpResponse response, bool keep_alive, unsigned version) {
    Write(std::move(response), keep_alive, version);
  }

  void Write(HttpResponse response, bool keep_alive, unsigned version) {
    if (closed_.load()) return;
    auto message = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(response.status), version);
    for (auto& [name, value] : response.headers) message->set(name, value);
    AddSecurityHeaders(*message);
    message->body() = std::move(response.body);
    message->keep_alive(keep_alive && !response.close);
    message->prepare_payload();
    beast::get_lowest_layer(stream_).expires_after(
        std::chrono::seconds(limits_.write_timeout_seconds));
    http::async_write(
        stream_, *message,
        [self = shared_from_this(), message](beast::error_code ec, size_t) {
          if (ec) return self->Close();
          if (!message->keep_alive()) return self->Shutdown();
          self->ReadHeader();
        });
  }

  // One part of a streamed answer, written in turn.
  struct Outgoing {
    std::string bytes;
    absl::AnyInvocable<void(bool)> written;
    bool last = false;
  };

  void BeginStream(HttpResponse head, absl::AnyInvocable<void()> gone,
                   unsigned version) {
    gone_ = std::move(gone);
    if (closed_.load()) return StreamGone();
    // A quiet stream is healthy: no read or idle timeout, but the kernel
    // probes the connection as gRPC pings its own.
    const int fd = beast::get_lowest_layer(stream_).socket().native_handle();
    const int on = 1;
    const int idle = limits_.keepalive_time_seconds;
    const int interval = limits_.keepalive_timeout_seconds;
    const int probes = 1;
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof(interval));
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &probes, sizeof(probes));
    stream_head_.emplace(static_cast<http::status>(head.status), version);
    for (auto& [name, value] : head.headers) stream_head_->set(name, value);
    AddSecurityHeaders(*stream_head_);
    stream_head_->keep_alive(false);
    stream_head_->chunked(true);
    stream_serializer_.emplace(*stream_head_);
    beast::get_lowest_layer(stream_).expires_never();
    Watch();
    // Only the write's timer (the read's is pending, and never expires).
    beast::get_lowest_layer(stream_).expires_after(
        std::chrono::seconds(limits_.write_timeout_seconds));
    writing_part_ = true;
    http::async_write_header(
        stream_, *stream_serializer_,
        [self = shared_from_this()](beast::error_code ec, size_t) {
          self->writing_part_ = false;
          if (ec) return self->StreamGone();
          self->WriteNextPart();
        });
  }

  // Reads the connection while a stream is open, only to learn that the
  // client has left (nothing else is read: no pipelining).
  void Watch() {
    stream_.async_read_some(
        net::buffer(watch_buffer_),
        [self = shared_from_this()](beast::error_code ec, size_t) {
          if (!ec && !self->closed_.load()) return self->Watch();
          self->StreamGone();
        });
  }

  void WriteNextPart() {
    if (writing_part_ || out_.empty() || !stream_serializer_) return;
    if (closed_.load()) return StreamGone();
    auto part = std::make_shared<Outgoing>(std::move(out_.front()));
    out_.pop_front();
    beast::get_lowest_layer(stream_).expires_after(
        std::chrono::seconds(limits_.write_timeout_seconds));
    writing_part_ = true;
    auto done = [self = shared_from_this(), part](beast::error_code ec,
                                                  size_t) {
      self->writing_part_ = false;
      if (ec) {
        if (part->written) part->written(false);
        return self->StreamGone();
      }
      if (part->written) part->written(true);
      if (part->last) return self->Close();
      self->WriteNextPart();
    };
    if (part->last) {
      // The last part and the last chunk, in one write.
      auto buffers = std::make_shared<std::string>();
      if (!part->bytes.empty()) {
        *buffers = absl::StrCat(absl::Hex(part->bytes.size()), "\r\n",
                                part->bytes, "\r\n");
      }
      *buffers += "0\r\n\r\n";
      net::async_write(
          stream_, net::buffer(*buffers),
          [done = std::move(done), buffers](beast::error_code ec,
                                            size_t n) mutable { done(ec, n); });
    } else if (part->bytes.empty()) {
      // Nothing to send (an empty chunk would end the body).
      writing_part_ = false;
      if (part->written) part->written(true);
      WriteNextPart();
    } else {
      net::async_write(stream_, http::make_chunk(net::buffer(part->bytes)),
                       std::move(done));
    }
  }

  // The client left, or a write failed: every part not written fails, and
  // the stream learns it once.
  void StreamGone() {
    Close();
    std::deque<Outgoing> out = std::move(out_);
    out_.clear();
    for (Outgoing& part : out) {
      if (part.written) part.written(false);
    }
    absl::AnyInvocable<void()> gone = std::move(gone_);
    gone_ = nullptr;
    if (gone) gone();
  }

  void Shutdown() {
    closed_.store(true);
    beast::get_lowest_layer(stream_).expires_after(
        std::chrono::seconds(limits_.write_timeout_seconds));
    stream_.async_shutdown(
        [self = shared_from_this()](beast::error_code) { self->Close(); });
  }

  void Close() {
    closed_.store(true);
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().shutdown(
        tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(stream_).close();
  }

  beast::ssl_stream<beast::tcp_stream> stream_;
  const SessionLimits limits_;
  const RequestRouter* const router_;
  const std::shared_ptr<std::atomic<int>> open_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  VerifiedPeer peer_;
  uint32_t requests_ = 0;
  bool too_large_ = false;
  uint64_t declared_ = 0;
  absl::Time received_;
  std::atomic<bool> closed_{false};
  // A streamed answer (BeginStream); everything on the strand.
  std::optional<http::response<http::empty_body>> stream_head_;
  std::optional<http::response_serializer<http::empty_body>> stream_serializer_;
  std::deque<Outgoing> out_;
  bool writing_part_ = false;
  absl::AnyInvocable<void()> gone_;
  std::array<char, 256> watch_buffer_;
};

bool SessionResponder::closed() const { return session_->closed(); }

void SessionResponder::Respond(HttpResponse response) {
  session_->Respond(std::move(response), keep_alive_, version_);
}

void SessionResponder::StartStream(HttpResponse head,
                                   absl::AnyInvocable<void()> gone) {
  session_->StartStream(std::move(head), std::move(gone), version_);
}

void SessionResponder::Send(std::string bytes,
                            absl::AnyInvocable<void(bool ok)> written) {
  session_->Send(std::move(bytes), std::move(written), /*last=*/false);
}

void SessionResponder::EndStream(std::string bytes) {
  session_->Send(std::move(bytes), nullptr, /*last=*/true);
}

}  // namespace

void StartHttpsSession(tcp::socket socket, net::ssl::context& tls,
                       const SessionLimits& limits, const RequestRouter* router,
                       std::shared_ptr<std::atomic<int>> open_connections) {
  std::make_shared<Session>(std::move(socket), tls, limits, router,
                            std::move(open_connections))
      ->Run();
}

}  // namespace resguardo::server::web::internal
