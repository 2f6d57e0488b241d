// resguardo_loadgen: a closed-loop load generator for a running node.
// One piece (about 770 lines): one program whose modes (closed loop, fixed
// rate, soak) share its call mix, connections and report.
//
// --clients calls are kept in flight over --connections mTLS connections:
// each "client" is a closed loop that starts its next call when the last one
// finishes, for a fixed time. The run prints throughput and p50/p99 latency
// for the health Check (the null call), CreateCase, GetCase (FULL, with a
// purpose) and ListCases, the ratios to Check, and the CPU time per call of
// the node (from /proc/<--node-pid>/stat) and of the load generator itself.
// With --growth it loads cases up to each size given and measures again,
// printing the node's resident memory (from /proc/<--node-pid>/status).
//
// With --web HOST:PORT (the node's web listener) it also measures
// CreateCase and GetCase FULL as Connect unary calls in JSON over HTTPS
// (https_json_client.h: one keep-alive connection per client, the same
// certificate), after the gRPC calls of the same run, and prints the
// JSON path's throughput as a share of gRPC's (target >= 50%). The JSON
// requests are encoded once beforehand and the answers are not decoded
// (only CreateCase's "name" is picked out), so that the generator spends
// little of the cores it shares with the node.
//
// With --soak-minutes M it instead sends a steady open-loop mix of calls
// for M minutes at --soak-rate calls/s (default 300: half GetCase FULL, a
// fifth each Check and ListCases, a tenth CreateCase; at most --clients in
// flight, the rest counted as skipped) and prints the node's resident
// memory every --soak-report-seconds (default 60), then its growth from the
// end of --soak-warmup-minutes (default 2) to the end (target: < 5% over
// 30 minutes).
//
//   resguardo_loadgen --server 127.0.0.1:7443 --ca ca.crt
//       --cert supervisor.crt --key supervisor.key --parent institutions/X
//       [--clients 32] [--connections 4] [--seconds 10]
//       [--methods check,create,get,list] [--growth 10000,100000,1000000]
//       [--node-pid PID] [--web 127.0.0.1:8444]
//       [--soak-minutes M [--soak-rate R] [--soak-warmup-minutes W]
//        [--soak-report-seconds S]]
//
// The calls use gRPC's callback API, so the generator needs no thread per
// client: on a machine it shares with the node, a thread per blocking call
// would spend the node's cores on context switches and make the node look
// slower than it is.
//
// The user must hold roles that may create, read (FULL) and list cases.
// Traffic goes only to the address given: run it against a node on this
// machine (loopback).
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "bench/https_json_client.h"
#include "google/protobuf/util/json_util.h"
#include "resguardo/v1/case_service.grpc.pb.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string server = "127.0.0.1:7443";
  std::string ca, cert, key, parent;
  int clients = 32;
  int connections = 4;
  int seconds = 10;
  std::set<std::string> methods = {"check", "create", "get", "list"};
  std::vector<int64_t> growth;
  int node_pid = 0;
  // The web listener's host:port: also measure over HTTPS/JSON.
  std::string web;
  // Soak mode (see the header comment): 0 minutes = off.
  double soak_minutes = 0;
  int soak_rate = 300;
  double soak_warmup_minutes = 2;
  int soak_report_seconds = 60;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

[[noreturn]] void Usage(const char* why) {
  std::fprintf(stderr,
               "resguardo_loadgen: %s\n"
               "usage: resguardo_loadgen --server HOST:PORT --ca FILE --cert "
               "FILE --key FILE --parent institutions/ID [--clients N] "
               "[--connections N] [--seconds S] "
               "[--methods check,create,get,list] [--growth N,N,...] "
               "[--node-pid PID] [--web HOST:PORT] "
               "[--soak-minutes M [--soak-rate R] "
               "[--soak-warmup-minutes W] [--soak-report-seconds S]]\n",
               why);
  std::exit(2);
}

