// HttpsJsonClient: the load generator's HTTPS/JSON side (README,
// "Benchmarks"): Connect unary calls in JSON to a node's web listener over
// `connections` keep-alive TLS 1.3 connections with a client certificate,
// as a browser or an integrator makes them. HTTP/1.1 carries one call at a
// time per connection, so each closed loop of the generator has its own
// connection. Boost.Beast on one event-loop thread: no thread per call, as
// the gRPC side's callback API (a thread per blocking call would spend the
// cores the node shares with the generator on context switches).
//
// A connection the node closes (web.max_requests_per_connection, idle) is
// opened again on its next call, with a new handshake.
//
// Thread safety: Post may be called from any thread, for a slot with no
// call in flight; `done` runs on the client's thread.
#ifndef RESGUARDO_BENCH_HTTPS_JSON_CLIENT_H_
#define RESGUARDO_BENCH_HTTPS_JSON_CLIENT_H_

#include <functional>
#include <memory>
#include <string>

namespace resguardo::bench {

class HttpsJsonClient {
 public:
  // The answer: its HTTP status (0 when none came) and body, or what
  // failed.
  using Done =
      std::function<void(int status, std::string body, std::string error)>;

  // `address` is "host:port" (an IP address). Null, with `error` set, when
  // the files cannot be read.
  static std::unique_ptr<HttpsJsonClient> Create(const std::string& address,
                                                 const std::string& ca_file,
                                                 const std::string& cert_file,
                                                 const std::string& key_file,
                                                 int connections,
                                                 std::string* error);
  virtual ~HttpsJsonClient() = default;

  // POSTs `json` to `path` ("/resguardo.v1.CaseService/GetCase") on
  // connection `slot` % connections, with Content-Type application/json
  // and Connect-Protocol-Version: 1.
  virtual void Post(int slot, const std::string& path, std::string json,
                    Done done) = 0;
};

}  // namespace resguardo::bench

#endif  // RESGUARDO_BENCH_HTTPS_JSON_CLIENT_H_
