#include "services/server/web/json_encoder.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/reflection.h"
#include "google/protobuf/stubs/strutil.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"

namespace resguardo::server::web {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

bool IsTimestamp(const Descriptor& d) {
  return d.full_name() == "google.protobuf.Timestamp";
}
bool IsDuration(const Descriptor& d) {
  return d.full_name() == "google.protobuf.Duration";
}

// Whether `type`, or a message type it holds, is a well-known type this
// encoder does not write (computed once per type).
bool NeedsProtobuf(const Descriptor& type) {
  static absl::Mutex mu(absl::kConstInit);
  static auto* known =
      new absl::flat_hash_map<const Descriptor*, bool>();  // never freed
  {
    absl::MutexLock lock(&mu);
    auto it = known->find(&type);
    if (it != known->end()) return it->second;
  }
  std::vector<const Descriptor*> pending = {&type};
  absl::flat_hash_map<const Descriptor*, bool> seen;
  bool needs = false;
  while (!pending.empty() && !needs) {
    const Descriptor* d = pending.back();
    pending.pop_back();
    if (!seen.emplace(d, true).second) continue;
    if (IsTimestamp(*d) || IsDuration(*d)) continue;
    if (d->file()->package() == "google.protobuf") {
      needs = true;
      break;
    }
    for (int i = 0; i < d->field_count(); ++i) {
      if (d->field(i)->message_type() != nullptr) {
        pending.push_back(d->field(i)->message_type());
      }
    }
  }
  absl::MutexLock lock(&mu);
  known->emplace(&type, needs);
  return needs;
}

void AppendString(absl::string_view s, std::string* out) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          absl::StrAppend(out, "\\u00",
                          absl::Hex(static_cast<unsigned>(c), absl::kZeroPad2));
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

template <typename Float>
void AppendFloat(Float value, std::string* out, bool is_float) {
  if (std::isnan(value)) {
    out->append("\"NaN\"");
  } else if (std::isinf(value)) {
    out->append(value > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  } else {
    out->append(is_float ? google::protobuf::SimpleFtoa(value)
                         : google::protobuf::SimpleDtoa(value));
  }
}

void AppendMessage(const Message& message, std::string* out);

// One value of `field` (index < 0: the singular value).
void AppendValue(const Message& message, const FieldDescriptor& field,
                 int index, std::string* out) {
  const Reflection& r = *message.GetReflection();
  const bool rep = index >= 0;
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      absl::StrAppend(out, rep ? r.GetRepeatedInt32(message, &field, index)
                               : r.GetInt32(message, &field));
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      absl::StrAppend(out, rep ? r.GetRepeatedUInt32(message, &field, index)
                               : r.GetUInt32(message, &field));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      absl::StrAppend(out, "\"",
                      rep ? r.GetRepeatedInt64(message, &field, index)
                          : r.GetInt64(message, &field),
                      "\"");
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      absl::StrAppend(out, "\"",
                      rep ? r.GetRepeatedUInt64(message, &field, index)
                          : r.GetUInt64(message, &field),
                      "\"");
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      AppendFloat(rep ? r.GetRepeatedDouble(message, &field, index)
                      : r.GetDouble(message, &field),
                  out, false);
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      AppendFloat(rep ? r.GetRepeatedFloat(message, &field, index)
                      : r.GetFloat(message, &field),
                  out, true);
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      out->append((rep ? r.GetRepeatedBool(message, &field, index)
                       : r.GetBool(message, &field))
                      ? "true"
                      : "false");
      break;
    case FieldDescriptor::CPPTYPE_ENUM: {
      const int number = rep ? r.GetRepeatedEnumValue(message, &field, index)
                             : r.GetEnumValue(message, &field);
      const google::protobuf::EnumValueDescriptor* value =
          field.enum_type()->FindValueByNumber(number);
      if (value != nullptr) {
        AppendString(value->name(), out);
      } else {
        absl::StrAppend(out, number);
      }
      break;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string scratch;
      const std::string& s =
          rep ? r.GetRepeatedStringReference(message, &field, index, &scratch)
              : r.GetStringReference(message, &field, &scratch);
      if (field.type() == FieldDescriptor::TYPE_BYTES) {
        absl::StrAppend(out, "\"", absl::Base64Escape(s), "\"");
      } else {
        AppendString(s, out);
      }
      break;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      AppendMessage(rep ? r.GetRepeatedMessage(message, &field, index)
                        : r.GetMessage(message, &field),
                    out);
      break;
  }
}

// A map entry's key, as a JSON string.
void AppendMapKey(const Message& entry, const FieldDescriptor& key,
                  std::string* out) {
  if (key.cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
    AppendValue(entry, key, -1, out);
    return;
  }
  std::string text;
  AppendValue(entry, key, -1, &text);
  if (!text.empty() && text.front() == '"') {
    out->append(text);  // 64-bit keys are quoted already
  } else {
    absl::StrAppend(out, "\"", text, "\"");
  }
}

void AppendMessage(const Message& message, std::string* out) {
  const Descriptor& type = *message.GetDescriptor();
  if (IsTimestamp(type)) {
    AppendString(google::protobuf::util::TimeUtil::ToString(
                     static_cast<const google::protobuf::Timestamp&>(message)),
                 out);
    return;
  }
  if (IsDuration(type)) {
    AppendString(google::protobuf::util::TimeUtil::ToString(
                     static_cast<const google::protobuf::Duration&>(message)),
                 out);
    return;
  }
  const Reflection& r = *message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r.ListFields(message, &fields);
  out->push_back('{');
  bool first = true;
  for (const FieldDescriptor* field : fields) {
    if (!first) out->push_back(',');
    first = false;
    AppendString(field->json_name(), out);
    out->push_back(':');
    if (field->is_map()) {
      const Descriptor& entry_type = *field->message_type();
      const FieldDescriptor& key = *entry_type.map_key();
      const FieldDescriptor& value = *entry_type.map_value();
      out->push_back('{');
      const int n = r.FieldSize(message, field);
      for (int i = 0; i < n; ++i) {
        const Message& entry = r.GetRepeatedMessage(message, field, i);
        if (i > 0) out->push_back(',');
        AppendMapKey(entry, key, out);
        out->push_back(':');
        AppendValue(entry, value, -1, out);
      }
      out->push_back('}');
    } else if (field->is_repeated()) {
      out->push_back('[');
      const int n = r.FieldSize(message, field);
      for (int i = 0; i < n; ++i) {
        if (i > 0) out->push_back(',');
        AppendValue(message, *field, i, out);
      }
      out->push_back(']');
    } else {
      AppendValue(message, *field, -1, out);
    }
  }
  out->push_back('}');
}

}  // namespace

absl::Status EncodeJson(const google::protobuf::Message& message,
                        std::string* out) {
  out->clear();
  if (NeedsProtobuf(*message.GetDescriptor())) {
    if (google::protobuf::util::MessageToJsonString(message, out).ok()) {
      return absl::OkStatus();
    }
    return absl::InternalError("web: could not encode a message as JSON");
  }
  AppendMessage(message, out);
  return absl::OkStatus();
}

}  // namespace resguardo::server::web
