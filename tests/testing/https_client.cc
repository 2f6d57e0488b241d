#include "tests/testing/https_client.h"

#include <atomic>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "boost/asio/connect.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/ssl/context.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "boost/beast/ssl.hpp"
#include "google/protobuf/util/json_util.h"
#include "openssl/ssl.h"

namespace resguardo::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

bool HttpsAnswer::HasHeaderPrefix(const std::string& prefix) const {
  for (const auto& [name, value] : headers) {
    if (absl::StartsWith(name, prefix)) return true;
  }
  return false;
}

HttpsAnswer Https(const TestNode& node, const HttpsRequest& request) {
  static std::atomic<int> counter{0};
  const std::string base =
      absl::StrCat(node.dir(), "/https-", counter.fetch_add(1));
  const std::string body_file = base + ".req";
  const std::string header_file = base + ".hdr";
  const std::string out_file = base + ".out";
  std::ofstream(body_file, std::ios::binary) << request.body;
  std::vector<std::string> argv = {"/usr/bin/curl",
                                   "-sS",
                                   "--http1.1",
                                   "--tlsv1.3",
                                   "--max-time",
                                   "20",
                                   "--cacert",
                                   absl::StrCat(node.dir(), "/pki/ca.crt"),
                                   "-X",
                                   request.method,
                                   "-D",
                                   header_file,
                                   "-o",
                                   out_file,
                                   "-w",
                                   "%{http_code}"};
  if (request.raw_path) argv.push_back("--path-as-is");
  if (!request.no_certificate) {
    const std::string cert =
        absl::StrCat(node.dir(), request.other_ca ? "/other-ca" : "/pki",
                     "/clients/", request.institution, "/", request.user);
    argv.insert(argv.end(), {"--cert", cert + ".crt", "--key", cert + ".key"});
  }
  for (const std::string& header : request.headers) {
    argv.insert(argv.end(), {"-H", header});
  }
  if (request.method != "GET" && request.method != "HEAD" &&
      request.method != "OPTIONS") {
    argv.insert(argv.end(), {"--data-binary", "@" + body_file});
  }
  argv.push_back(
      absl::StrCat("https://127.0.0.1:", node.web_port(), request.path));
  std::string output;
  HttpsAnswer answer;
  absl::StatusOr<int> code = TestNode::Run(argv, &output);
  answer.curl_exit = code.ok() ? *code : -1;
  int status = 0;
  if (absl::SimpleAtoi(absl::StripAsciiWhitespace(output.substr(
                           output.size() >= 3 ? output.size() - 3 : 0)),
                       &status)) {
    answer.status = status;
  }
  for (absl::string_view line : absl::StrSplit(ReadFile(header_file), "\r\n")) {
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos) continue;
    answer.headers.emplace(
        absl::AsciiStrToLower(line.substr(0, colon)),
        std::string(absl::StripAsciiWhitespace(line.substr(colon + 1))));
  }
  answer.body = ReadFile(out_file);
  std::remove(body_file.c_str());
  std::remove(header_file.c_str());
  std::remove(out_file.c_str());
  return answer;
}

HttpsAnswer ConnectCall(const TestNode& node, const std::string& institution,
                        const std::string& user, const std::string& path,
                        const google::protobuf::Message& message,
                        const std::string& request_id) {
  HttpsRequest request;
  request.path = path;
  request.institution = institution;
  request.user = user;
  google::protobuf::util::MessageToJsonString(message, &request.body);
  if (!request_id.empty()) {
    request.headers.push_back(absl::StrCat("x-request-id: ", request_id));
  }
  return Https(node, request);
}

std::string ConnectEnvelope(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::MessageToJsonString(message, &json);
  return ConnectEnvelope(0, json);
}

std::string ConnectEnvelope(uint8_t flags, const std::string& data) {
  const uint32_t n = static_cast<uint32_t>(data.size());
  std::string out(1, static_cast<char>(flags));
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((n >> shift) & 0xff));
  }
  return out + data;
}

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

struct ConnectStreamClient::Impl {
  net::io_context io;
  net::ssl::context tls{net::ssl::context::tls_client};
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> stream;
  beast::flat_buffer buffer;
  http::response_parser<http::buffer_body> parser;
  char chunk[4096];

  // Runs the operation `start` begins (it calls its handler with an
  // error_code) for up to `timeout`; cancels it after that.
  template <typename Start>
  beast::error_code RunFor(absl::Duration timeout, Start start) {
    std::optional<beast::error_code> result;
    start([&result](beast::error_code ec, size_t = 0) { result = ec; });
    io.restart();
    io.run_for(absl::ToChronoNanoseconds(timeout));
    if (!result) {
      beast::get_lowest_layer(*stream).cancel();
      io.restart();
      io.run();
      return net::error::timed_out;
    }
    return *result;
  }
};

