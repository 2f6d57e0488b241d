// referral_bench: the referral store in-process on a real SQLCipher file
// (services/referrals): CreateReferral + AcceptReferral throughput and
// latency with concurrent writers (group commit), then ListReferrals (an
// inbox page of 50; with a status filter; overdue only) p50/p99 with
// --referrals (default 100,000) referrals in the database.
//
//   referral_bench [--threads 8] [--seconds 5] [--referrals 100000]
//                  [--dir /tmp]
//
// In-process: no gRPC, no TLS and no audit entry (a node call adds those;
// the load generator measures them). Prints figures; not part of the tests.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "base/clock.h"
#include "crypto/key_provider.h"
#include "crypto/testing/fixed_key_provider.h"
#include "resguardo/v1/admin_service.pb.h"
#include "services/admin/directory.h"
#include "services/cases/case_store.h"
#include "services/referrals/referral_store.h"
#include "services/schema/node_schema.h"
#include "services/store/database.h"
#include "services/store/testing/temp_dir.h"

namespace resguardo {
namespace {

using SteadyClock = std::chrono::steady_clock;

auth::Principal Caller(std::string institution, v1::Role role) {
  auth::Principal p;
  p.institution = std::move(institution);
  p.user = "bench";
  p.roles = {role};
  return p;
}

void Die(const absl::Status& status, const char* what) {
  if (status.ok()) return;
  std::fprintf(stderr, "referral_bench: %s: %s\n", what,
               std::string(status.message()).c_str());
  std::exit(1);
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * (v.size() - 1));
  return v[i];
}

double MillisSince(SteadyClock::time_point start) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - start)
      .count();
}

