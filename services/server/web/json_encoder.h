// EncodeJson: a message as proto3 JSON, the same JSON as protobuf's
// MessageToJsonString with its default options (lowerCamelCase names,
// enums by name, 64-bit integers as strings, bytes in base64, fields at
// their default value left out, Timestamp and Duration in their string
// forms), written directly by reflection. Debian 12's protobuf (3.21)
// prints JSON by serializing the message, then parsing those bytes again
// through a type resolver: about a third of the node's CPU in a GetCase
// FULL over the web listener went there (README, "Benchmarks").
//
// A message that holds any other well-known type (Any, Struct, Value,
// wrappers, FieldMask, Empty) is handed to MessageToJsonString whole; the
// node's API uses none in its responses today. Key order and string
// escaping may differ from protobuf's; the JSON values are the same
// (json_encoder_test.cc compares them over every message of the API).
//
// Thread safety: thread-safe.
#ifndef RESGUARDO_SERVICES_SERVER_WEB_JSON_ENCODER_H_
#define RESGUARDO_SERVICES_SERVER_WEB_JSON_ENCODER_H_

#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace resguardo::server::web {

// Appends `message` as JSON to `out` (cleared first).
absl::Status EncodeJson(const google::protobuf::Message& message,
                        std::string* out);

}  // namespace resguardo::server::web

#endif  // RESGUARDO_SERVICES_SERVER_WEB_JSON_ENCODER_H_
