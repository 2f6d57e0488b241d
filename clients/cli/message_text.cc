#include "clients/cli/message_text.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/digits.h"
#include "clients/cli/catalogue_codes.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"
#include "google/type/date.pb.h"
#include "nlohmann/json.hpp"

namespace resguardo::cli {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using Reason = MessageTextError::Reason;

// What either format reads into before the schema is applied: a value with
// where it stood.
struct Node {
  enum class Kind {
    kIdentifier,
    kString,
    kNumber,
    kBool,
    kNull,
    kList,
    kObject
  };
  Kind kind = Kind::kNull;
  std::string text;  // identifier, decoded string, number as written
  bool truth = false;
  std::vector<Node> items;                           // kList
  std::vector<std::pair<std::string, Node>> fields;  // kObject, in order
  int line = 0;                                      // 1-based, 0 unknown
  int column = 0;
};

MessageTextError ErrorAt(Reason reason, const std::string& field,
                         const Node& at, std::string expected = "") {
  return MessageTextError{reason, field, at.line, at.column,
                          std::move(expected)};
}

// ---- text format -----------------------------------------------------------

// Keeps the first error's position only: protobuf's messages may quote the
// offending text.
class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string&) override {
    if (line_ < 0) {
      line_ = line;
      column_ = column;
    }
  }
  bool any() const { return line_ >= 0; }
  int line() const { return line_; }
  int column() const { return column_; }

 private:
  int line_ = -1;
  int column_ = -1;
};

class TextReader {
 public:
  explicit TextReader(absl::string_view text)
      : input_(text.data(), static_cast<int>(text.size())),
        tokenizer_(&input_, &errors_) {
    tokenizer_.set_comment_style(
        google::protobuf::io::Tokenizer::SH_COMMENT_STYLE);
    tokenizer_.Next();
  }

  std::optional<MessageTextError> Read(Node* top) {
    top->kind = Node::Kind::kObject;
    top->line = 1;
    top->column = 1;
    if (!Fields(top, "")) return Failure();
    if (errors_.any()) return Failure();
    return std::nullopt;
  }

 private:
  using Token = google::protobuf::io::Tokenizer;

  const Token::Token& current() const { return tokenizer_.current(); }
  bool At(absl::string_view symbol) const {
    return current().type == Token::TYPE_SYMBOL && current().text == symbol;
  }
  bool AtEnd() const { return current().type == Token::TYPE_END; }
  void Mark(Node* n) const {
    n->line = current().line + 1;
    n->column = current().column + 1;
  }
  std::optional<MessageTextError> Failure() const {
    MessageTextError e;
    e.reason = Reason::kSyntax;
    if (errors_.any()) {
      e.line = errors_.line() + 1;
      e.column = errors_.column() + 1;
    } else {
      e.line = failed_line_;
      e.column = failed_column_;
    }
    return e;
  }
  bool Fail() {
    if (failed_line_ == 0) {
      failed_line_ = current().line + 1;
      failed_column_ = current().column + 1;
    }
    return false;
  }

  // name [:] value, repeated, until `close` ("" = end of input).
  bool Fields(Node* object, absl::string_view close) {
    while (true) {
      if (close.empty() ? AtEnd() : At(close)) return true;
      if (AtEnd() || current().type != Token::TYPE_IDENTIFIER) return Fail();
      std::string name = current().text;
      tokenizer_.Next();
      bool colon = false;
      if (At(":")) {
        colon = true;
        tokenizer_.Next();
      }
      Node value;
      if (!Value(&value, /*needs_colon=*/!colon)) return false;
      object->fields.emplace_back(std::move(name), std::move(value));
      if (At(",") || At(";")) tokenizer_.Next();
    }
  }

