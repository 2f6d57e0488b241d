#include "services/api/timestamps.h"

namespace resguardo::api {

void SetTimestamp(int64_t micros, google::protobuf::Timestamp* out) {
  // C++ division truncates toward zero; a Timestamp's nanos must be
  // non-negative, so times before the epoch floor the seconds.
  int64_t seconds = micros / 1000000;
  int64_t rest = micros % 1000000;
  if (rest < 0) {
    seconds -= 1;
    rest += 1000000;
  }
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(rest) * 1000);
}

google::protobuf::Timestamp ToTimestamp(int64_t micros) {
  google::protobuf::Timestamp out;
  SetTimestamp(micros, &out);
  return out;
}

int64_t ToMicros(const google::protobuf::Timestamp& t) {
  return t.seconds() * 1000000 + t.nanos() / 1000;
}

}  // namespace resguardo::api
