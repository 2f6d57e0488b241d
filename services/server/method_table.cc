#include "services/server/method_table.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace resguardo::server {
namespace {

using google::protobuf::DescriptorPool;
using google::protobuf::MethodDescriptor;
using google::protobuf::ServiceDescriptor;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "MethodTable: %s\n", what.c_str());
  std::abort();
}

std::string FullName(const MethodDescriptor& method) {
  return absl::StrCat("/", method.service()->full_name(), "/", method.name());
}

}  // namespace

void MethodTable::Add(const std::string& full_name,
                      const google::protobuf::Descriptor* request,
                      const google::protobuf::Descriptor* response,
                      bool streaming,
                      std::function<void(std::unique_ptr<CallContext>)> serve) {
  // "/package.Service/Method"
  const size_t slash = full_name.rfind('/');
  const ServiceDescriptor* service =
      full_name.size() > 1 && full_name[0] == '/' &&
              slash != std::string::npos && slash > 1
          ? DescriptorPool::generated_pool()->FindServiceByName(
                full_name.substr(1, slash - 1))
          : nullptr;
  const MethodDescriptor* method =
      service != nullptr
          ? service->FindMethodByName(full_name.substr(slash + 1))
          : nullptr;
  if (method == nullptr || method->input_type() != request ||
      method->output_type() != response || method->client_streaming() ||
      method->server_streaming() != streaming) {
    Die(absl::StrCat("no ", streaming ? "server-streaming" : "unary",
                     " method ", full_name, " with these messages"));
  }
  if (methods_.count(full_name) != 0) Die("registered twice: " + full_name);
  methods_.emplace(full_name, Method{method, full_name, std::move(serve)});
  if (std::find(services_.begin(), services_.end(), service) ==
      services_.end()) {
    services_.push_back(service);
  }
}

void MethodTable::CheckComplete() const {
  for (const ServiceDescriptor* service : services_) {
    for (int i = 0; i < service->method_count(); ++i) {
      if (methods_.count(FullName(*service->method(i))) == 0) {
        Die("no handler for " + FullName(*service->method(i)));
      }
    }
  }
}

const MethodTable::Method* MethodTable::Find(
    absl::string_view full_name) const {
  auto it = methods_.find(full_name);
  return it == methods_.end() ? nullptr : &it->second;
}

}  // namespace resguardo::server