Options ParseOptions(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (i + 1 >= argc) Usage("every flag takes a value");
    std::string value = argv[++i];
    if (flag == "--server") {
      o.server = value;
    } else if (flag == "--ca") {
      o.ca = value;
    } else if (flag == "--cert") {
      o.cert = value;
    } else if (flag == "--key") {
      o.key = value;
    } else if (flag == "--parent") {
      o.parent = value;
    } else if (flag == "--clients") {
      if (!absl::SimpleAtoi(value, &o.clients) || o.clients < 1 ||
          o.clients > 1024) {
        Usage("--clients takes 1 to 1024");
      }
    } else if (flag == "--connections") {
      if (!absl::SimpleAtoi(value, &o.connections) || o.connections < 1 ||
          o.connections > 1024) {
        Usage("--connections takes 1 to 1024");
      }
    } else if (flag == "--seconds") {
      if (!absl::SimpleAtoi(value, &o.seconds) || o.seconds < 1 ||
          o.seconds > 3600) {
        Usage("--seconds takes 1 to 3600");
      }
    } else if (flag == "--methods") {
      o.methods.clear();
      for (absl::string_view part : absl::StrSplit(value, ',')) {
        if (part != "check" && part != "create" && part != "get" &&
            part != "list") {
          Usage("--methods takes check, create, get and list");
        }
        o.methods.insert(std::string(part));
      }
    } else if (flag == "--growth") {
      for (absl::string_view part : absl::StrSplit(value, ',')) {
        int64_t n = 0;
        if (!absl::SimpleAtoi(part, &n) || n < 1) Usage("bad --growth");
        o.growth.push_back(n);
      }
      std::sort(o.growth.begin(), o.growth.end());
    } else if (flag == "--web") {
      o.web = value;
    } else if (flag == "--node-pid") {
      if (!absl::SimpleAtoi(value, &o.node_pid)) Usage("bad --node-pid");
    } else if (flag == "--soak-minutes") {
      if (!absl::SimpleAtod(value, &o.soak_minutes) || o.soak_minutes <= 0 ||
          o.soak_minutes > 24 * 60) {
        Usage("--soak-minutes takes more than 0, up to 1440");
      }
    } else if (flag == "--soak-rate") {
      if (!absl::SimpleAtoi(value, &o.soak_rate) || o.soak_rate < 1 ||
          o.soak_rate > 100000) {
        Usage("--soak-rate takes 1 to 100000 calls/s");
      }
    } else if (flag == "--soak-warmup-minutes") {
      if (!absl::SimpleAtod(value, &o.soak_warmup_minutes) ||
          o.soak_warmup_minutes < 0) {
        Usage("bad --soak-warmup-minutes");
      }
    } else if (flag == "--soak-report-seconds") {
      if (!absl::SimpleAtoi(value, &o.soak_report_seconds) ||
          o.soak_report_seconds < 1) {
        Usage("bad --soak-report-seconds");
      }
    } else {
      Usage("unknown flag");
    }
  }
  if (o.ca.empty() || o.cert.empty() || o.key.empty() || o.parent.empty()) {
    Usage("--ca, --cert, --key and --parent are required");
  }
  o.connections = std::min(o.connections, o.clients);
  return o;
}

std::shared_ptr<grpc::Channel> NewChannel(const Options& o, int index) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadFile(o.ca);
  ssl.pem_cert_chain = ReadFile(o.cert);
  ssl.pem_private_key = ReadFile(o.key);
  grpc::ChannelArguments args;
  // A distinct argument per channel, so that gRPC does not share one
  // connection between them.
  args.SetInt("loadgen.channel", index);
  return grpc::CreateCustomChannel(o.server, grpc::SslCredentials(ssl), args);
}

