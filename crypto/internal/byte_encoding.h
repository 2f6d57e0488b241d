// Big-endian integers and length-prefixed strings: the building blocks of
// every binary format in crypto/ (associated data, headers, contexts).
// Internal to crypto/.
#ifndef RESGUARDO_CRYPTO_INTERNAL_BYTE_ENCODING_H_
#define RESGUARDO_CRYPTO_INTERNAL_BYTE_ENCODING_H_

#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>

#include "absl/strings/string_view.h"

namespace resguardo::crypto::internal {

inline void AppendBigEndian32(uint32_t v, std::string* out) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

inline void AppendBigEndian64(uint64_t v, std::string* out) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

// REQUIRES: p points at 4 readable bytes.
inline uint32_t LoadBigEndian32(const char* p) {
  const auto* b = reinterpret_cast<const uint8_t*>(p);
  return uint32_t{b[0]} << 24 | uint32_t{b[1]} << 16 | uint32_t{b[2]} << 8 |
         uint32_t{b[3]};
}

// A 4-byte big-endian length, then the bytes: no two different sequences of
// strings encode the same. Aborts on a string of 4 GiB or more, which no
// caller passes: an ambiguous encoding would let two contexts share a
// ciphertext.
inline void AppendLengthPrefixed(absl::string_view s, std::string* out) {
  if (s.size() > std::numeric_limits<uint32_t>::max()) std::abort();
  AppendBigEndian32(static_cast<uint32_t>(s.size()), out);
  out->append(s.data(), s.size());
}

}  // namespace resguardo::crypto::internal

#endif  // RESGUARDO_CRYPTO_INTERNAL_BYTE_ENCODING_H_
