// Https: one HTTPS request to a TestNode's web listener with the `curl`
// command (Debian's curl, OpenSSL), as an integrator or a browser would
// send it: TLS 1.3, the test PKI's CA, and the client certificate of
// INSTITUTION/USER (of the other CA, or none). Not thread-safe per request
// file names: each call uses its own temporary files in the node's folder.
#ifndef RESGUARDO_TESTS_TESTING_HTTPS_CLIENT_H_
#define RESGUARDO_TESTS_TESTING_HTTPS_CLIENT_H_

#include <map>
#include <string>
#include <vector>

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

}  // namespace resguardo::testing

#endif  // RESGUARDO_TESTS_TESTING_HTTPS_CLIENT_H_
