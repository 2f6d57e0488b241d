#include "services/server/web/json_encoder.h"

#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "resguardo/v1/admin_service.pb.h"
#include "resguardo/v1/audit_service.pb.h"
#include "resguardo/v1/case_service.pb.h"
#include "resguardo/v1/referral_service.pb.h"
#include "resguardo/v1/stats_service.pb.h"

namespace resguardo::server::web {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Fills `message` with random values by reflection (messages to `depth`).
class Filler {
 public:
  explicit Filler(absl::BitGen& gen) : gen_(gen) {}

  void Fill(Message& message, int depth) {
    const Descriptor& type = *message.GetDescriptor();
    const Reflection& r = *message.GetReflection();
    if (type.full_name() == "google.protobuf.Timestamp" ||
        type.full_name() == "google.protobuf.Duration") {
      r.SetInt64(&message, type.FindFieldByName("seconds"),
                 absl::Uniform<int64_t>(gen_, 0, 4'000'000'000));
      r.SetInt32(&message, type.FindFieldByName("nanos"),
                 Pick({0, 1'000'000, 123'456'000, 999'999'999}));
      return;
    }
    for (int i = 0; i < type.field_count(); ++i) {
      const FieldDescriptor& field = *type.field(i);
      if (absl::Bernoulli(gen_, 0.2)) continue;  // left unset
      if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && depth <= 0) {
        continue;
      }
      if (field.is_map()) {
        const int n = absl::Uniform(gen_, 0, 3);
        for (int k = 0; k < n; ++k) {
          Message* entry = r.AddMessage(&message, &field);
          Fill(*entry, depth - 1);
        }
      } else if (field.is_repeated()) {
        const int n = absl::Uniform(gen_, 0, 4);
        for (int k = 0; k < n; ++k) Add(message, field, depth);
      } else {
        Set(message, field, depth);
      }
    }
  }

 private:
  int32_t Pick(std::vector<int32_t> values) {
    return values[absl::Uniform<size_t>(gen_, 0, values.size())];
  }

  std::string Text() {
    static const std::vector<std::string> kTexts = {
        "",
        "Ana",
        "Oaxaca de Juárez",
        "comillas \" y \\ barra",
        "línea\nnueva\tcon\rcontrol\x01\x1f",
        "<script>&</script>",
        "emoji 😀",
        "institutions/IEEPCO/cases/IEEPCO-2026-000001"};
    return kTexts[absl::Uniform<size_t>(gen_, 0, kTexts.size())];
  }

  double Double() {
    static const std::vector<double> kDoubles = {
        0.0,
        1.0,
        -2.5,
        0.1,
        1e-7,
        123456789.125,
        3.141592653589793,
        std::numeric_limits<double>::infinity(),
        std::numeric_limits<double>::quiet_NaN()};
    return kDoubles[absl::Uniform<size_t>(gen_, 0, kDoubles.size())];
  }

  void Set(Message& m, const FieldDescriptor& f, int depth) {
    const Reflection& r = *m.GetReflection();
    switch (f.cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        r.SetInt32(&m, &f, Pick({0, 1, -1, 2147483647, -2147483647}));
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        r.SetUInt32(&m, &f, static_cast<uint32_t>(Pick({0, 7, 2147483647})));
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        r.SetInt64(
            &m, &f,
            absl::Uniform<int64_t>(gen_, std::numeric_limits<int64_t>::min(),
                                   std::numeric_limits<int64_t>::max()));
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        r.SetUInt64(&m, &f, absl::Uniform<uint64_t>(gen_));
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        r.SetDouble(&m, &f, Double());
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        r.SetFloat(&m, &f, static_cast<float>(Double()));
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        r.SetBool(&m, &f, absl::Bernoulli(gen_, 0.5));
        break;
      case FieldDescriptor::CPPTYPE_ENUM: {
        const auto& e = *f.enum_type();
        // A value of the enum, or one the node does not know.
        const int n =
            absl::Bernoulli(gen_, 0.1)
                ? 4242
                : e.value(absl::Uniform(gen_, 0, e.value_count()))->number();
        r.SetEnumValue(&m, &f, n);
        break;
      }
      case FieldDescriptor::CPPTYPE_STRING:
        r.SetString(&m, &f,
                    f.type() == FieldDescriptor::TYPE_BYTES
                        ? std::string("\x00\xff\x10 bytes", 9)
                        : Text());
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        Fill(*r.MutableMessage(&m, &f), depth - 1);
        break;
    }
  }

  void Add(Message& m, const FieldDescriptor& f, int depth) {
    const Reflection& r = *m.GetReflection();
    switch (f.cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        r.AddInt32(&m, &f, Pick({0, 5, -9}));
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        r.AddUInt32(&m, &f, 3);
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        r.AddInt64(
            &m, &f,
            absl::Uniform<int64_t>(gen_, std::numeric_limits<int64_t>::min(),
                                   std::numeric_limits<int64_t>::max()));
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        r.AddUInt64(&m, &f, absl::Uniform<uint64_t>(gen_));
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        r.AddDouble(&m, &f, Double());
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        r.AddFloat(&m, &f, static_cast<float>(Double()));
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        r.AddBool(&m, &f, absl::Bernoulli(gen_, 0.5));
        break;
      case FieldDescriptor::CPPTYPE_ENUM: {
        const auto& e = *f.enum_type();
        r.AddEnumValue(
            &m, &f, e.value(absl::Uniform(gen_, 0, e.value_count()))->number());
        break;
      }
      case FieldDescriptor::CPPTYPE_STRING:
        r.AddString(&m, &f, Text());
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        Fill(*r.AddMessage(&m, &f), depth - 1);
        break;
    }
  }

  absl::BitGen& gen_;
};

// Every message type of resguardo.v1's services (requests, responses, and
// every type they hold).
std::vector<const Descriptor*> ApiMessages() {
  std::vector<const Descriptor*> out;
  std::set<const Descriptor*> seen;
  std::vector<const Descriptor*> pending;
  for (const google::protobuf::FileDescriptor* file :
       {v1::GetCaseRequest::descriptor()->file(),
        v1::GetReferralRequest::descriptor()->file(),
        v1::ListUsersRequest::descriptor()->file(),
        v1::ListEntriesRequest::descriptor()->file(),
        v1::StatsQueryRequest::descriptor()->file()}) {
    for (int s = 0; s < file->service_count(); ++s) {
      for (int m = 0; m < file->service(s)->method_count(); ++m) {
        pending.push_back(file->service(s)->method(m)->output_type());
        pending.push_back(file->service(s)->method(m)->input_type());
      }
    }
  }
  while (!pending.empty()) {
    const Descriptor* d = pending.back();
    pending.pop_back();
    if (!seen.insert(d).second) continue;
    out.push_back(d);
    for (int i = 0; i < d->field_count(); ++i) {
      if (d->field(i)->message_type() != nullptr) {
        pending.push_back(d->field(i)->message_type());
      }
    }
  }
  return out;
}

TEST(JsonEncoderTest, WritesTheSameJsonAsProtobufForEveryMessageOfTheApi) {
  absl::BitGen gen;
  Filler filler(gen);
  int compared = 0;
  for (const Descriptor* type : ApiMessages()) {
    for (int round = 0; round < 20; ++round) {
      std::unique_ptr<Message> message(
          google::protobuf::MessageFactory::generated_factory()
              ->GetPrototype(type)
              ->New());
      if (round > 0) filler.Fill(*message, 3);
      std::string expected;
      ASSERT_TRUE(
          google::protobuf::util::MessageToJsonString(*message, &expected)
              .ok());
      std::string got;
      ASSERT_TRUE(EncodeJson(*message, &got).ok());
      const nlohmann::json a = nlohmann::json::parse(got, nullptr, false);
      const nlohmann::json b = nlohmann::json::parse(expected, nullptr, false);
      ASSERT_FALSE(a.is_discarded()) << type->full_name() << ": " << got;
      EXPECT_EQ(a, b) << type->full_name() << "\n  ours:     " << got
                      << "\n  protobuf: " << expected;
      ++compared;
    }
  }
  EXPECT_GT(compared, 20 * 40);
}

}  // namespace
}  // namespace resguardo::server::web
