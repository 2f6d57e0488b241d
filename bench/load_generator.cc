// resguardo_loadgen: a closed-loop load generator for a running node.
//
// N client threads, each with its own mTLS channel, call one method as fast
// as the node answers for a fixed time; the run prints throughput and
// p50/p99 latency for the health Check (the null call), CreateCase, GetCase
// (FULL, with a purpose) and ListCases, and the ratios to Check. With
// --growth it loads cases up to each size given and measures again, printing
// the node's resident memory (from /proc/<--node-pid>/status).
//
//   resguardo_loadgen --server 127.0.0.1:7443 --ca ca.crt
//       --cert supervisor.crt --key supervisor.key --parent institutions/X
//       [--clients 32] [--seconds 10] [--growth 10000,100000,1000000]
//       [--node-pid PID]
//
// The user must hold roles that may create, read (FULL) and list cases.
// Traffic goes only to the address given: run it against a node on this
// machine (loopback).
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

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
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "resguardo/v1/case_service.grpc.pb.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string server = "127.0.0.1:7443";
  std::string ca, cert, key, parent;
  int clients = 32;
  int seconds = 10;
  std::vector<int64_t> growth;
  int node_pid = 0;
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
               "[--seconds S] [--growth N,N,...] [--node-pid PID]\n",
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
    } else if (flag == "--seconds") {
      if (!absl::SimpleAtoi(value, &o.seconds) || o.seconds < 1 ||
          o.seconds > 3600) {
        Usage("--seconds takes 1 to 3600");
      }
    } else if (flag == "--growth") {
      for (absl::string_view part : absl::StrSplit(value, ',')) {
        int64_t n = 0;
        if (!absl::SimpleAtoi(part, &n) || n < 1) Usage("bad --growth");
        o.growth.push_back(n);
      }
      std::sort(o.growth.begin(), o.growth.end());
    } else if (flag == "--node-pid") {
      if (!absl::SimpleAtoi(value, &o.node_pid)) Usage("bad --node-pid");
    } else {
      Usage("unknown flag");
    }
  }
  if (o.ca.empty() || o.cert.empty() || o.key.empty() || o.parent.empty()) {
    Usage("--ca, --cert, --key and --parent are required");
  }
  return o;
}

std::shared_ptr<grpc::Channel> NewChannel(const Options& o, int index) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadFile(o.ca);
  ssl.pem_cert_chain = ReadFile(o.cert);
  ssl.pem_private_key = ReadFile(o.key);
  grpc::ChannelArguments args;
  // One connection per client thread, as separate clients would have.
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
};

