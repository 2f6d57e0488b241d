#include "services/api/field_violations.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace resguardo::api {
namespace {

// The catalogue's texts of the violations, one line each in the
// BadRequest's order (EncodeErrorText). Not a type.googleapis.com/ URL:
// the edge never sends it as it is.
constexpr absl::string_view kViolationTextsTypeUrl =
    "resguardo.internal/FieldViolationTexts";

std::vector<ErrorText> TextsOf(const absl::Status& status) {
  std::vector<ErrorText> texts;
  auto payload = status.GetPayload(kViolationTextsTypeUrl);
  if (!payload.has_value()) return texts;
  for (absl::string_view line :
       absl::StrSplit(std::string(*payload), '\n', absl::SkipEmpty())) {
    std::optional<ErrorText> text = DecodeErrorText(line);
    if (!text.has_value()) return {};
    texts.push_back(*std::move(text));
  }
  return texts;
}

std::optional<google::rpc::BadRequest> BadRequestOf(
    const absl::Status& status) {
  auto payload = status.GetPayload(kBadRequestTypeUrl);
  if (!payload.has_value()) return std::nullopt;
  google::rpc::BadRequest bad_request;
  if (!bad_request.ParseFromString(std::string(*payload))) return std::nullopt;
  return bad_request;
}

}  // namespace

void FieldViolations::Add(absl::string_view field, ErrorText text) {
  std::string description = Render(text, Language::kEnglish);
  violations_.push_back(
      {std::string(field), std::move(description), std::move(text)});
}

absl::Status FieldViolations::ToStatus() const {
  if (violations_.empty()) return absl::OkStatus();
  const FieldViolation& first = violations_.front();
  std::string message = absl::StrCat("invalid request field '", first.field,
                                     "': ", first.description);
  if (violations_.size() > 1) {
    absl::StrAppend(&message, " (and ", violations_.size() - 1,
                    " more field violation", violations_.size() > 2 ? "s" : "",
                    ")");
  }
  google::rpc::BadRequest bad_request;
  std::vector<std::string> texts;
  for (const FieldViolation& v : violations_) {
    auto* fv = bad_request.add_field_violations();
    fv->set_field(v.field);
    fv->set_description(v.description);
    texts.push_back(EncodeErrorText(v.text));
  }
  absl::Status status(absl::StatusCode::kInvalidArgument, message);
  status.SetPayload(kBadRequestTypeUrl,
                    absl::Cord(bad_request.SerializeAsString()));
  status.SetPayload(kViolationTextsTypeUrl,
                    absl::Cord(absl::StrJoin(texts, "\n")));
  return status;
}

std::vector<FieldViolation> ViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> out;
  std::optional<google::rpc::BadRequest> bad_request = BadRequestOf(status);
  if (!bad_request.has_value()) return out;
  const std::vector<ErrorText> texts = TextsOf(status);
  for (int i = 0; i < bad_request->field_violations_size(); ++i) {
    const auto& fv = bad_request->field_violations(i);
    out.push_back({fv.field(), fv.description(),
                   static_cast<size_t>(i) < texts.size()
                       ? texts[i]
                       : ErrorText(ErrorId::kCodeInvalidArgument)});
  }
  return out;
}

std::optional<google::rpc::BadRequest> LocalizedBadRequest(
    const absl::Status& status, Language language) {
  std::optional<google::rpc::BadRequest> bad_request = BadRequestOf(status);
  if (!bad_request.has_value()) return std::nullopt;
  const std::vector<ErrorText> texts = TextsOf(status);
  for (int i = 0; i < bad_request->field_violations_size(); ++i) {
    // Every BadRequest of the node is made by ToStatus, with its texts; a
    // description without one is not sent in another language.
    bad_request->mutable_field_violations(i)->set_description(
        static_cast<size_t>(i) < texts.size()
            ? Render(texts[i], language)
            : Render(ErrorId::kCodeInvalidArgument, language));
  }
  return bad_request;
}

}  // namespace resguardo::api
