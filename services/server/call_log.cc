#include "services/server/call_log.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "services/server/grpc_status.h"

namespace resguardo::server {

std::string CallLog::JsonQuote(absl::string_view value) {
  std::string out = "\"";
  for (unsigned char c : value) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          absl::StrAppend(&out, absl::StrFormat("\\u%04x", c));
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += "\"";
  return out;
}

void CallLog::Call(absl::string_view request_id, absl::string_view method,
                   absl::StatusCode code, absl::Duration latency,
                   absl::string_view cause) {
  std::vector<std::pair<std::string, std::string>> fields = {
      {"request_id", std::string(request_id)},
      {"method", std::string(method)},
      {"code", std::string(CodeName(code))}};
  if (!cause.empty()) fields.emplace_back("cause", std::string(cause));
  WriteLine("call", fields,
            {{"latency_ms",
              absl::StrFormat("%.3f", absl::ToDoubleMilliseconds(latency))}});
  absl::ReaderMutexLock lock(&observer_mu_);
  if (observer_ != nullptr) observer_->OnCall(method, code, latency);
}

void CallLog::SetCallObserver(CallObserver* observer) {
  absl::MutexLock lock(&observer_mu_);
  observer_ = observer;
}

void CallLog::Event(
    absl::string_view event,
    const std::vector<std::pair<std::string, std::string>>& fields) {
  WriteLine(event, fields, {});
}

void CallLog::WriteLine(
    absl::string_view event,
    const std::vector<std::pair<std::string, std::string>>& quoted_fields,
    const std::vector<std::pair<std::string, std::string>>& raw_fields) {
  std::string time = absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", clock_->Now(),
                                      absl::UTCTimeZone());
  std::string line;
  if (format_ == Format::kJson) {
    line =
        absl::StrCat("{\"time\":\"", time, "\",\"event\":", JsonQuote(event));
    for (const auto& [key, value] : quoted_fields) {
      absl::StrAppend(&line, ",", JsonQuote(key), ":", JsonQuote(value));
    }
    for (const auto& [key, value] : raw_fields) {
      absl::StrAppend(&line, ",", JsonQuote(key), ":", value);
    }
    line += "}\n";
  } else {
    line = absl::StrCat(time, " ", event);
    for (const auto& [key, value] : quoted_fields) {
      bool plain = !value.empty() &&
                   value.find_first_of(" \"\\\n\r\t=") == std::string::npos;
      absl::StrAppend(&line, " ", key, "=", plain ? value : JsonQuote(value));
    }
    for (const auto& [key, value] : raw_fields) {
      absl::StrAppend(&line, " ", key, "=", value);
    }
    line += "\n";
  }
  absl::MutexLock lock(&mu_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

}  // namespace resguardo::server
