#include "clients/cli/audit_filters.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "clients/cli/resource_names.h"
#include "google/protobuf/descriptor.h"

namespace resguardo::cli {
namespace {

// The services whose calls the audit log records.
constexpr const char* kServices[] = {
    "resguardo.v1.AdminService", "resguardo.v1.AuditService",
    "resguardo.v1.CaseService",  "resguardo.v1.ReferralService",
    "resguardo.v1.StatsService", "grpc.health.v1.Health"};

constexpr const char* kCodeNames[] = {"OK",
                                      "CANCELLED",
                                      "UNKNOWN",
                                      "INVALID_ARGUMENT",
                                      "DEADLINE_EXCEEDED",
                                      "NOT_FOUND",
                                      "ALREADY_EXISTS",
                                      "PERMISSION_DENIED",
                                      "RESOURCE_EXHAUSTED",
                                      "FAILED_PRECONDITION",
                                      "ABORTED",
                                      "OUT_OF_RANGE",
                                      "UNIMPLEMENTED",
                                      "INTERNAL",
                                      "UNAVAILABLE",
                                      "DATA_LOSS",
                                      "UNAUTHENTICATED"};

}  // namespace

absl::StatusOr<std::string> FullMethodName(absl::string_view typed) {
  typed = absl::StripAsciiWhitespace(typed);
  // "/pkg.Service/Method", "pkg.Service.Method", "Service/Method", "Method".
  std::string service_part;
  std::string method_part(typed);
  absl::string_view rest = typed;
  absl::ConsumePrefix(&rest, "/");
  if (size_t slash = rest.rfind('/'); slash != absl::string_view::npos) {
    service_part = std::string(rest.substr(0, slash));
    method_part = std::string(rest.substr(slash + 1));
  } else if (size_t dot = rest.rfind('.'); dot != absl::string_view::npos) {
    service_part = std::string(rest.substr(0, dot));
    method_part = std::string(rest.substr(dot + 1));
  }
  std::vector<std::string> found;
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const char* name : kServices) {
    const google::protobuf::ServiceDescriptor* s =
        pool->FindServiceByName(name);
    if (s == nullptr) continue;
    if (!service_part.empty() && !absl::EqualsIgnoreCase(service_part, name) &&
        !absl::EqualsIgnoreCase(service_part, s->name())) {
      continue;
    }
    for (int i = 0; i < s->method_count(); ++i) {
      if (absl::EqualsIgnoreCase(s->method(i)->name(), method_part)) {
        found.push_back(absl::StrCat("/", name, "/", s->method(i)->name()));
      }
    }
  }
  if (found.empty()) return absl::NotFoundError("no such method");
  if (found.size() > 1) {
    return absl::InvalidArgumentError("a method of several services");
  }
  return found.front();
}

std::string ResourceFilter(absl::string_view typed) {
  typed = absl::StripAsciiWhitespace(typed);
  if (absl::StartsWith(typed, "institutions/")) return std::string(typed);
  absl::StatusOr<std::string> c = CaseNameFromArg(typed);
  return c.ok() ? *c : std::string(typed);
}

absl::StatusOr<int> OutcomeCode(absl::string_view typed) {
  typed = absl::StripAsciiWhitespace(typed);
  int number = 0;
  if (absl::SimpleAtoi(typed, &number)) {
    if (number >= 0 && number <= 16) return number;
    return absl::NotFoundError("not a code");
  }
  std::string name = absl::AsciiStrToUpper(typed);
  for (char& c : name) {
    if (c == '-' || c == ' ') c = '_';
  }
  for (int code = 0; code <= 16; ++code) {
    if (name == kCodeNames[code]) return code;
  }
  return absl::NotFoundError("not a code");
}

const char* OutcomeName(int code) {
  return code >= 0 && code <= 16 ? kCodeNames[code] : "?";
}

}  // namespace resguardo::cli