int Main(int argc, char** argv) {
  int threads = 8, seconds = 5, total = 100000;
  std::string dir_root;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--threads") (void)absl::SimpleAtoi(argv[i + 1], &threads);
    if (flag == "--seconds") (void)absl::SimpleAtoi(argv[i + 1], &seconds);
    if (flag == "--referrals") (void)absl::SimpleAtoi(argv[i + 1], &total);
    if (flag == "--dir") dir_root = argv[i + 1];
  }
  store::testing::TempDir dir;
  crypto::testing::FixedKeyProvider keys('b');
  // The stores' clock: real time, until it is moved 25 hours on to make
  // every pending referral overdue for the overdue list.
  FakeClock fake(absl::Now());
  const Clock* clock = &fake;
  store::Database::Options options;
  options.create_if_missing = true;
  options.migrations = schema::NodeMigrations();
  auto db = store::Database::Open(
      dir.File("bench.db"), crypto::SecretData(std::string(32, 'k')), options);
  Die(db.status(), "open");
  auto directory = admin::Directory::New(keys, clock);
  Die(directory.status(), "directory");
  auto cases = cases::CaseStore::New(directory->get(), keys, clock);
  Die(cases.status(), "cases");
  auto referrals = referrals::ReferralStore::New(
      directory->get(), cases->get(), referrals::DeadlinePolicy(), clock);
  Die(referrals.status(), "referrals");
  Die((*db)->Write([&](store::WriteTxn& txn) {
    return (*directory)
        ->Bootstrap(txn,
                    {"IEEPCO", "IEEPCO",
                     v1::INSTITUTION_KIND_ELECTORAL_INSTITUTE, "20"},
                    "admin");
  }),
      "bootstrap");
  Die((*db)->Write([&](store::WriteTxn& txn) {
    v1::CreateInstitutionRequest r;
    r.mutable_institution()->set_institution_id("FGEO");
    r.mutable_institution()->set_display_name("FGEO");
    r.mutable_institution()->set_kind(v1::INSTITUTION_KIND_PROSECUTOR);
    auth::Principal op = Caller("IEEPCO", v1::ROLE_ADMIN);
    op.of_operator = true;
    return (*directory)->CreateInstitution(txn, op, r).status();
  }),
      "institution");
  const auth::Principal sender = Caller("IEEPCO", v1::ROLE_CASEWORKER);
  const auth::Principal receiver = Caller("FGEO", v1::ROLE_CASEWORKER);
  // A few cases to refer (a referral reads its case's sealed data).
  std::vector<std::string> case_names;
  for (int i = 0; i < 16; ++i) {
    v1::CreateCaseRequest r;
    r.set_parent("institutions/IEEPCO");
    auto* d = r.mutable_case_record()->mutable_descriptors();
    d->set_kind(v1::CASE_KIND_GBV);
    d->set_state_code("20");
    absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
    d->mutable_reported_date()->set_year(static_cast<int>(today.year()));
    d->mutable_reported_date()->set_month(today.month());
    d->mutable_reported_date()->set_day(today.day());
    d->set_risk_level(v1::RISK_LEVEL_MEDIUM);
    auto* p = r.mutable_case_record()->mutable_personal_data();
    p->set_victim_name("Persona Sintética");
    p->set_contact_phone("+52 951 000 0000");
    p->set_narrative(std::string(2000, 'x'));
    auto made = (*db)->Write([&](store::WriteTxn& txn) {
      return (*cases)->CreateCase(txn, sender, r);
    });
    Die(made.status(), "case");
    case_names.push_back(made->name());
  }
  auto request_for = [&](int i) {
    v1::CreateReferralRequest r;
    r.mutable_referral()->set_case_(case_names[i % case_names.size()]);
    r.mutable_referral()->set_receiving_institution("FGEO");
    r.mutable_referral()->add_services(v1::REFERRAL_SERVICE_KIND_LEGAL);
    r.mutable_consent()->set_given_by(v1::CONSENT_GIVER_VICTIM);
    r.mutable_consent()->set_method(v1::CONSENT_METHOD_IN_PERSON);
    r.mutable_consent()->mutable_give_time()->set_seconds(
        absl::ToUnixSeconds(absl::Now()) - 60);
    r.mutable_consent()->set_scope(v1::SHARING_SCOPE_CONTACT_AND_NARRATIVE);
    return r;
  };

  // 1. Create + Accept with concurrent writers.
  std::atomic<int> next{0};
  absl::Mutex mu;
  std::vector<double> create_ms, accept_ms;
  const auto deadline = SteadyClock::now() + std::chrono::seconds(seconds);
  std::vector<std::thread> workers;
  const auto started = SteadyClock::now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      std::vector<double> mine_c, mine_a;
      while (SteadyClock::now() < deadline) {
        fake.Set(absl::Now());
        v1::CreateReferralRequest r = request_for(next++);
        bool used = false;
        auto t0 = SteadyClock::now();
        auto made = (*db)->Write(
            store::Database::Isolation::kChecksFirst,
            [&](store::WriteTxn& txn) {
              return (*referrals)->CreateReferral(txn, sender, r, &used);
            });
        mine_c.push_back(MillisSince(t0));
        Die(made.status(), "create");
        v1::AcceptReferralRequest a;
        a.set_name(made->name());
        a.set_etag(made->etag());
        t0 = SteadyClock::now();
        auto accepted = (*db)->Write(
            store::Database::Isolation::kChecksFirst,
            [&](store::WriteTxn& txn) {
              return (*referrals)->AcceptReferral(txn, receiver, a);
            });
        mine_a.push_back(MillisSince(t0));
        Die(accepted.status(), "accept");
      }
      absl::MutexLock lock(&mu);
      create_ms.insert(create_ms.end(), mine_c.begin(), mine_c.end());
      accept_ms.insert(accept_ms.end(), mine_a.begin(), mine_a.end());
    });
  }
  for (auto& w : workers) w.join();
  const double elapsed_s = MillisSince(started) / 1000.0;
  std::printf("referral_bench (in-process, %d writer threads, %d s)\n", threads,
              seconds);
  std::printf("  create+accept pairs: %zu in %.1f s = %.0f pairs/s\n",
              create_ms.size(), elapsed_s, create_ms.size() / elapsed_s);
  std::printf("  CreateReferral  p50 %.2f ms  p99 %.2f ms\n",
              Percentile(create_ms, 0.5), Percentile(create_ms, 0.99));
  std::printf("  AcceptReferral  p50 %.2f ms  p99 %.2f ms\n",
              Percentile(accept_ms, 0.5), Percentile(accept_ms, 0.99));

  // 2. Load up to `total` referrals (batches of 1,000 per transaction), all
  // PENDING in FGEO's inbox.
  int have = next.load();
  const auto load_start = SteadyClock::now();
  while (have < total) {
    const int batch = std::min(1000, total - have);
    Die((*db)->Write([&](store::WriteTxn& txn) -> absl::Status {
      for (int i = 0; i < batch; ++i) {
        bool used = false;
        auto made =
            (*referrals)
                ->CreateReferral(txn, sender, request_for(have + i), &used);
        if (!made.ok()) return made.status();
      }
      return absl::OkStatus();
    }),
        "load");
    have += batch;
  }
  std::printf("  loaded to %d referrals in %.1f s\n", have,
              MillisSince(load_start) / 1000.0);

  // 3. ListReferrals: an inbox page of 50.
  auto list_p = [&](const char* what, v1::ListReferralsRequest r, int n) {
    std::vector<double> ms;
    std::string token;
    for (int i = 0; i < n; ++i) {
      // Walk the first pages, then start again: deep and shallow pages both.
      r.set_page_token(i % 20 == 0 ? "" : token);
      auto t0 = SteadyClock::now();
      auto page = (*db)->Read([&](store::ReadTxn& txn) {
        return (*referrals)->ListReferrals(txn, receiver, r);
      });
      ms.push_back(MillisSince(t0));
      Die(page.status(), "list");
      token = page->next_page_token();
    }
    std::printf("  ListReferrals %-28s p50 %.2f ms  p99 %.2f ms  (%d pages)\n",
                what, Percentile(ms, 0.5), Percentile(ms, 0.99), n);
  };
  v1::ListReferralsRequest inbox;
  inbox.set_parent("institutions/FGEO");
  inbox.set_box(v1::REFERRAL_BOX_INBOX);
  inbox.set_page_size(50);
  list_p("inbox, page of 50", inbox, 2000);
  v1::ListReferralsRequest pending = inbox;
  pending.add_statuses(v1::REFERRAL_STATUS_PENDING);
  list_p("inbox PENDING, page of 50", pending, 2000);
  v1::ListReferralsRequest by_service = inbox;
  by_service.add_services(v1::REFERRAL_SERVICE_KIND_LEGAL);
  list_p("inbox LEGAL, page of 50", by_service, 2000);
  v1::ListReferralsRequest overdue = inbox;
  overdue.set_overdue_only(true);
  fake.Advance(absl::Hours(25));
  list_p("inbox overdue (all), page of 50", overdue, 2000);
  Die((*db)->Close(), "close");
  return 0;
}

}  // namespace
}  // namespace resguardo

int main(int argc, char** argv) { return resguardo::Main(argc, argv); }
