#include "services/stats/internal/geometric_noise.h"

#include <openssl/rand.h>

#include <cmath>
#include <cstring>

#include "absl/status/status.h"

namespace resguardo::stats {
namespace {

// A uniform double in (0, 1] with 53 random bits.
absl::StatusOr<double> Uniform() {
  uint64_t bits = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&bits), sizeof(bits)) != 1) {
    return absl::InternalError("RAND_bytes failed");
  }
  bits >>= 11;
  return (static_cast<double>(bits) + 1.0) / 9007199254740992.0;  // 2^53
}

// Geometric on {0, 1, ...}: P(G = g) = (1 - a) a^g, by inversion.
absl::StatusOr<int64_t> Geometric(double log_a) {
  absl::StatusOr<double> u = Uniform();
  if (!u.ok()) return u.status();
  double g = std::floor(std::log(*u) / log_a);
  if (!(g < 1e15)) g = 1e15;
  return static_cast<int64_t>(g);
}

}  // namespace

absl::StatusOr<int64_t> GeometricNoise(double epsilon) {
  const double log_a = -epsilon;
  absl::StatusOr<int64_t> g1 = Geometric(log_a);
  if (!g1.ok()) return g1.status();
  absl::StatusOr<int64_t> g2 = Geometric(log_a);
  if (!g2.ok()) return g2.status();
  return *g1 - *g2;
}

int64_t GeometricErrorBound(double epsilon, double confidence) {
  const double a = std::exp(-epsilon);
  int64_t b = 0;
  while (2 * std::pow(a, static_cast<double>(b + 1)) / (1 + a) >
         1 - confidence) {
    ++b;
  }
  return b;
}

}  // namespace resguardo::stats
