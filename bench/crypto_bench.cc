// Crypto benchmarks: envelope Seal+Open beside raw AES-256-GCM on the same
// 1 KiB buffer, and Merkle tree append and proof rates. Prints Google
// Benchmark's table, then a summary against the targets of the foundation
// issue (Seal+Open within 2x of raw AES-256-GCM; Merkle append >= 500,000
// leaves/s).
//
//   build/bin/crypto_bench [--benchmark_filter=...]
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "crypto/envelope.h"
#include "crypto/internal/aes_gcm.h"
#include "crypto/merkle_tree.h"
#include "crypto/record_context.h"
#include "crypto/secret_data.h"

namespace {

using resguardo::crypto::DataKey;
using resguardo::crypto::Envelope;
using resguardo::crypto::KekRing;
using resguardo::crypto::MerkleTree;
using resguardo::crypto::RecordContext;
using resguardo::crypto::SecretData;
using resguardo::crypto::internal::AesGcm256;

constexpr size_t kRecordSize = 1024;

template <typename T>
T OrDie(absl::StatusOr<T> v) {
  if (!v.ok()) {
    std::fprintf(stderr, "benchmark setup failed: %s\n",
                 v.status().ToString().c_str());
    std::abort();
  }
  return std::move(v).value();
}

void BM_RawAesGcmSealOpen1KiB(benchmark::State& state) {
  auto key = OrDie(SecretData::Random(AesGcm256::kKeySize));
  auto gcm = OrDie(AesGcm256::New(key));
  const std::string nonce(AesGcm256::kNonceSize, '\x01');
  const std::string plaintext(kRecordSize, 'x');
  const std::string ad = "institution|resource|1";
  for (auto _ : state) {
    std::string sealed = OrDie(gcm->Seal(nonce, plaintext, ad));
    absl::string_view ct(sealed.data(), plaintext.size());
    absl::string_view tag(sealed.data() + plaintext.size(),
                          AesGcm256::kTagSize);
    std::string opened = OrDie(gcm->Open(nonce, ct, tag, ad));
    benchmark::DoNotOptimize(opened);
  }
  state.SetBytesProcessed(state.iterations() * kRecordSize);
}
BENCHMARK(BM_RawAesGcmSealOpen1KiB);

void BM_EnvelopeSealOpen1KiB(benchmark::State& state) {
  std::shared_ptr<KekRing> ring = OrDie(KekRing::New("IEEPCO"));
  OrDie(ring->Rotate());
  Envelope envelope(ring);
  auto created = OrDie(
      envelope.NewDataKey("institutions/IEEPCO/cases/IEEPCO-2026-000001"));
  const DataKey& dek = created.key;
  const RecordContext context{"case.personal_data", "IEEPCO",
                              "institutions/IEEPCO/cases/IEEPCO-2026-000001",
                              1};
  const std::string plaintext(kRecordSize, 'x');
  for (auto _ : state) {
    std::string sealed = OrDie(dek.Seal(plaintext, context));
    std::string opened = OrDie(dek.Open(sealed, context));
    benchmark::DoNotOptimize(opened);
  }
  state.SetBytesProcessed(state.iterations() * kRecordSize);
}
BENCHMARK(BM_EnvelopeSealOpen1KiB);

// Unwrapping a case's data key: paid once per request that reads a case.
void BM_EnvelopeUnwrapDataKey(benchmark::State& state) {
  std::shared_ptr<KekRing> ring = OrDie(KekRing::New("IEEPCO"));
  OrDie(ring->Rotate());
  Envelope envelope(ring);
  const std::string name = "institutions/IEEPCO/cases/IEEPCO-2026-000001";
  auto created = OrDie(envelope.NewDataKey(name));
  for (auto _ : state) {
    DataKey key = OrDie(envelope.Unwrap(created.wrapped, name));
    benchmark::DoNotOptimize(key);
  }
}
BENCHMARK(BM_EnvelopeUnwrapDataKey);

std::vector<std::string> LeafHashes(size_t n) {
  std::vector<std::string> leaves;
  leaves.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    leaves.push_back(
        resguardo::crypto::HashLeaf("audit entry " + std::to_string(i)));
  }
  return leaves;
}