  bool Value(Node* n, bool needs_colon) {
    Mark(n);
    if (At("{") || At("<")) {
      const std::string close = At("{") ? "}" : ">";
      tokenizer_.Next();
      n->kind = Node::Kind::kObject;
      if (!Fields(n, close)) return false;
      tokenizer_.Next();
      return true;
    }
    if (needs_colon) return Fail();  // "name value" without ':' is a block only
    if (At("[")) {
      tokenizer_.Next();
      n->kind = Node::Kind::kList;
      while (!At("]")) {
        Node item;
        if (!Value(&item, /*needs_colon=*/false)) return false;
        n->items.push_back(std::move(item));
        if (At(",")) {
          tokenizer_.Next();
        } else if (!At("]")) {
          return Fail();
        }
      }
      tokenizer_.Next();
      return true;
    }
    std::string sign;
    if (At("-")) {
      sign = "-";
      tokenizer_.Next();
    }
    switch (current().type) {
      case Token::TYPE_INTEGER:
      case Token::TYPE_FLOAT:
        n->kind = Node::Kind::kNumber;
        n->text = sign + current().text;
        tokenizer_.Next();
        return true;
      case Token::TYPE_IDENTIFIER:
        n->kind = Node::Kind::kIdentifier;
        n->text = sign + current().text;
        tokenizer_.Next();
        return true;
      case Token::TYPE_STRING:
        if (!sign.empty()) return Fail();
        n->kind = Node::Kind::kString;
        // Adjacent strings are one ("a" "b"), as in protobuf.
        while (current().type == Token::TYPE_STRING) {
          Token::ParseStringAppend(current().text, &n->text);
          tokenizer_.Next();
        }
        return true;
      default:
        return Fail();
    }
  }

  google::protobuf::io::ArrayInputStream input_;
  FirstError errors_;
  mutable google::protobuf::io::Tokenizer tokenizer_;  // current() is not const
  int failed_line_ = 0;
  int failed_column_ = 0;
};

// ---- JSON -------------------------------------------------------------------

Node FromJson(const nlohmann::json& j) {
  Node n;
  switch (j.type()) {
    case nlohmann::json::value_t::object:
      n.kind = Node::Kind::kObject;
      for (const auto& [key, value] : j.items()) {
        n.fields.emplace_back(key, FromJson(value));
      }
      break;
    case nlohmann::json::value_t::array:
      n.kind = Node::Kind::kList;
      for (const auto& item : j) n.items.push_back(FromJson(item));
      break;
    case nlohmann::json::value_t::string:
      n.kind = Node::Kind::kString;
      n.text = j.get<std::string>();
      break;
    case nlohmann::json::value_t::boolean:
      n.kind = Node::Kind::kBool;
      n.truth = j.get<bool>();
      break;
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      n.kind = Node::Kind::kNumber;
      n.text = j.dump();
      break;
    default:
      n.kind = Node::Kind::kNull;
  }
  return n;
}

std::optional<MessageTextError> ReadJson(absl::string_view text, Node* top) {
  try {
    // The default depth limit is generous; a case file nests three deep.
    *top = FromJson(nlohmann::json::parse(text.begin(), text.end()));
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() may quote the text; only the position is kept.
    MessageTextError error;
    error.reason = Reason::kSyntax;
    error.line = 1;
    error.column = 1;
    const size_t end = std::min<size_t>(e.byte, text.size());
    for (size_t i = 0; i + 1 < end; ++i) {
      if (text[i] == '\n') {
        ++error.line;
        error.column = 1;
      } else {
        ++error.column;
      }
    }
    return error;
  }
  if (top->kind != Node::Kind::kObject) {
    return ErrorAt(Reason::kWrongType, "", *top, "{ }");
  }
  return std::nullopt;
}

// ---- applying the schema
// -----------------------------------------------------

const FieldDescriptor* FindField(const Descriptor* d, const std::string& name) {
  if (const FieldDescriptor* f = d->FindFieldByName(name)) return f;
  for (int i = 0; i < d->field_count(); ++i) {
    if (d->field(i)->json_name() == name) return d->field(i);
  }
  return nullptr;
}

// "YYYY-MM-DD", or "YYYY-MM" for a month (day 0). Whether the day exists in
// that month is the node's check.
bool ParseDate(absl::string_view s, google::type::Date* date) {
  auto number = [](absl::string_view digits, int* out) {
    return IsAllDigits(digits) && absl::SimpleAtoi(digits, out);
  };
  int year = 0, month = 0, day = 0;
  if (s.size() != 7 && s.size() != 10) return false;
  if (s[4] != '-' || !number(s.substr(0, 4), &year) ||
      !number(s.substr(5, 2), &month)) {
    return false;
  }
  if (s.size() == 10 &&
      (s[7] != '-' || !number(s.substr(8, 2), &day) || day < 1 || day > 31)) {
    return false;
  }
  if (month < 1 || month > 12) return false;
  date->set_year(year);
  date->set_month(month);
  date->set_day(day);
  return true;
}

