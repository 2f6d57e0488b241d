// The Connect protocol's streaming framing (connectrpc.com/docs/protocol,
// "Streaming-Request" and "Streaming-Response"): every message of a stream
// travels in an envelope — one flags byte, the message's length as 4 bytes
// big-endian, the message — and a stream's answer ends with an end-of-stream
// message (flag 0x02), a JSON object with the error, if the stream ended in
// one:
//
//   {"error": {"code": "unavailable", "message": "...", "details": [...]}}
//
// (connect_error.h's form of the call core's public status). The node
// compresses nothing and accepts nothing compressed. Pure functions;
// thread-safe.
#ifndef RESGUARDO_SERVICES_SERVER_WEB_CONNECT_ENVELOPE_H_
#define RESGUARDO_SERVICES_SERVER_WEB_CONNECT_ENVELOPE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/rpc/status.pb.h"

namespace resguardo::server::web {

inline constexpr uint8_t kEnvelopeCompressed = 0x01;
inline constexpr uint8_t kEnvelopeEndStream = 0x02;
inline constexpr size_t kEnvelopePrefixBytes = 5;

// `message` in an envelope with `flags`.
std::string Envelope(uint8_t flags, absl::string_view message);

// The message of a server stream's request body, which must be exactly one
// envelope, uncompressed (flags 0) and whole. INVALID_ARGUMENT saying what
// is wrong otherwise (never repeating the body).
absl::StatusOr<absl::string_view> SingleEnvelopeMessage(absl::string_view body);

// The end-of-stream message of a stream that ended with `answer` (the call
// core's public status, in the caller's language: grpc_status.h
// PublicStatus): "{}" when its code is 0, else {"error": <its Connect
// error>}, enveloped.
std::string EndOfStream(const google::rpc::Status& answer);

}  // namespace resguardo::server::web

#endif  // RESGUARDO_SERVICES_SERVER_WEB_CONNECT_ENVELOPE_H_