// A synthetic case: coded descriptors and obviously fake personal data.
resguardo::v1::CreateCaseRequest NewCase(const std::string& parent, int64_t n) {
  resguardo::v1::CreateCaseRequest r;
  r.set_parent(parent);
  auto* d = r.mutable_case_record()->mutable_descriptors();
  d->set_kind(n % 3 ? resguardo::v1::CASE_KIND_POLITICAL_VIOLENCE
                    : resguardo::v1::CASE_KIND_GBV);
  d->set_state_code("20");
  d->mutable_reported_date()->set_year(2026);
  d->mutable_reported_date()->set_month(1 + n % 10);
  d->mutable_reported_date()->set_day(1 + n % 28);
  d->set_risk_level(static_cast<resguardo::v1::RiskLevel>(1 + n % 4));
  d->add_violence_types(resguardo::v1::VIOLENCE_TYPE_PSYCHOLOGICAL);
  if (n % 3) d->add_conducts(resguardo::v1::CONDUCT_C09);
  auto* p = r.mutable_case_record()->mutable_personal_data();
  p->set_victim_name("Persona Sintética " + std::to_string(n));
  p->set_narrative(std::string(600, 'n'));
  return r;
}

struct Result {
  std::string name;
  double per_second = 0;
  double p50_ms = 0, p99_ms = 0;
  int64_t calls = 0, errors = 0;
  std::string first_error;
  double node_cpu_us = -1;     // node CPU time per successful call
  double loadgen_cpu_us = -1;  // this process's CPU time per successful call
};

