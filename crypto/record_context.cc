#include "crypto/record_context.h"

#include "crypto/internal/byte_encoding.h"

namespace resguardo::crypto {

std::string RecordContext::Encode() const {
  std::string out;
  out.reserve(4 * 4 + kLabel.size() + purpose.size() + institution.size() +
              resource_name.size() + 8);
  internal::AppendLengthPrefixed(kLabel, &out);
  internal::AppendLengthPrefixed(purpose, &out);
  internal::AppendLengthPrefixed(institution, &out);
  internal::AppendLengthPrefixed(resource_name, &out);
  internal::AppendBigEndian64(version, &out);
  return out;
}

}  // namespace resguardo::crypto
