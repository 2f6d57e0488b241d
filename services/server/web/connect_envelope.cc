#include "services/server/web/connect_envelope.h"

#include "absl/strings/str_cat.h"
#include "services/api/error_catalogue.h"
#include "services/server/web/connect_error.h"

namespace resguardo::server::web {

std::string Envelope(uint8_t flags, absl::string_view message) {
  const uint32_t length = static_cast<uint32_t>(message.size());
  std::string out;
  out.reserve(kEnvelopePrefixBytes + message.size());
  out.push_back(static_cast<char>(flags));
  out.push_back(static_cast<char>((length >> 24) & 0xff));
  out.push_back(static_cast<char>((length >> 16) & 0xff));
  out.push_back(static_cast<char>((length >> 8) & 0xff));
  out.push_back(static_cast<char>(length & 0xff));
  out.append(message.data(), message.size());
  return out;
}

absl::StatusOr<absl::string_view> SingleEnvelopeMessage(
    absl::string_view body) {
  if (body.size() < kEnvelopePrefixBytes) {
    return api::WithErrorText(
        absl::InvalidArgumentError(
            "the request body is not an enveloped message (a flags byte, a "
            "4-byte big-endian length, the JSON message); it was not decoded"),
        api::ErrorId::kRequestNotDecoded);
  }
  const uint8_t flags = static_cast<uint8_t>(body[0]);
  if ((flags & kEnvelopeCompressed) != 0) {
    return api::WithErrorText(
        absl::InvalidArgumentError(
            "the request message is flagged compressed: the node accepts no "
            "compression (send it uncompressed, flags 0)"),
        api::ErrorId::kCompressionNotAccepted);
  }
  if (flags != 0) {
    return api::WithErrorText(
        absl::InvalidArgumentError(
            "the request envelope's flags must be 0 (one uncompressed "
            "message)"),
        api::ErrorId::kRequestNotDecoded);
  }
  uint32_t length = 0;
  for (size_t i = 1; i < kEnvelopePrefixBytes; ++i) {
    length = (length << 8) | static_cast<uint8_t>(body[i]);
  }
  if (length != body.size() - kEnvelopePrefixBytes) {
    return api::WithErrorText(
        absl::InvalidArgumentError(absl::StrCat(
            "the request envelope's length says ", length, " bytes and ",
            body.size() - kEnvelopePrefixBytes,
            " follow: a server stream's request is exactly one whole message")),
        api::ErrorId::kRequestNotDecoded);
  }
  return body.substr(kEnvelopePrefixBytes);
}

std::string EndOfStream(const google::rpc::Status& answer) {
  if (answer.code() == 0) return Envelope(kEnvelopeEndStream, "{}");
  return Envelope(kEnvelopeEndStream,
                  absl::StrCat("{\"error\":", ConnectErrorJson(answer), "}"));
}

}  // namespace resguardo::server::web
