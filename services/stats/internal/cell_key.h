// Cell keys (the Australian Bureau of Statistics' TableBuilder method, as
// stats_engine.h describes it): a count of cases with the sum of their
// secret record keys, and the draws a fixed function of that sum gives: the
// perturbation of a released count and the rank of a released median.
//
// Thread-safe (pure functions).
#ifndef RESGUARDO_SERVICES_STATS_INTERNAL_CELL_KEY_H_
#define RESGUARDO_SERVICES_STATS_INTERNAL_CELL_KEY_H_

#include <cstdint>

#include "absl/strings/string_view.h"

namespace resguardo::stats {

// Record key of a case = (id * a + b) mod kRecordKeyModulus.
inline constexpr int64_t kRecordKeyModulus = 2147483647;  // 2^31 - 1

// What a cell's draw is for (each gets its own, independent of the other).
inline constexpr char kPerturbationDraw[] = "resguardo stats perturbation v2";
inline constexpr char kMedianDraw[] = "resguardo stats median rank v1";

// 64 pseudo-random bits, a fixed function of a set of cases (its cell key
// mod 2^31 - 1, and for a median the number of values): SHA-256 of
// (purpose, cell key, count). The
// secret is in the cell key (the record keys are keyed); the hash makes
// sets whose cell keys differ by any amount, however small, get unrelated
// draws (the earlier perturbation, a step function of the cell key, gave
// a set and the same set plus one woman's cases the same value most of
// the time, so that their difference was her exact count).
uint64_t CellDraw(absl::string_view purpose, int64_t cell_key, int64_t count);

// A count of cases and its cell key (the sum of their record keys; only its
// value mod kRecordKeyModulus matters).
struct Count {
  int64_t value = 0;
  int64_t cell_key = 0;
};

// The count as released: with `perturb`, plus its cell-key perturbation
// (CellKeyPerturbation, stats_engine.h) and floored at k, so that a released
// count is never below k; without, exact.
int64_t PerturbAndFloor(const Count& c, int64_t k, bool perturb);

}  // namespace resguardo::stats

#endif  // RESGUARDO_SERVICES_STATS_INTERNAL_CELL_KEY_H_
