// The call core's decoding of a request: bytes as they came off a transport
// in, the method's typed request out, or a refusal that names what is wrong
// (DESIGN.md §2: a transport is a thin adapter; decoding, like
// authentication, authorization and audit, is written once). The gRPC
// listener hands the call core raw bytes (call_runner.h), so that a request
// that does not decode is refused, logged and audited like any other
// refusal instead of being answered UNIMPLEMENTED by gRPC before the node
// sees it; a JSON transport takes the same step with its own encoding.
//
// Refusals never repeat the bytes received (they may hold personal data):
//   RESOURCE_EXHAUSTED  more bytes than the node accepts (names the limit);
//   INVALID_ARGUMENT    a string field that is not valid UTF-8 (a
//                       google.rpc.BadRequest naming the field's path, e.g.
//                       "case_record.personal_data.victim_name"), or bytes
//                       that are not the method's request message at all
//                       (the message names the message type);
//   UNIMPLEMENTED       DecodeRequest(full_method, ...) of a method the node
//                       does not serve.
//
// libprotobuf logs a line of its own when a string field is not UTF-8 (it
// names the field, never the bytes). The refusal above says the same under
// the call's request id, so the node's log drops lines logged on a thread
// while it decodes (DecodingRequestOnThisThread).
//
// Pure functions; thread-safe.
#ifndef RESGUARDO_SERVICES_SERVER_REQUEST_DECODER_H_
#define RESGUARDO_SERVICES_SERVER_REQUEST_DECODER_H_

#include <cstddef>
#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace resguardo::server {

// RESOURCE_EXHAUSTED when `size` exceeds `max_bytes`; a transport checks it
// before it gathers the bytes.
absl::Status CheckRequestSize(size_t size, size_t max_bytes);

// Parses `bytes`, the protobuf binary encoding, into `request` (cleared
// first). On failure `request` is left cleared.
absl::Status DecodeRequest(absl::string_view bytes,
                           google::protobuf::Message& request);

// The request message of `full_method` ("/resguardo.v1.CaseService/GetCase",
// looked up among the compiled-in descriptors), parsed from `bytes`.
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> DecodeRequest(
    absl::string_view full_method, absl::string_view bytes);

// Whether this thread is inside DecodeRequest (see the header comment).
bool DecodingRequestOnThisThread();

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_REQUEST_DECODER_H_