class Applier {
 public:
  explicit Applier(MessageTextFormat format) : format_(format) {}

  std::optional<MessageTextError> Object(const Node& node, Message* m,
                                         const std::string& path) {
    const Descriptor* d = m->GetDescriptor();
    for (const auto& [name, value] : node.fields) {
      const FieldDescriptor* f = FindField(d, name);
      const std::string field =
          path.empty() ? name : absl::StrCat(path, ".", name);
      if (f == nullptr) return ErrorAt(Reason::kUnknownField, field, value);
      const std::string here =
          path.empty() ? f->name() : absl::StrCat(path, ".", f->name());
      if (value.kind == Node::Kind::kNull) continue;  // JSON null: default
      if (f->is_repeated()) {
        if (f->is_map()) {
          return ErrorAt(Reason::kWrongType, here, value);  // none in our API
        }
        if (value.kind == Node::Kind::kList) {
          for (const Node& item : value.items) {
            const std::string at = absl::StrCat(
                here, "[", m->GetReflection()->FieldSize(*m, f), "]");
            if (auto e = One(f, item, m, at)) return e;
          }
        } else {
          const std::string at = absl::StrCat(
              here, "[", m->GetReflection()->FieldSize(*m, f), "]");
          if (auto e = One(f, value, m, at)) return e;
        }
        continue;
      }
      if (!set_.emplace(m, f).second) {
        return ErrorAt(Reason::kSetTwice, here, value);
      }
      if (auto e = One(f, value, m, here)) return e;
    }
    return std::nullopt;
  }

