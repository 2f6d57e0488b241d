#include "services/stats/internal/cell_key.h"

#include <openssl/sha.h>

#include <algorithm>
#include <cstring>

#include "services/stats/stats_engine.h"

namespace resguardo::stats {

uint64_t CellDraw(absl::string_view purpose, int64_t cell_key, int64_t count) {
  int64_t m = cell_key % kRecordKeyModulus;
  if (m < 0) m += kRecordKeyModulus;
  unsigned char input[64] = {0};
  const size_t p = std::min<size_t>(purpose.size(), 40);
  std::memcpy(input, purpose.data(), p);
  for (int i = 0; i < 8; ++i) {
    input[40 + i] =
        static_cast<unsigned char>(static_cast<uint64_t>(m) >> (56 - 8 * i));
    input[48 + i] = static_cast<unsigned char>(static_cast<uint64_t>(count) >>
                                               (56 - 8 * i));
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(input, sizeof(input), digest);
  uint64_t out = 0;
  for (int i = 0; i < 8; ++i) out = (out << 8) | digest[i];
  return out;
}

int CellKeyPerturbation(int64_t cell_key) {
  // The top 53 bits of the draw as a uniform in [0, 1).
  const double u =
      static_cast<double>(CellDraw(kPerturbationDraw, cell_key, 0) >> 11) /
      9007199254740992.0;
  if (u < 0.1) return -2;
  if (u < 0.3) return -1;
  if (u < 0.7) return 0;
  if (u < 0.9) return 1;
  return 2;
}

int64_t PerturbAndFloor(const Count& c, int64_t k, bool perturb) {
  if (!perturb) return c.value;
  return std::max<int64_t>(c.value + CellKeyPerturbation(c.cell_key), k);
}

}  // namespace resguardo::stats
