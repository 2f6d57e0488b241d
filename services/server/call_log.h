// CallLog: the node's structured log on stderr — one line per call and one
// per lifecycle event of the node, as JSON (default) or key=value text.
//
//   {"time":"2026-03-01T10:00:00.123456Z","event":"call",
//    "request_id":"a1b2...","method":"/resguardo.v1.CaseService/GetCase",
//    "code":"OK","latency_ms":1.25}
//
// A call line holds exactly those fields, and for INTERNAL, UNKNOWN and
// DATA_LOSS a "cause": the error's own message, which names the component
// and its error (a SQLite code, an errno, an OpenSSL reason) so that the
// operator can diagnose the call the client was told to look up by its
// request id. Never the request, the response, the caller's identity or
// text from the caller: by the project's rule an error message carries no
// personal data. Event lines take only the fixed keys the node passes
// (addresses, counts, codes), never anything from a request.
//
// A call's one line is also its one count: an observer (the node's metrics,
// node_metrics.h) hears each Call with the same method, code and latency,
// and nothing else of it.
//
// Thread-safe: each line is written with one fwrite under a mutex, so lines
// from concurrent calls never interleave.
#ifndef RESGUARDO_SERVICES_SERVER_CALL_LOG_H_
#define RESGUARDO_SERVICES_SERVER_CALL_LOG_H_

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "base/clock.h"

namespace resguardo::server {

class CallLog {
 public:
  enum class Format { kJson, kText };

  // Writes to `out` (not owned; usually stderr). REQUIRES: out and clock
  // outlive the log.
  CallLog(Format format, std::FILE* out, const Clock* clock)
      : format_(format), out_(out), clock_(clock) {}

  CallLog(const CallLog&) = delete;
  CallLog& operator=(const CallLog&) = delete;

  // Hears of every call logged (see above). Must be short and must not
  // log.
  class CallObserver {
   public:
    virtual ~CallObserver() = default;
    virtual void OnCall(absl::string_view method, absl::StatusCode code,
                        absl::Duration latency) = 0;
  };
  // Replaces the observer (nullptr: none). Once it returns, the previous
  // observer is no longer called, so it may be destroyed.
  void SetCallObserver(CallObserver* observer)
      ABSL_LOCKS_EXCLUDED(observer_mu_);

  // `cause` is empty or the error's message (see above).
  void Call(absl::string_view request_id, absl::string_view method,
            absl::StatusCode code, absl::Duration latency,
            absl::string_view cause = "");

  // A lifecycle event ("serving", "stopping", "stopped", "start_failed"...)
  // with fields given as (key, value) pairs of the node's own values.
  void Event(
      absl::string_view event,
      const std::vector<std::pair<std::string, std::string>>& fields = {});

  // "\"...\"" with JSON escapes; exposed for tests.
  static std::string JsonQuote(absl::string_view value);

 private:
  void WriteLine(
      absl::string_view event,
      const std::vector<std::pair<std::string, std::string>>& quoted_fields,
      const std::vector<std::pair<std::string, std::string>>& raw_fields);

  const Format format_;
  absl::Mutex mu_;
  std::FILE* const out_ ABSL_PT_GUARDED_BY(mu_);
  const Clock* const clock_;
  absl::Mutex observer_mu_;
  CallObserver* observer_ ABSL_GUARDED_BY(observer_mu_) = nullptr;
};

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_CALL_LOG_H_
