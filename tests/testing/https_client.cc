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
#include "google/protobuf/util/json_util.h"

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

}  // namespace resguardo::testing
