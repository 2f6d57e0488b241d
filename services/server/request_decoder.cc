#include "services/server/request_decoder.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "services/api/error_catalogue.h"
#include "services/api/field_violations.h"
#include "services/api/text_rules.h"

namespace resguardo::server {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;

// libprotobuf's default recursion limit: deeper messages do not parse.
constexpr int kMaxDepth = 100;

thread_local bool decoding = false;

class DecodingScope {
 public:
  DecodingScope() { decoding = true; }
  ~DecodingScope() { decoding = false; }
};

bool ReadVarint(absl::string_view& data, uint64_t* value) {
  *value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (data.empty()) return false;
    const uint8_t byte = static_cast<uint8_t>(data.front());
    data.remove_prefix(1);
    *value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

bool Skip(absl::string_view& data, size_t n) {
  if (data.size() < n) return false;
  data.remove_prefix(n);
  return true;
}

bool ValidatesUtf8(const FieldDescriptor& field) {
  return field.type() == FieldDescriptor::TYPE_STRING &&
         field.file()->syntax() == FileDescriptor::SYNTAX_PROTO3;
}

struct Fault {
  // The path of the field at fault; "" for the request message itself.
  std::string path;
  // The field is a string that is not valid UTF-8 (else: bytes that are not
  // a well-formed message where one is expected).
  bool utf8 = false;
};

// Where `data` stops being a well-formed `type`, for the refusal: false and
// `fault` set; true when no fault is found (libprotobuf refused for a reason
// this walk does not see).
bool FindFault(const Descriptor& type, absl::string_view data, int depth,
               const std::string& prefix, Fault* fault) {
  auto fail = [&](const FieldDescriptor* field, bool utf8 = false) {
    fault->path = field != nullptr ? absl::StrCat(prefix, field->name())
                  : prefix.empty() ? ""
                                   : prefix.substr(0, prefix.size() - 1);
    fault->utf8 = utf8;
    return false;
  };
  if (depth > kMaxDepth) return fail(nullptr);
  while (!data.empty()) {
    uint64_t tag = 0;
    if (!ReadVarint(data, &tag) || (tag >> 3) == 0 || (tag >> 3) > 0x1fffffff) {
      return fail(nullptr);
    }
    const FieldDescriptor* field =
        type.FindFieldByNumber(static_cast<int>(tag >> 3));
    uint64_t ignored = 0;
    switch (tag & 7) {
      case 0:
        if (!ReadVarint(data, &ignored)) return fail(field);
        break;
      case 1:
        if (!Skip(data, 8)) return fail(field);
        break;
      case 5:
        if (!Skip(data, 4)) return fail(field);
        break;
      case 2: {
        uint64_t length = 0;
        if (!ReadVarint(data, &length) || length > data.size()) {
          return fail(field);
        }
        absl::string_view value = data.substr(0, length);
        data.remove_prefix(length);
        if (field == nullptr) break;  // unknown fields are kept, unchecked
        if (ValidatesUtf8(*field) && !api::Utf8Length(value).has_value()) {
          return fail(field, /*utf8=*/true);
        }
        if (field->type() == FieldDescriptor::TYPE_MESSAGE &&
            !FindFault(*field->message_type(), value, depth + 1,
                       absl::StrCat(prefix, field->name(), "."), fault)) {
          return false;
        }
        break;
      }
      default:  // groups (none in the node's API) and invalid wire types
        return fail(field);
    }
  }
  return true;
}

absl::Status Undecodable(const Descriptor& type, absl::string_view bytes) {
  Fault fault;
  if (!FindFault(type, bytes, 0, "", &fault) && !fault.path.empty()) {
    api::FieldViolations violations;
    violations.Add(fault.path, fault.utf8 ? api::ErrorId::kUndecodableUtf8
                                          : api::ErrorId::kUndecodableMessage);
    return violations.ToStatus();
  }
  return api::WithErrorText(
      absl::InvalidArgumentError(absl::StrCat(
          "the request is not a well-formed ", type.full_name(),
          " message (protobuf binary encoding); it was not decoded")),
      api::ErrorId::kRequestNotDecoded);
}

}  // namespace

absl::Status CheckRequestSize(size_t size, size_t max_bytes) {
  if (size <= max_bytes) return absl::OkStatus();
  return absl::ResourceExhaustedError(
      absl::StrCat("the request is larger than the node accepts (at most ",
                   max_bytes, " bytes)"));
}

absl::Status DecodeRequest(absl::string_view bytes,
                           google::protobuf::Message& request) {
  bool parsed;
  {
    DecodingScope scope;
    parsed =
        request.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
  }
  if (parsed) return absl::OkStatus();
  request.Clear();
  return Undecodable(*request.GetDescriptor(), bytes);
}

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> DecodeRequest(
    absl::string_view full_method, absl::string_view bytes) {
  // "/package.Service/Method"
  std::vector<absl::string_view> parts = absl::StrSplit(full_method, '/');
  const google::protobuf::ServiceDescriptor* service =
      parts.size() == 3 && parts[0].empty()
          ? google::protobuf::DescriptorPool::generated_pool()
                ->FindServiceByName(std::string(parts[1]))
          : nullptr;
  const google::protobuf::MethodDescriptor* method =
      service != nullptr ? service->FindMethodByName(std::string(parts[2]))
                         : nullptr;
  const google::protobuf::Message* prototype =
      method != nullptr
          ? google::protobuf::MessageFactory::generated_factory()->GetPrototype(
                method->input_type())
          : nullptr;
  if (prototype == nullptr) {
    return absl::UnimplementedError("the node does not serve this method");
  }
  std::unique_ptr<google::protobuf::Message> request(prototype->New());
  absl::Status decoded = DecodeRequest(bytes, *request);
  if (!decoded.ok()) return decoded;
  return request;
}

bool DecodingRequestOnThisThread() { return decoding; }

}  // namespace resguardo::server
