// RecordContext: where a sealed record belongs, used as its AEAD associated
// data so that a ciphertext moved to another row, another institution,
// another purpose or rolled back to another version does not open.
//
// Encode() is canonical and injective: two contexts encode to the same bytes
// only if all four fields are equal.
//
// Thread safety: a plain value; const methods may be called concurrently.
#ifndef RESGUARDO_CRYPTO_RECORD_CONTEXT_H_
#define RESGUARDO_CRYPTO_RECORD_CONTEXT_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace resguardo::crypto {

struct RecordContext {
  // The domain-separation label that starts every encoding.
  static constexpr absl::string_view kLabel = "resguardo.record-context.v1";

  std::string purpose;        // e.g. "case.sealed"
  std::string institution;    // e.g. "institutions/ministerio-publico"
  std::string resource_name;  // e.g. "cases/8f3a"
  uint64_t version = 0;       // the record's version (row version)

  // Layout, every length a 4-byte big-endian byte count:
  //   len(kLabel) ‖ kLabel ‖ len(purpose) ‖ purpose ‖
  //   len(institution) ‖ institution ‖ len(resource_name) ‖ resource_name ‖
  //   version (8 bytes, big-endian)
  // REQUIRES: every field is shorter than 4 GiB (the process aborts
  // otherwise, rather than produce an ambiguous encoding).
  std::string Encode() const;

  friend bool operator==(const RecordContext& a, const RecordContext& b) {
    return a.purpose == b.purpose && a.institution == b.institution &&
           a.resource_name == b.resource_name && a.version == b.version;
  }
  friend bool operator!=(const RecordContext& a, const RecordContext& b) {
    return !(a == b);
  }
};

}  // namespace resguardo::crypto

#endif  // RESGUARDO_CRYPTO_RECORD_CONTEXT_H_
