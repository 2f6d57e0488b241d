#include "services/server/web/request_router.h"

#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/api/language.h"
#include "services/server/grpc_status.h"
#include "services/server/web/connect_call.h"
#include "services/server/web/connect_error.h"
#include "services/server/web/metrics_call.h"

namespace resguardo::server::web {
namespace {

// The media type of a Content-Type header, lower case, without parameters.
std::string MediaType(absl::string_view header) {
  absl::string_view type = header.substr(0, header.find(';'));
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(type));
}

bool IsApiPath(absl::string_view path) {
  // "/pkg.Service/Method": two segments, a '.' in the first, none in the
  // second ("/app.js" and "/assets/app.css" are files).
  if (!absl::ConsumePrefix(&path, "/")) return false;
  const size_t slash = path.find('/');
  if (slash == absl::string_view::npos) return false;
  absl::string_view service = path.substr(0, slash);
  absl::string_view method = path.substr(slash + 1);
  return absl::StrContains(service, '.') && !method.empty() &&
         !absl::StrContains(method, '.') && !absl::StrContains(method, '/');
}

}  // namespace

void RequestRouter::Refuse(Responder& responder, int http_status,
                           absl::Status status, const char* reason, bool close,
                           absl::string_view accept_language) const {
  HttpResponse response = ConnectErrorResponse(
      PublicStatus(status, "",
                   api::LanguageFromAcceptLanguage(accept_language)),
      "");
  response.status = http_status;
  response.close = close;
  log_->Event("web_refused",
              {{"reason", reason},
               {"http_status", absl::StrCat(http_status)},
               {"code", std::string(ConnectCode(status.code()))}});
  responder.Respond(std::move(response));
}

void RequestRouter::RefuseTooLarge(std::shared_ptr<Responder> responder,
                                   absl::string_view accept_language) const {
  Refuse(*responder, ConnectHttpStatus(absl::StatusCode::kResourceExhausted),
         absl::ResourceExhaustedError(absl::StrCat(
             "the request is larger than the node accepts (at most ",
             max_body_bytes_, " bytes)")),
         "body-size", /*close=*/true, accept_language);
}

void RequestRouter::Handle(HttpRequest request,
                           std::shared_ptr<Responder> responder) const {
  const absl::string_view target = request.target;
  const std::string path(target.substr(0, target.find('?')));
  const auto refuse = [&](int http_status, absl::Status status,
                          const char* reason) {
    Refuse(*responder, http_status, std::move(status), reason,
           request.body_too_large, request.Header("accept-language"));
  };
  if (request.method == "OPTIONS") {
    // No CORS preflight is ever answered: a cross-site page cannot call.
    refuse(405, absl::UnimplementedError("OPTIONS is not served (no CORS)"),
           "options");
    return;
  }
  if (path == kMetricsPath && metrics_) {
    if (request.method != "GET") {
      refuse(405, absl::UnimplementedError("/metrics: only GET"),
             "metrics-method");
      return;
    }
    metrics_(std::make_unique<MetricsCall>(std::move(request),
                                           std::move(responder)));
    return;
  }
  if (!IsApiPath(path)) {
    if (request.method != "GET" && request.method != "HEAD") {
      refuse(405, absl::UnimplementedError("static files: only GET and HEAD"),
             "static-method");
      return;
    }
    responder->Respond(files_->Serve(request.method, path));
    return;
  }
  if (request.method != "POST") {
    refuse(405, absl::UnimplementedError("the API takes POST only"),
           "api-method");
    return;
  }
  const MethodTable::Method* method = methods_->Find(path);
  if (method == nullptr) {
    refuse(404, absl::UnimplementedError("the node serves no such method"),
           "unknown-method");
    return;
  }
  const std::string media = MediaType(request.Header("content-type"));
  const bool streaming = method->descriptor->server_streaming();
  if (media != (streaming ? "application/connect+json" : "application/json")) {
    refuse(415,
           absl::InvalidArgumentError(
               streaming ? "Content-Type must be application/connect+json"
                         : "Content-Type must be application/json"),
           "content-type");
    return;
  }
  if (request.Header("connect-protocol-version") != "1") {
    refuse(400,
           absl::InvalidArgumentError(
               "the Connect-Protocol-Version: 1 header is required"),
           "protocol-version");
    return;
  }
  absl::Duration timeout;
  if (absl::Status t = ConnectCall::ParseTimeout(
          request.Header("connect-timeout-ms"), &timeout);
      !t.ok()) {
    refuse(400, t, "timeout");
    return;
  }
  method->serve(std::make_unique<ConnectCall>(
      std::move(request), std::move(responder), max_body_bytes_,
      method->full_name, streaming));
}

}  // namespace resguardo::server::web
