// Conversions between the node's stored times (microseconds since the Unix
// epoch, as the SQLCipher rows keep them) and google.protobuf.Timestamp, the
// API's time type. Pure functions; thread-safe.
#ifndef RESGUARDO_SERVICES_API_TIMESTAMPS_H_
#define RESGUARDO_SERVICES_API_TIMESTAMPS_H_

#include <cstdint>

#include "google/protobuf/timestamp.pb.h"

namespace resguardo::api {

// Writes `micros` into `out` as a valid Timestamp: nanos in [0, 999999000]
// also before the epoch (-1 µs is seconds -1, nanos 999999000).
void SetTimestamp(int64_t micros, google::protobuf::Timestamp* out);
google::protobuf::Timestamp ToTimestamp(int64_t micros);

// Microseconds since the epoch, sub-microsecond nanos truncated.
// REQUIRES: `t` is a valid Timestamp (nanos in [0, 999999999]) whose
// microseconds fit in int64 (years 0001 to 9999 do).
int64_t ToMicros(const google::protobuf::Timestamp& t);

}  // namespace resguardo::api

#endif  // RESGUARDO_SERVICES_API_TIMESTAMPS_H_
