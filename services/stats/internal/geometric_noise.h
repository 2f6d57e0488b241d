// Two-sided geometric noise (the discrete Laplace mechanism) for counts of
// sensitivity 1: P(X = x) = (1 - a) / (1 + a) * a^|x| with a = exp(-eps).
// Adding X to a count whose value changes by at most 1 when one person is
// added or removed gives eps-differential privacy (Ghosh, Roughgarden,
// Sundararajan 2009). Integer outputs avoid the floating-point attacks on
// the continuous Laplace mechanism (Mironov 2012). Randomness comes from
// OpenSSL's CSPRNG (RAND_bytes), never from a seeded generator.
//
// Thread-safe.
#ifndef RESGUARDO_SERVICES_STATS_INTERNAL_GEOMETRIC_NOISE_H_
#define RESGUARDO_SERVICES_STATS_INTERNAL_GEOMETRIC_NOISE_H_

#include <cstdint>

#include "absl/status/statusor.h"

namespace resguardo::stats {

// One draw of X for `epsilon` (> 0). INTERNAL if RAND_bytes fails.
absl::StatusOr<int64_t> GeometricNoise(double epsilon);

// The smallest bound B with P(|X| > B) <= 1 - confidence, i.e. a released
// count is within B of the true count with probability >= confidence.
// P(|X| > B) = 2 a^(B+1) / (1 + a).
int64_t GeometricErrorBound(double epsilon, double confidence);

}  // namespace resguardo::stats

#endif  // RESGUARDO_SERVICES_STATS_INTERNAL_GEOMETRIC_NOISE_H_