void BM_MerkleAppend(benchmark::State& state) {
  const std::vector<std::string> leaves = LeafHashes(1 << 16);
  MerkleTree tree;
  size_t i = 0;
  for (auto _ : state) {
    if (!tree.Append(leaves[i++ & 0xffff]).ok()) std::abort();
    benchmark::DoNotOptimize(tree.size());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MerkleAppend);

const MerkleTree& MillionLeafTree() {
  static const MerkleTree* tree = [] {
    auto* t = new MerkleTree();
    for (const std::string& leaf : LeafHashes(1'000'000)) {
      if (!t->Append(leaf).ok()) std::abort();
    }
    return t;
  }();
  return *tree;
}

void BM_MerkleInclusionProof1M(benchmark::State& state) {
  const MerkleTree& tree = MillionLeafTree();
  uint64_t index = 12345;
  for (auto _ : state) {
    auto proof = OrDie(tree.InclusionProof(index, tree.size()));
    benchmark::DoNotOptimize(proof);
    index = (index * 7919 + 1) % tree.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MerkleInclusionProof1M);

void BM_MerkleConsistencyProof1M(benchmark::State& state) {
  const MerkleTree& tree = MillionLeafTree();
  uint64_t old_size = 1;
  for (auto _ : state) {
    auto proof = OrDie(tree.ConsistencyProof(old_size, tree.size()));
    benchmark::DoNotOptimize(proof);
    old_size = old_size * 7 % (tree.size() - 1) + 1;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MerkleConsistencyProof1M);

void BM_MerkleVerifyInclusion1M(benchmark::State& state) {
  const MerkleTree& tree = MillionLeafTree();
  const uint64_t index = 777'777;
  const std::string leaf = resguardo::crypto::HashLeaf(
      "audit entry " + std::to_string(index % 65536));
  const std::string root = tree.Root();
  auto proof = OrDie(tree.InclusionProof(index, tree.size()));
  for (auto _ : state) {
    benchmark::DoNotOptimize(resguardo::crypto::VerifyInclusion(
        leaf, index, tree.size(), proof, root));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MerkleVerifyInclusion1M);

// Keeps each run's time per iteration to print the summary.
class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.iterations > 0) {
        ns_per_op_[run.benchmark_name()] =
            run.GetAdjustedRealTime();  // in the run's time unit (ns)
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }

  void PrintSummary() const {
    std::printf("\nSummary (targets from the foundation issue):\n");
    auto get = [&](const char* name) {
      auto it = ns_per_op_.find(name);
      return it == ns_per_op_.end() ? 0.0 : it->second;
    };
    double raw = get("BM_RawAesGcmSealOpen1KiB");
    double env = get("BM_EnvelopeSealOpen1KiB");
    if (raw > 0 && env > 0) {
      std::printf(
          "  Seal+Open 1 KiB: envelope %.0f ns, raw AES-256-GCM %.0f ns: "
          "%.2fx (target <= 2x) %s\n",
          env, raw, env / raw, env / raw <= 2.0 ? "ok" : "MISSED");
      std::printf(
          "  envelope Seal+Open throughput: %.0f records/s, %.1f MiB/s\n",
          1e9 / env, 1e9 / env * kRecordSize / (1 << 20));
    }
    double append = get("BM_MerkleAppend");
    if (append > 0) {
      std::printf("  Merkle append: %.0f leaves/s (target >= 500000) %s\n",
                  1e9 / append, 1e9 / append >= 500000 ? "ok" : "MISSED");
    }
    double inclusion = get("BM_MerkleInclusionProof1M");
    if (inclusion > 0) {
      std::printf(
          "  Merkle inclusion proof at 1,000,000 leaves: %.0f proofs/s "
          "(%.2f us each)\n",
          1e9 / inclusion, inclusion / 1000);
    }
    double consistency = get("BM_MerkleConsistencyProof1M");
    if (consistency > 0) {
      std::printf(
          "  Merkle consistency proof at 1,000,000 leaves: %.0f "
          "proofs/s\n",
          1e9 / consistency);
    }
  }

 private:
  std::map<std::string, double> ns_per_op_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  SummaryReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintSummary();
  benchmark::Shutdown();
  return 0;
}
