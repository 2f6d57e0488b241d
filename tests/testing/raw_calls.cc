#include "tests/testing/raw_calls.h"

#include <sstream>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/notification.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/client_callback.h"
#include "tests/testing/test_node.h"

namespace resguardo::testing {
namespace {

std::string BytesOf(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const grpc::Slice& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

}  // namespace

grpc::Status RawCall(const std::shared_ptr<grpc::Channel>& channel,
                     const std::string& method, const std::string& bytes,
                     const std::string& request_id) {
  grpc::GenericStub stub(channel);
  std::unique_ptr<grpc::ClientContext> context = TestNode::Context(request_id);
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  absl::Notification done;
  grpc::Status result;
  stub.UnaryCall(context.get(), method, grpc::StubOptions(), &request,
                 &response, [&](grpc::Status s) {
                   result = std::move(s);
                   done.Notify();
                 });
  done.WaitForNotification();
  return result;
}

grpc::Status RawStreamCall(const std::shared_ptr<grpc::Channel>& channel,
                           const std::string& method, const std::string& bytes,
                           const std::string& request_id,
                           std::vector<std::string>* responses) {
  class Reactor final
      : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
   public:
    Reactor(const std::string& bytes, std::vector<std::string>* responses)
        : slice_(bytes), request_(&slice_, 1), responses_(responses) {}
    void Go() {
      StartWrite(&request_);
      StartWritesDone();
      StartRead(&response_);
      StartCall();
    }
    void OnReadDone(bool ok) override {
      if (!ok) return;
      if (responses_ != nullptr) responses_->push_back(BytesOf(response_));
      StartRead(&response_);
    }
    void OnDone(const grpc::Status& s) override {
      status = s;
      done.Notify();
    }
    grpc::Slice slice_;
    grpc::ByteBuffer request_;
    grpc::ByteBuffer response_;
    std::vector<std::string>* const responses_;
    grpc::Status status;
    absl::Notification done;
  };
  grpc::GenericStub stub(channel);
  std::unique_ptr<grpc::ClientContext> context = TestNode::Context(request_id);
  Reactor reactor(bytes, responses);
  stub.PrepareBidiStreamingCall(context.get(), method, grpc::StubOptions(),
                                &reactor);
  reactor.Go();
  reactor.done.WaitForNotification();
  return reactor.status;
}

std::string WithInvalidUtf8(const google::protobuf::Message& message) {
  return absl::StrReplaceAll(message.SerializeAsString(),
                             {{"@@@@", "\xff\xc3\x28\xed"}});
}

std::vector<std::string> LogLinesWith(const std::string& log,
                                      absl::string_view needle) {
  std::vector<std::string> lines;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (absl::StrContains(line, needle)) lines.push_back(line);
  }
  return lines;
}

}  // namespace resguardo::testing