ConnectStreamClient::ConnectStreamClient() : impl_(std::make_unique<Impl>()) {}
ConnectStreamClient::~ConnectStreamClient() { Close(); }

absl::StatusOr<std::unique_ptr<ConnectStreamClient>> ConnectStreamClient::Open(
    const TestNode& node, const std::string& institution,
    const std::string& user, const std::string& path, const std::string& body,
    const std::vector<std::string>& headers) {
  std::unique_ptr<ConnectStreamClient> client(new ConnectStreamClient);
  Impl& impl = *client->impl_;
  SSL_CTX_set_min_proto_version(impl.tls.native_handle(), TLS1_3_VERSION);
  const std::string cert =
      absl::StrCat(node.dir(), "/pki/clients/", institution, "/", user);
  beast::error_code ec;
  impl.tls.load_verify_file(absl::StrCat(node.dir(), "/pki/ca.crt"), ec);
  if (!ec) impl.tls.use_certificate_chain_file(cert + ".crt", ec);
  if (!ec) {
    impl.tls.use_private_key_file(cert + ".key", net::ssl::context::pem, ec);
  }
  if (ec) return absl::FailedPreconditionError("the test PKI's files");
  impl.tls.set_verify_mode(net::ssl::verify_peer);
  impl.stream =
      std::make_unique<beast::ssl_stream<beast::tcp_stream>>(impl.io, impl.tls);
  const net::ip::tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"),
                                        static_cast<uint16_t>(node.web_port()));
  const absl::Duration timeout = absl::Seconds(20);
  ec = impl.RunFor(timeout, [&](auto done) {
    beast::get_lowest_layer(*impl.stream).async_connect(endpoint, done);
  });
  if (!ec) {
    ec = impl.RunFor(timeout, [&](auto done) {
      impl.stream->async_handshake(net::ssl::stream_base::client, done);
    });
  }
  if (ec) return absl::UnavailableError("could not connect: " + ec.message());
  std::string request = absl::StrCat("POST ", path,
                                     " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                     "Content-Length: ",
                                     body.size(), "\r\n");
  for (const std::string& header : headers) {
    absl::StrAppend(&request, header, "\r\n");
  }
  absl::StrAppend(&request, "\r\n", body);
  ec = impl.RunFor(timeout, [&](auto done) {
    net::async_write(*impl.stream, net::buffer(request), done);
  });
  if (!ec) {
    impl.parser.body_limit(boost::none);
    ec = impl.RunFor(timeout, [&](auto done) {
      http::async_read_header(*impl.stream, impl.buffer, impl.parser, done);
    });
  }
  if (ec) return absl::UnavailableError("no answer: " + ec.message());
  const auto& head = impl.parser.get();
  client->status_ = static_cast<int>(head.result_int());
  for (const auto& field : head) {
    client->headers_.emplace(
        absl::AsciiStrToLower(std::string(field.name_string())),
        std::string(field.value()));
  }
  return client;
}

std::string ConnectStreamClient::Header(const std::string& name) const {
  auto it = headers_.find(name);
  return it == headers_.end() ? "" : it->second;
}

std::optional<ConnectStreamClient::Message> ConnectStreamClient::Next(
    absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    if (pending_.size() >= 5) {
      uint32_t n = 0;
      for (int i = 1; i < 5; ++i) {
        n = (n << 8) | static_cast<uint8_t>(pending_[i]);
      }
      if (pending_.size() >= 5 + n) {
        Message message;
        message.flags = static_cast<uint8_t>(pending_[0]);
        message.data = pending_.substr(5, n);
        pending_.erase(0, 5 + n);
        return message;
      }
    }
    if (ended_ || impl_->stream == nullptr) return std::nullopt;
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return std::nullopt;
    Impl& impl = *impl_;
    impl.parser.get().body().data = impl.chunk;
    impl.parser.get().body().size = sizeof(impl.chunk);
    beast::error_code ec = impl.RunFor(left, [&](auto done) {
      http::async_read_some(*impl.stream, impl.buffer, impl.parser, done);
    });
    pending_.append(impl.chunk,
                    sizeof(impl.chunk) - impl.parser.get().body().size);
    if (ec == net::error::timed_out) return std::nullopt;
    if (ec == http::error::need_buffer) ec = {};
    if (ec || impl.parser.is_done()) ended_ = true;
  }
}

void ConnectStreamClient::Close() {
  if (impl_ == nullptr || impl_->stream == nullptr) return;
  beast::error_code ignored;
  auto& socket = beast::get_lowest_layer(*impl_->stream).socket();
  socket.shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
  impl_->stream.reset();
  ended_ = true;
}

}  // namespace resguardo::testing