 private:
  // One value of `f` (appended when `f` is repeated).
  std::optional<MessageTextError> One(const FieldDescriptor* f, const Node& v,
                                      Message* m, const std::string& at) {
    const Reflection* r = m->GetReflection();
    const bool rep = f->is_repeated();
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      Message* child = rep ? r->AddMessage(m, f) : r->MutableMessage(m, f);
      if (v.kind == Node::Kind::kObject) return Object(v, child, at);
      if (v.kind == Node::Kind::kString) return Special(v, child, at);
      return ErrorAt(Reason::kWrongType, at, v, "{ }");
    }
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_ENUM: {
        const auto* e = f->enum_type();
        const google::protobuf::EnumValueDescriptor* value = nullptr;
        int number = 0;
        if (v.kind == Node::Kind::kNumber &&
            absl::SimpleAtoi(v.text, &number)) {
          value = number == 0 ? nullptr : e->FindValueByNumber(number);
        } else if (v.kind == Node::Kind::kIdentifier ||
                   v.kind == Node::Kind::kString) {
          auto parsed = ParseCode(e, v.text);
          if (parsed.ok()) value = *parsed;
        }
        if (value == nullptr) {
          return ErrorAt(Reason::kNotACode, at, v, CodeList(e));
        }
        rep ? r->AddEnum(m, f, value) : r->SetEnum(m, f, value);
        return std::nullopt;
      }
      case FieldDescriptor::CPPTYPE_STRING: {
        if (v.kind != Node::Kind::kString) {
          return ErrorAt(Reason::kWrongType, at, v, "\"…\"");
        }
        std::string s = v.text;
        if (f->type() == FieldDescriptor::TYPE_BYTES &&
            format_ == MessageTextFormat::kJson &&
            !absl::Base64Unescape(v.text, &s)) {
          return ErrorAt(Reason::kWrongType, at, v, "base64");
        }
        rep ? r->AddString(m, f, std::move(s))
            : r->SetString(m, f, std::move(s));
        return std::nullopt;
      }
      case FieldDescriptor::CPPTYPE_BOOL: {
        bool b = false;
        if (v.kind == Node::Kind::kBool) {
          b = v.truth;
        } else if (v.kind == Node::Kind::kIdentifier &&
                   (v.text == "true" || v.text == "True" || v.text == "t")) {
          b = true;
        } else if (v.kind == Node::Kind::kIdentifier &&
                   (v.text == "false" || v.text == "False" || v.text == "f")) {
          b = false;
        } else {
          return ErrorAt(Reason::kWrongType, at, v, "true | false");
        }
        rep ? r->AddBool(m, f, b) : r->SetBool(m, f, b);
        return std::nullopt;
      }
      default:
        return Number(f, v, m, at);
    }
  }

  std::optional<MessageTextError> Number(const FieldDescriptor* f,
                                         const Node& v, Message* m,
                                         const std::string& at) {
    const Reflection* r = m->GetReflection();
    const bool rep = f->is_repeated();
    // JSON writes 64-bit integers as strings; accept either form there.
    const bool text_ok =
        format_ == MessageTextFormat::kJson && v.kind == Node::Kind::kString;
    if (v.kind != Node::Kind::kNumber && !text_ok) {
      return ErrorAt(Reason::kWrongType, at, v, f->type_name());
    }
    auto range = [&] {
      return ErrorAt(Reason::kOutOfRange, at, v, f->type_name());
    };
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32: {
        int32_t x;
        if (!absl::SimpleAtoi(v.text, &x)) return range();
        rep ? r->AddInt32(m, f, x) : r->SetInt32(m, f, x);
        return std::nullopt;
      }
      case FieldDescriptor::CPPTYPE_INT64: {
        int64_t x;
        if (!absl::SimpleAtoi(v.text, &x)) return range();
        rep ? r->AddInt64(m, f, x) : r->SetInt64(m, f, x);
        return std::nullopt;
      }
      case FieldDescriptor::CPPTYPE_UINT32: {
        uint32_t x;
        if (!absl::SimpleAtoi(v.text, &x)) return range();
        rep ? r->AddUInt32(m, f, x) : r->SetUInt32(m, f, x);
        return std::nullopt;
      }
      case FieldDescriptor::CPPTYPE_UINT64: {
        uint64_t x;
        if (!absl::SimpleAtoi(v.text, &x)) return range();
        rep ? r->AddUInt64(m, f, x) : r->SetUInt64(m, f, x);
        return std::nullopt;
      }
      case FieldDescriptor::CPPTYPE_FLOAT: {
        float x;
        if (!absl::SimpleAtof(v.text, &x)) return range();
        rep ? r->AddFloat(m, f, x) : r->SetFloat(m, f, x);
        return std::nullopt;
      }
      case FieldDescriptor::CPPTYPE_DOUBLE: {
        double x;
        if (!absl::SimpleAtod(v.text, &x)) return range();
        rep ? r->AddDouble(m, f, x) : r->SetDouble(m, f, x);
        return std::nullopt;
      }
      default:
        return ErrorAt(Reason::kWrongType, at, v, f->type_name());
    }
  }

  // A message written as one string: a date or a timestamp.
  std::optional<MessageTextError> Special(const Node& v, Message* child,
                                          const std::string& at) {
    const std::string& type = child->GetDescriptor()->full_name();
    if (type == google::type::Date::descriptor()->full_name()) {
      google::type::Date date;
      if (!ParseDate(v.text, &date)) {
        return ErrorAt(Reason::kBadDate, at, v, "AAAA-MM-DD");
      }
      child->CopyFrom(date);
      return std::nullopt;
    }
    if (type == google::protobuf::Timestamp::descriptor()->full_name()) {
      google::protobuf::Timestamp time;
      if (!google::protobuf::util::TimeUtil::FromString(v.text, &time)) {
        return ErrorAt(Reason::kBadDate, at, v, "AAAA-MM-DDThh:mm:ssZ");
      }
      child->CopyFrom(time);
      return std::nullopt;
    }
    return ErrorAt(Reason::kWrongType, at, v, "{ }");
  }

  const MessageTextFormat format_;
  // Singular fields already given, by the message that holds them.
  std::set<std::pair<const Message*, const FieldDescriptor*>> set_;
};

}  // namespace

std::optional<MessageTextError> ParseMessageTextInto(absl::string_view text,
                                                     MessageTextFormat format,
                                                     Message* message) {
  message->Clear();
  Node top;
  std::optional<MessageTextError> error = format == MessageTextFormat::kJson
                                              ? ReadJson(text, &top)
                                              : TextReader(text).Read(&top);
  if (error.has_value()) return error;
  return Applier(format).Object(top, message, "");
}

}  // namespace resguardo::cli