// CPU time (user + system) of process `pid`, or of this process for 0.
double CpuSeconds(int pid) {
  if (pid == 0) {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec +
           (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  }
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  // Fields after the command name, which is in parentheses and may hold
  // spaces: state is field 3, utime 14, stime 15.
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::vector<std::string> fields = absl::StrSplit(
      absl::string_view(stat).substr(close + 2), ' ', absl::SkipEmpty());
  if (fields.size() < 13) return -1;
  double utime = 0, stime = 0;
  if (!absl::SimpleAtod(fields[11], &utime) ||
      !absl::SimpleAtod(fields[12], &stime)) {
    return -1;
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// `in_flight` closed loops: each starts a call with `start(loop, slot)` and,
// when the call reports Done, starts the next one while `more()` says so.
// Completions run on gRPC's callback threads.
class ClosedLoop {
 public:
  using Start = std::function<void(ClosedLoop&, int slot)>;
  using More = std::function<bool()>;

  ClosedLoop(int in_flight, More more, Start start)
      : more_(std::move(more)),
        start_(std::move(start)),
        slots_(in_flight),
        active_(in_flight) {}

  // Starts every loop and waits until all have stopped.
  void Run() {
    for (int s = 0; s < static_cast<int>(slots_.size()); ++s) {
      if (more_()) {
        start_(*this, s);
      } else {
        Stopped();
      }
    }
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return active_ == 0; });
  }

  // Called by the call that `slot` started, once it finished.
  void Done(int slot, Clock::time_point started, const grpc::Status& status) {
    Slot& s = slots_[slot];
    if (status.ok()) {
      s.latencies_ms.push_back(
          std::chrono::duration<double, std::milli>(Clock::now() - started)
              .count());
    } else if (s.errors++ == 0) {
      s.first_error =
          std::to_string(status.error_code()) + " " + status.error_message();
    }
    if (more_()) {
      start_(*this, slot);
    } else {
      Stopped();
    }
  }

  Result Summarise(const std::string& name, double seconds) const {
    std::vector<double> all;
    Result r;
    r.name = name;
    for (const Slot& s : slots_) {
      all.insert(all.end(), s.latencies_ms.begin(), s.latencies_ms.end());
      r.errors += s.errors;
      if (r.first_error.empty()) r.first_error = s.first_error;
    }
    std::sort(all.begin(), all.end());
    r.calls = static_cast<int64_t>(all.size());
    r.per_second = static_cast<double>(all.size()) / seconds;
    if (!all.empty()) {
      r.p50_ms = all[all.size() / 2];
      r.p99_ms = all[std::min(all.size() - 1, all.size() * 99 / 100)];
    }
    return r;
  }

 private:
  // Each slot is touched by one call at a time: no lock needed.
  struct Slot {
    std::vector<double> latencies_ms;
    int64_t errors = 0;
    std::string first_error;
  };

  void Stopped() {
    std::lock_guard<std::mutex> lock(mu_);
    if (--active_ == 0) cv_.notify_all();
  }

  const More more_;
  const Start start_;
  std::vector<Slot> slots_;
  std::mutex mu_;
  std::condition_variable cv_;
  int active_;
};

// The state of one call, alive until its completion callback has run.
template <typename Request, typename Response>
struct Call {
  grpc::ClientContext context;
  Request request;
  Response response;
  Clock::time_point start = Clock::now();

  Call() {
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
  }
};

void Print(const Result& r) {
  std::printf(
      "  %-26s %8.0f calls/s   p50 %7.2f ms   p99 %7.2f ms   (%lld ok, "
      "%lld errors)",
      r.name.c_str(), r.per_second, r.p50_ms, r.p99_ms,
      static_cast<long long>(r.calls), static_cast<long long>(r.errors));
  if (r.node_cpu_us >= 0)
    std::printf("   node CPU %.0f us/call", r.node_cpu_us);
  if (r.loadgen_cpu_us >= 0) {
    std::printf(", loadgen CPU %.0f us/call", r.loadgen_cpu_us);
  }
  std::printf("\n");
  if (r.errors > 0) std::printf("    first error: %s\n", r.first_error.c_str());
}

long ResidentKib(int pid) {  // NOLINT(runtime/int)
  if (pid <= 0) return -1;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

class Driver {
 public:
  explicit Driver(Options o) : o_(std::move(o)) {
    for (int c = 0; c < o_.connections; ++c) {
      auto channel = NewChannel(o_, c);
      cases_.push_back(resguardo::v1::CaseService::NewStub(channel));
      generic_.push_back(std::make_unique<grpc::GenericStub>(channel));
    }
    if (!o_.web.empty()) {
      std::string error;
      json_ = resguardo::bench::HttpsJsonClient::Create(
          o_.web, o_.ca, o_.cert, o_.key, o_.clients, &error);
      if (json_ == nullptr) Usage(error.c_str());
      // Encoded once: the generator's CPU is not the node's to lose.
      for (int64_t n = 0; n < 256; ++n) {
        std::string json;
        google::protobuf::util::MessageToJsonString(NewCase(o_.parent, n),
                                                    &json);
        json_creates_.push_back(std::move(json));
      }
    }
  }

  // Creates cases until `target` exist (counting those this run made).
  void LoadUpTo(int64_t target) {
    std::atomic<int64_t> next{created_};
    ClosedLoop loop(
        o_.clients, [&] { return next.load() < target; },
        [&](ClosedLoop& l, int slot) {
          const int64_t n = next++;
          StartCreate(l, slot, n);
        });
    loop.Run();
    created_ = std::max(created_, target);
    Result r = loop.Summarise("load", 1);
    if (r.errors > 0) {
      std::printf("  (%lld creates failed while loading: %s)\n",
                  static_cast<long long>(r.errors), r.first_error.c_str());
    }
  }

  std::vector<Result> MeasureAll() {
    std::map<std::string, Result> results;
    if (o_.methods.count("check")) {
      results["check"] = Measure(
          "Health.Check",
          [&](ClosedLoop& l, int slot, int64_t) { StartCheck(l, slot); });
    }
    if (o_.methods.count("create")) {
      std::atomic<int64_t> serial{1'000'000'000};
      results["create"] = Measure("CaseService.CreateCase",
                                  [&](ClosedLoop& l, int slot, int64_t) {
                                    StartCreate(l, slot, serial++);
                                  });
    }
    if (o_.methods.count("get")) {
      results["get"] = Measure(
          "CaseService.GetCase/FULL", [&](ClosedLoop& l, int slot, int64_t i) {
            using GetCall =
                Call<resguardo::v1::GetCaseRequest, resguardo::v1::Case>;
            auto* call = new GetCall;
            call->request.set_name(Pick(i * 7919 + slot));
            call->request.set_view(resguardo::v1::CASE_VIEW_FULL);
            call->request.set_purpose(
                resguardo::v1::ACCESS_PURPOSE_CASE_FOLLOW_UP);
            Stub(slot)->async()->GetCase(
                &call->context, &call->request, &call->response,
                [&l, slot, call](grpc::Status s) {
                  const Clock::time_point start = call->start;
                  delete call;
                  l.Done(slot, start, s);
                });
          });
    }
    if (o_.methods.count("list")) {
      results["list"] = Measure(
          "CaseService.ListCases", [&](ClosedLoop& l, int slot, int64_t) {
            using ListCall = Call<resguardo::v1::ListCasesRequest,
                                  resguardo::v1::ListCasesResponse>;
            auto* call = new ListCall;
            call->request.set_parent(o_.parent);
            call->request.set_page_size(50);
            Stub(slot)->async()->ListCases(
                &call->context, &call->request, &call->response,
                [&l, slot, call](grpc::Status s) {
                  const Clock::time_point start = call->start;
                  delete call;
                  l.Done(slot, start, s);
                });
          });
    }
    if (json_ != nullptr && o_.methods.count("create")) {
      std::atomic<int64_t> serial{0};
      results["json-create"] = Measure(
          "JSON CaseService.CreateCase", [&](ClosedLoop& l, int slot, int64_t) {
            StartJson(l, slot, "/resguardo.v1.CaseService/CreateCase",
                      json_creates_[serial++ % json_creates_.size()],
                      /*remember=*/true);
          });
    }
    if (json_ != nullptr && o_.methods.count("get")) {
      results["json-get"] = Measure(
          "JSON CaseService.GetCase/FULL",
          [&](ClosedLoop& l, int slot, int64_t i) {
            StartJson(l, slot, "/resguardo.v1.CaseService/GetCase",
                      absl::StrCat("{\"name\":\"", Pick(i * 7919 + slot),
                                   "\",\"view\":\"CASE_VIEW_FULL\","
                                   "\"purpose\":"
                                   "\"ACCESS_PURPOSE_CASE_FOLLOW_UP\"}"),
                      /*remember=*/false);
          });
    }
    std::vector<Result> ordered;
    for (const char* m : {"check", "create", "get", "list"}) {
      if (results.count(m)) {
        Print(results[m]);
        ordered.push_back(results[m]);
      } else {
        ordered.push_back(Result{});
      }
    }
    const double check = ordered[0].per_second;
    if (check > 0 && (ordered[1].calls > 0 || ordered[2].calls > 0)) {
      std::printf(
          "  ratios to Check: CreateCase %.0f%% (target >= 30%%), GetCase "
          "FULL %.0f%% (target >= 50%%)\n",
          100 * ordered[1].per_second / check,
          100 * ordered[2].per_second / check);
    }
    if (ordered[1].calls > 0) {
      std::printf("  CreateCase: %.0f durable cases/s (target >= 3000)\n",
                  ordered[1].per_second);
    }
    for (const auto& [json, grpc] :
         {std::pair<const char*, const char*>{"json-create", "create"},
          {"json-get", "get"}}) {
      if (!results.count(json)) continue;
      Print(results[json]);
      if (results[grpc].per_second > 0) {
        std::printf(
            "    HTTPS/JSON at %.0f%% of gRPC's throughput "
            "(target >= 50%%)\n",
            100 * results[json].per_second / results[grpc].per_second);
      }
    }
    return ordered;
  }

  // The soak (see the header comment). Needs cases to read: call LoadUpTo
  // first.
  void Soak() {
    const double rate = o_.soak_rate;
    const auto start = Clock::now();
    const auto end =
        start + std::chrono::duration_cast<Clock::duration>(
                    std::chrono::duration<double>(o_.soak_minutes * 60));
    const auto warmup_end =
        start + std::chrono::duration_cast<Clock::duration>(
                    std::chrono::duration<double>(o_.soak_warmup_minutes * 60));
    std::atomic<int64_t> in_flight{0}, ok{0}, errors{0};
    int64_t skipped = 0;
    std::mutex first_error_mu;
    std::string first_error;
    auto done = [&](const grpc::Status& s) {
      if (s.ok()) {
        ++ok;
      } else if (errors++ == 0) {
        std::lock_guard<std::mutex> lock(first_error_mu);
        first_error = std::to_string(s.error_code()) + " " + s.error_message();
      }
      --in_flight;
    };
    long warm_rss = -1;                         // NOLINT(runtime/int)
    long first_rss = ResidentKib(o_.node_pid);  // NOLINT(runtime/int)
    std::printf(
        "soak: %d calls/s for %.1f min (warm-up %.1f min), node "
        "resident memory at the start %.1f MB\n",
        o_.soak_rate, o_.soak_minutes, o_.soak_warmup_minutes,
        first_rss / 1024.0);
    std::fflush(stdout);
    auto next_report = start + std::chrono::seconds(o_.soak_report_seconds);
    int64_t ok_at_report = 0;
    auto report = [&](Clock::time_point now) {
      const long rss = ResidentKib(o_.node_pid);  // NOLINT(runtime/int)
      const double minutes =
          std::chrono::duration<double>(now - start).count() / 60;
      const int64_t done_ok = ok.load();
      std::printf(
          "  %6.2f min  %7.0f ok calls/s  errors %lld  skipped %lld  "
          "node RSS %.1f MB\n",
          minutes,
          (done_ok - ok_at_report) /
              static_cast<double>(o_.soak_report_seconds),
          static_cast<long long>(errors.load()),
          static_cast<long long>(skipped), rss / 1024.0);
      std::fflush(stdout);
      ok_at_report = done_ok;
      if (warm_rss < 0 && now >= warmup_end) warm_rss = rss;
    };
    for (int64_t i = 0;; ++i) {
      const auto due = start + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(i / rate));
      std::this_thread::sleep_until(due);
      const auto now = Clock::now();
      if (now >= next_report) {
        report(now);
        next_report += std::chrono::seconds(o_.soak_report_seconds);
      }
      if (now >= end) break;
      if (in_flight.load() >= o_.clients) {
        ++skipped;
        continue;
      }
      ++in_flight;
      const int slot = static_cast<int>(i % o_.connections);
      switch (i % 10) {
        case 0:
        case 1:
        case 2:
        case 3:
        case 4: {
          using GetCall =
              Call<resguardo::v1::GetCaseRequest, resguardo::v1::Case>;
          auto* call = new GetCall;
          call->request.set_name(Pick(i * 7919));
          call->request.set_view(resguardo::v1::CASE_VIEW_FULL);
          call->request.set_purpose(
              resguardo::v1::ACCESS_PURPOSE_CASE_FOLLOW_UP);
          Stub(slot)->async()->GetCase(&call->context, &call->request,
                                       &call->response,
                                       [call, &done](grpc::Status s) {
                                         delete call;
                                         done(s);
                                       });
          break;
        }
        case 5:
        case 6: {
          using CheckCall = Call<grpc::ByteBuffer, grpc::ByteBuffer>;
          auto* call = new CheckCall;
          call->request = grpc::ByteBuffer(nullptr, 0);
          generic_[slot % generic_.size()]->UnaryCall(
              &call->context, "/grpc.health.v1.Health/Check",
              grpc::StubOptions(), &call->request, &call->response,
              [call, &done](grpc::Status s) {
                delete call;
                done(s);
              });
          break;
        }
        case 7:
        case 8: {
          using ListCall = Call<resguardo::v1::ListCasesRequest,
                                resguardo::v1::ListCasesResponse>;
          auto* call = new ListCall;
          call->request.set_parent(o_.parent);
          call->request.set_page_size(50);
          Stub(slot)->async()->ListCases(&call->context, &call->request,
                                         &call->response,
                                         [call, &done](grpc::Status s) {
                                           delete call;
                                           done(s);
                                         });
          break;
        }
        default: {
          using CreateCall =
              Call<resguardo::v1::CreateCaseRequest, resguardo::v1::Case>;
          auto* call = new CreateCall;
          call->request = NewCase(o_.parent, 2'000'000'000 + i);
          Stub(slot)->async()->CreateCase(&call->context, &call->request,
                                          &call->response,
                                          [this, call, &done](grpc::Status s) {
                                            if (s.ok())
                                              Remember(call->response.name());
                                            delete call;
                                            done(s);
                                          });
          break;
        }
      }
    }
    while (in_flight.load() > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const long last_rss = ResidentKib(o_.node_pid);  // NOLINT(runtime/int)
    if (errors.load() > 0) {
      std::lock_guard<std::mutex> lock(first_error_mu);
      std::printf("  first error: %s\n", first_error.c_str());
    }
    if (warm_rss > 0 && last_rss > 0) {
      std::printf(
          "soak: node RSS %.1f MB after warm-up -> %.1f MB at the end: "
          "%+.1f%% (target < 5%% over 30 min)\n",
          warm_rss / 1024.0, last_rss / 1024.0,
          100.0 * (last_rss - warm_rss) / warm_rss);
    } else {
      std::printf(
          "soak: ended before the warm-up did, or without "
          "--node-pid: no growth figure\n");
    }
  }

 private:
  using Issue = std::function<void(ClosedLoop&, int slot, int64_t i)>;

  // Runs `issue` in closed loops for --seconds, with the CPU spent by the
  // node and by this process over the same time.
  Result Measure(const std::string& name, const Issue& issue) {
    const auto end = Clock::now() + std::chrono::seconds(o_.seconds);
    std::atomic<int64_t> counter{0};
    ClosedLoop loop(
        o_.clients, [end] { return Clock::now() < end; },
        [&](ClosedLoop& l, int slot) { issue(l, slot, counter++); });
    const double node_before = o_.node_pid > 0 ? CpuSeconds(o_.node_pid) : -1;
    const double self_before = CpuSeconds(0);
    const auto start = Clock::now();
    loop.Run();
    const double elapsed =
        std::chrono::duration<double>(Clock::now() - start).count();
    Result r = loop.Summarise(name, elapsed);
    if (r.calls > 0) {
      if (node_before >= 0) {
        r.node_cpu_us = (CpuSeconds(o_.node_pid) - node_before) * 1e6 / r.calls;
      }
      r.loadgen_cpu_us = (CpuSeconds(0) - self_before) * 1e6 / r.calls;
    }
    return r;
  }

  resguardo::v1::CaseService::Stub* Stub(int slot) {
    return cases_[slot % cases_.size()].get();
  }

  void StartCheck(ClosedLoop& l, int slot) {
    // grpc.health.v1.Health/Check with an empty HealthCheckRequest; a
    // SERVING answer is the bytes 08 01.
    using CheckCall = Call<grpc::ByteBuffer, grpc::ByteBuffer>;
    auto* call = new CheckCall;
    call->request = grpc::ByteBuffer(nullptr, 0);  // valid, and empty
    generic_[slot % generic_.size()]->UnaryCall(
        &call->context, "/grpc.health.v1.Health/Check", grpc::StubOptions(),
        &call->request, &call->response, [&l, slot, call](grpc::Status s) {
          const Clock::time_point start = call->start;
          delete call;
          l.Done(slot, start, s);
        });
  }

  void StartCreate(ClosedLoop& l, int slot, int64_t n) {
    using CreateCall =
        Call<resguardo::v1::CreateCaseRequest, resguardo::v1::Case>;
    auto* call = new CreateCall;
    call->request = NewCase(o_.parent, n);
    Stub(slot)->async()->CreateCase(
        &call->context, &call->request, &call->response,
        [this, &l, slot, call](grpc::Status s) {
          if (s.ok()) Remember(call->response.name());
          const Clock::time_point start = call->start;
          delete call;
          l.Done(slot, start, s);
        });
  }

  // A Connect unary call in JSON over HTTPS (--web) in the closed loop.
  void StartJson(ClosedLoop& l, int slot, const char* path, std::string json,
                 bool remember) {
    const Clock::time_point start = Clock::now();
    json_->Post(slot, path, std::move(json),
                [this, &l, slot, start, remember](int status, std::string body,
                                                  std::string error) {
                  if (status != 200) {
                    l.Done(slot, start,
                           grpc::Status(grpc::StatusCode::UNKNOWN,
                                        error.empty()
                                            ? absl::StrCat("HTTP ", status, " ",
                                                           body.substr(0, 200))
                                            : error));
                    return;
                  }
                  const std::string name = remember ? NameIn(body) : "";
                  if (!name.empty()) Remember(name);
                  l.Done(slot, start, grpc::Status::OK);
                });
  }

  // The top-level "name" of a JSON answer, picked out without decoding it.
  static std::string NameIn(const std::string& json) {
    const std::string key = "\"name\":\"";
    const size_t at = json.find(key);
    if (at == std::string::npos) return "";
    const size_t from = at + key.size();
    const size_t to = json.find('"', from);
    return to == std::string::npos ? "" : json.substr(from, to - from);
  }

  void Remember(const std::string& name) {
    std::lock_guard<std::mutex> lock(names_mu_);
    if (names_.size() < 100'000) {
      names_.push_back(name);
    } else {
      // Keep a spread over everything loaded, not only the first cases.
      names_[remembered_ % names_.size()] = name;
    }
    ++remembered_;
  }
  std::string Pick(int64_t i) {
    std::lock_guard<std::mutex> lock(names_mu_);
    if (names_.empty()) return o_.parent + "/cases/NONE-2026-000000";
    return names_[static_cast<size_t>(i) % names_.size()];
  }

  Options o_;
  std::vector<std::unique_ptr<resguardo::v1::CaseService::Stub>> cases_;
  std::vector<std::unique_ptr<grpc::GenericStub>> generic_;
  std::unique_ptr<resguardo::bench::HttpsJsonClient> json_;
  std::vector<std::string> json_creates_;
  int64_t created_ = 0;
  std::mutex names_mu_;
  std::vector<std::string> names_;
  uint64_t remembered_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  // Debian's Abseil is built with absl::Mutex's deadlock detector on, which
  // costs every lock of gRPC's a graph update: not what a load generator
  // sharing the node's cores should spend them on.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  Options o = ParseOptions(argc, argv);
  std::printf(
      "resguardo_loadgen: %d calls in flight over %d connections, %d s per "
      "method, node %s\n",
      o.clients, o.connections, o.seconds, o.server.c_str());
  Driver driver(o);
  if (o.soak_minutes > 0) {
    driver.LoadUpTo(o.growth.empty() ? 10000 : o.growth.front());
    driver.Soak();
    return 0;
  }
  std::vector<int64_t> sizes = o.growth;
  if (sizes.empty()) sizes.push_back(1000);
  std::map<int64_t, std::pair<double, long>> create_p50_and_rss;  // NOLINT
  for (int64_t size : sizes) {
    auto start = Clock::now();
    driver.LoadUpTo(size);
    double s = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("\nat >= %lld cases (loaded in %.1f s):\n",
                static_cast<long long>(size), s);
    std::fflush(stdout);
    auto results = driver.MeasureAll();
    long rss = ResidentKib(o.node_pid);  // NOLINT(runtime/int)
    if (rss >= 0)
      std::printf("  node resident memory: %.1f MB\n", rss / 1024.0);
    std::fflush(stdout);
    create_p50_and_rss[size] = {results[1].p50_ms, rss};
  }
  if (create_p50_and_rss.size() > 1) {
    auto first = create_p50_and_rss.begin()->second;
    auto last = create_p50_and_rss.rbegin()->second;
    std::printf(
        "\ngrowth: CreateCase p50 %.2f ms -> %.2f ms (%.2fx, target "
        "<= 1.5x)",
        first.first, last.first,
        first.first > 0 ? last.first / first.first : 0.0);
    if (last.second >= 0) {
      std::printf("; resident memory %.1f MB -> %.1f MB (target < 300 MB)",
                  first.second / 1024.0, last.second / 1024.0);
    }
    std::printf("\n");
  }
  return 0;
}
