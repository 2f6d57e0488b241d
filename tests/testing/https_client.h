// Https: one HTTPS request to a TestNode's web listener with the `curl`
// command (Debian's curl, OpenSSL), as an integrator or a browser would
// send it: TLS 1.3, the test PKI's CA, and the client certificate of
// INSTITUTION/USER (of the other CA, or none). Not thread-safe per request
// file names: each call uses its own temporary files in the node's folder.
// ConnectStreamClient: a Connect server stream, read as it comes (below).
#ifndef RESGUARDO_TESTS_TESTING_HTTPS_CLIENT_H_
#define RESGUARDO_TESTS_TESTING_HTTPS_CLIENT_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "tests/testing/test_node.h"

namespace resguardo::testing {

struct HttpsRequest {
  std::string method = "POST";
  // "/resguardo.v1.CaseService/GetCase", "/index.html", ...
  std::string path;
  std::string body;
  // Full header lines; the default makes a Connect unary call.
  std::vector<std::string> headers = {"Content-Type: application/json",
                                      "Connect-Protocol-Version: 1"};
  std::string institution;
  std::string user;
  bool other_ca = false;
  // Present no certificate at all.
  bool no_certificate = false;
  // Pass the path to curl as is (no normalisation of "..").
  bool raw_path = true;
};

struct HttpsAnswer {
  // curl's exit code (0: an HTTP answer came; 35, 56...: TLS refused).
  int curl_exit = -1;
  int status = 0;
  // Header names in lower case.
  std::multimap<std::string, std::string> headers;
  std::string body;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  bool HasHeaderPrefix(const std::string& prefix) const;
};

HttpsAnswer Https(const TestNode& node, const HttpsRequest& request);

// A Connect unary call of `path` with `message` as its JSON body, as
// INSTITUTION/USER, with x-request-id `request_id` (if not empty).
HttpsAnswer ConnectCall(const TestNode& node, const std::string& institution,
                        const std::string& user, const std::string& path,
                        const google::protobuf::Message& message,
                        const std::string& request_id = "");

// `message` as a Connect stream's request body: one envelope (flags 0, its
// length big-endian, its proto3 JSON).
std::string ConnectEnvelope(const google::protobuf::Message& message);
// `data` in an envelope with `flags` (for bodies a client should not send).
std::string ConnectEnvelope(uint8_t flags, const std::string& data);

// A Connect server stream (application/connect+json) over its own TLS 1.3
// connection with the client certificate of INSTITUTION/USER, with
// Boost.Beast in this process (curl cannot hand over a stream's messages as
// they arrive, nor leave at a chosen moment). Not thread-safe.
class ConnectStreamClient {
 public:
  struct Message {
    uint8_t flags = 0;  // 0x02: the end-of-stream message
    std::string data;   // its JSON
  };

  // Connects, sends `body` (normally ConnectEnvelope of the request) to
  // `path` with `headers` (full lines; the default makes a Connect
  // stream), and reads the answer's head. An error when no head came.
  static absl::StatusOr<std::unique_ptr<ConnectStreamClient>> Open(
      const TestNode& node, const std::string& institution,
      const std::string& user, const std::string& path, const std::string& body,
      const std::vector<std::string>& headers = {
          "Content-Type: application/connect+json",
          "Connect-Protocol-Version: 1"});
  ~ConnectStreamClient();

  int status() const { return status_; }
  // The answer's header (`name` in lower case), or "".
  std::string Header(const std::string& name) const;

  // The next enveloped message, waiting up to `timeout`; nullopt when none
  // came by then or the body ended (ended() says which).
  std::optional<Message> Next(absl::Duration timeout);
  // Whether the answer's body ended (or the connection did).
  bool ended() const { return ended_; }
  // Leaves: closes the connection at once, as a browser tab that closes.
  void Close();

 private:
  struct Impl;
  ConnectStreamClient();
  std::unique_ptr<Impl> impl_;
  int status_ = 0;
  std::map<std::string, std::string> headers_;
  std::string pending_;  // body bytes not yet made into messages
  bool ended_ = false;
};

}  // namespace resguardo::testing

#endif  // RESGUARDO_TESTS_TESTING_HTTPS_CLIENT_H_