// Runs `call` from every client thread for `seconds`; `call(thread, i)`
// returns the status of one call.
Result Measure(const std::string& name, int clients, int seconds,
               const std::function<grpc::Status(int, int64_t)>& call) {
  std::vector<std::vector<double>> latencies(clients);
  std::atomic<int64_t> errors{0};
  std::mutex error_mu;
  std::string first_error;
  const auto end = Clock::now() + std::chrono::seconds(seconds);
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      for (int64_t i = 0; Clock::now() < end; ++i) {
        auto start = Clock::now();
        grpc::Status s = call(t, i);
        double ms =
            std::chrono::duration<double, std::milli>(Clock::now() - start)
                .count();
        if (s.ok()) {
          latencies[t].push_back(ms);
        } else if (errors++ == 0) {
          std::lock_guard<std::mutex> lock(error_mu);
          first_error =
              std::to_string(s.error_code()) + " " + s.error_message();
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  std::vector<double> all;
  for (auto& v : latencies) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  Result r;
  r.name = name;
  r.calls = static_cast<int64_t>(all.size());
  r.errors = errors.load();
  r.first_error = first_error;
  r.per_second = static_cast<double>(all.size()) / seconds;
  if (!all.empty()) {
    r.p50_ms = all[all.size() / 2];
    r.p99_ms = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  }
  return r;
}

void Print(const Result& r) {
  std::printf(
      "  %-22s %10.0f calls/s   p50 %7.2f ms   p99 %7.2f ms   (%lld ok, "
      "%lld errors)\n",
      r.name.c_str(), r.per_second, r.p50_ms, r.p99_ms,
      static_cast<long long>(r.calls), static_cast<long long>(r.errors));
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
    for (int t = 0; t < o_.clients; ++t) {
      auto channel = NewChannel(o_, t);
      cases_.push_back(resguardo::v1::CaseService::NewStub(channel));
      generic_.push_back(std::make_unique<grpc::GenericStub>(channel));
    }
  }

  // Creates cases until `target` exist (counting those this run made).
  void LoadUpTo(int64_t target) {
    std::atomic<int64_t> next{created_};
    std::vector<std::thread> threads;
    std::atomic<int64_t> errors{0};
    for (int t = 0; t < o_.clients; ++t) {
      threads.emplace_back([&, t] {
        for (int64_t n; (n = next++) < target;) {
          resguardo::v1::Case out;
          grpc::ClientContext ctx;
          ctx.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::seconds(30));
          if (!cases_[t]->CreateCase(&ctx, NewCase(o_.parent, n), &out).ok()) {
            ++errors;
          } else {
            Remember(out.name());
          }
        }
      });
    }
    for (auto& th : threads) th.join();
    created_ = target;
    if (errors > 0) {
      std::printf("  (%lld creates failed while loading)\n",
                  static_cast<long long>(errors.load()));
    }
  }

  std::vector<Result> MeasureAll() {
    std::vector<Result> results;
    results.push_back(Measure("Health.Check", o_.clients, o_.seconds,
                              [&](int t, int64_t) { return Check(t); }));
    results.push_back(Measure(
        "CaseService.CreateCase", o_.clients, o_.seconds,
        [&](int t, int64_t i) {
          resguardo::v1::Case out;
          grpc::ClientContext ctx;
          ctx.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::seconds(30));
          auto s = cases_[t]->CreateCase(
              &ctx, NewCase(o_.parent, 1'000'000'000 + t * 1'000'000 + i),
              &out);
          if (s.ok()) Remember(out.name());
          return s;
        }));
    results.push_back(
        Measure("CaseService.GetCase/FULL", o_.clients, o_.seconds,
                [&](int t, int64_t i) {
                  resguardo::v1::GetCaseRequest req;
                  req.set_name(Pick(t * 7919 + i));
                  req.set_view(resguardo::v1::CASE_VIEW_FULL);
                  req.set_purpose(resguardo::v1::ACCESS_PURPOSE_CASE_FOLLOW_UP);
                  resguardo::v1::Case out;
                  grpc::ClientContext ctx;
                  ctx.set_deadline(std::chrono::system_clock::now() +
                                   std::chrono::seconds(30));
                  return cases_[t]->GetCase(&ctx, req, &out);
                }));
    results.push_back(Measure(
        "CaseService.ListCases", o_.clients, o_.seconds, [&](int t, int64_t) {
          resguardo::v1::ListCasesRequest req;
          req.set_parent(o_.parent);
          req.set_page_size(50);
          resguardo::v1::ListCasesResponse out;
          grpc::ClientContext ctx;
          ctx.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::seconds(30));
          return cases_[t]->ListCases(&ctx, req, &out);
        }));
    for (const Result& r : results) Print(r);
    const double check = results[0].per_second;
    if (check > 0) {
      std::printf(
          "  ratios to Check: CreateCase %.0f%% (target >= 30%%), GetCase "
          "FULL %.0f%% (target >= 50%%)\n",
          100 * results[1].per_second / check,
          100 * results[2].per_second / check);
    }
    std::printf("  CreateCase: %.0f durable cases/s (target >= 3000)\n",
                results[1].per_second);
    return results;
  }

 private:
  grpc::Status Check(int t) {
    // grpc.health.v1.Health/Check with an empty HealthCheckRequest; a
    // SERVING answer is the bytes 08 01.
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(30));
    grpc::ByteBuffer request(nullptr, 0);
    grpc::ByteBuffer response;
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    grpc::Status status;
    generic_[t]->UnaryCall(&ctx, "/grpc.health.v1.Health/Check",
                           grpc::StubOptions(), &request, &response,
                           [&](grpc::Status s) {
                             std::lock_guard<std::mutex> lock(mu);
                             status = std::move(s);
                             done = true;
                             cv.notify_one();
                           });
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return done; });
    return status;
  }

  void Remember(const std::string& name) {
    std::lock_guard<std::mutex> lock(names_mu_);
    if (names_.size() < 100'000) names_.push_back(name);
  }
  std::string Pick(int64_t i) {
    std::lock_guard<std::mutex> lock(names_mu_);
    if (names_.empty()) return o_.parent + "/cases/NONE-2026-000000";
    return names_[static_cast<size_t>(i) % names_.size()];
  }

  Options o_;
  std::vector<std::unique_ptr<resguardo::v1::CaseService::Stub>> cases_;
  std::vector<std::unique_ptr<grpc::GenericStub>> generic_;
  int64_t created_ = 0;
  std::mutex names_mu_;
  std::vector<std::string> names_;
};

}  // namespace

int main(int argc, char** argv) {
  Options o = ParseOptions(argc, argv);
  std::printf("resguardo_loadgen: %d clients, %d s per method, node %s\n",
              o.clients, o.seconds, o.server.c_str());
  Driver driver(o);
  std::vector<int64_t> sizes = o.growth;
  if (sizes.empty()) sizes.push_back(1000);
  std::map<int64_t, std::pair<double, long>> create_p50_and_rss;  // NOLINT
  for (int64_t size : sizes) {
    auto start = Clock::now();
    driver.LoadUpTo(size);
    double s = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("\nat >= %lld cases (loaded in %.1f s):\n",
                static_cast<long long>(size), s);
    auto results = driver.MeasureAll();
    long rss = ResidentKib(o.node_pid);  // NOLINT(runtime/int)
    if (rss >= 0)
      std::printf("  node resident memory: %.1f MB\n", rss / 1024.0);
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
