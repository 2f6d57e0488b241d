#include "services/server/call_log.h"

#include <cstdio>
#include <string>

#include "absl/time/time.h"
#include "base/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::server {
namespace {

// Everything written to a memory stream.
class Capture {
 public:
  Capture() : file_(open_memstream(&buffer_, &size_)) {}
  ~Capture() {
    std::fclose(file_);
    std::free(buffer_);
  }
  std::FILE* file() { return file_; }
  std::string text() {
    std::fflush(file_);
    return std::string(buffer_, size_);
  }

 private:
  char* buffer_ = nullptr;
  size_t size_ = 0;
  std::FILE* file_;
};

TEST(CallLogTest, WritesOneJsonLinePerCall) {
  Capture out;
  FakeClock clock(absl::FromUnixSeconds(1767225600));  // 2026-01-01
  CallLog log(CallLog::Format::kJson, out.file(), &clock);
  log.Call("req-1", "/resguardo.v1.CaseService/GetCase",
           absl::StatusCode::kNotFound, absl::Microseconds(1500));
  EXPECT_EQ(out.text(),
            "{\"time\":\"2026-01-01T00:00:00.000000Z\",\"event\":\"call\","
            "\"request_id\":\"req-1\",\"method\":\"/resguardo.v1.CaseService/"
            "GetCase\",\"code\":\"NOT_FOUND\",\"latency_ms\":1.500}\n");
}

TEST(CallLogTest, WritesTheCauseWhenThereIsOne) {
  Capture out;
  FakeClock clock(absl::FromUnixSeconds(1767225600));
  CallLog log(CallLog::Format::kJson, out.file(), &clock);
  log.Call("req-2", "/resguardo.v1.CaseService/GetCase",
           absl::StatusCode::kDataLoss, absl::Microseconds(1000),
           "store: step failed: disk I/O error (SQLite code 10)");
  EXPECT_EQ(out.text(),
            "{\"time\":\"2026-01-01T00:00:00.000000Z\",\"event\":\"call\","
            "\"request_id\":\"req-2\",\"method\":\"/resguardo.v1.CaseService/"
            "GetCase\",\"code\":\"DATA_LOSS\",\"cause\":\"store: step failed: "
            "disk I/O error (SQLite code 10)\",\"latency_ms\":1.000}\n");
}

TEST(CallLogTest, WritesTextLines) {
  Capture out;
  FakeClock clock(absl::FromUnixSeconds(1767225600));
  CallLog log(CallLog::Format::kText, out.file(), &clock);
  log.Event("serving", {{"address", "127.0.0.1:8443"}});
  EXPECT_EQ(out.text(),
            "2026-01-01T00:00:00.000000Z serving address=127.0.0.1:8443\n");
}

TEST(CallLogTest, EscapesJson) {
  EXPECT_EQ(CallLog::JsonQuote("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
}

}  // namespace
}  // namespace resguardo::server
