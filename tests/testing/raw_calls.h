// Calls to a real node with raw bytes as the request, as any gRPC
// implementation could send them (grpc::GenericStub), and what tests read
// back of them in the node's log: for the tests of requests the node must
// decode itself (issue 13, item 1).
#ifndef RESGUARDO_TESTS_TESTING_RAW_CALLS_H_
#define RESGUARDO_TESTS_TESTING_RAW_CALLS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/status.h"

namespace resguardo::testing {

// A unary call of `method` ("/pkg.Service/Method") with `bytes` as the
// request and x-request-id `request_id`.
grpc::Status RawCall(const std::shared_ptr<grpc::Channel>& channel,
                     const std::string& method, const std::string& bytes,
                     const std::string& request_id);

// A streaming call (server-streaming or bidirectional) with `bytes` as the
// client's one message: the client sends it, closes its side and reads
// until the end. Returns how the call ended; the messages received go to
// `responses` when it is set.
grpc::Status RawStreamCall(const std::shared_ptr<grpc::Channel>& channel,
                           const std::string& method, const std::string& bytes,
                           const std::string& request_id,
                           std::vector<std::string>* responses = nullptr);

// `message`'s bytes with the placeholder "@@@@" (in some string field)
// replaced by four bytes that are not UTF-8.
std::string WithInvalidUtf8(const google::protobuf::Message& message);

// The lines of the node's log `log` that hold `needle`.
std::vector<std::string> LogLinesWith(const std::string& log,
                                      absl::string_view needle);

}  // namespace resguardo::testing

#endif  // RESGUARDO_TESTS_TESTING_RAW_CALLS_H_
