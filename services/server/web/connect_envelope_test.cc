#include "services/server/web/connect_envelope.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/api/error_catalogue.h"
#include "services/api/language.h"
#include "services/server/grpc_status.h"

namespace resguardo::server::web {
namespace {

using ::testing::HasSubstr;

TEST(ConnectEnvelopeTest, PrefixesFlagsAndABigEndianLength) {
  const std::string e = Envelope(kEnvelopeEndStream, std::string(258, 'x'));
  ASSERT_EQ(e.size(), 5u + 258u);
  EXPECT_EQ(e.substr(0, 5), std::string("\x02\x00\x00\x01\x02", 5));
  const std::string body = Envelope(0, "{\"parent\":\"x\"}");
  absl::StatusOr<absl::string_view> message = SingleEnvelopeMessage(body);
  ASSERT_TRUE(message.ok()) << message.status();
  EXPECT_EQ(*message, "{\"parent\":\"x\"}");
  // An empty message is one envelope too.
  const std::string empty = Envelope(0, "");
  message = SingleEnvelopeMessage(empty);
  ASSERT_TRUE(message.ok());
  EXPECT_EQ(*message, "");
}

TEST(ConnectEnvelopeTest, RefusesAnythingButOneWholeUncompressedMessage) {
  const std::string one = Envelope(0, "{}");
  for (const std::string& body :
       {std::string(), std::string("{}"), std::string("\0\0\0\0", 4),
        Envelope(kEnvelopeCompressed, "{}"), Envelope(kEnvelopeEndStream, "{}"),
        Envelope(0x80, "{}"), one.substr(0, one.size() - 1), one + one,
        one + "x"}) {
    absl::StatusOr<absl::string_view> message = SingleEnvelopeMessage(body);
    EXPECT_EQ(message.status().code(), absl::StatusCode::kInvalidArgument)
        << body.size();
  }
  const absl::Status compressed =
      SingleEnvelopeMessage(Envelope(kEnvelopeCompressed, "{}")).status();
  EXPECT_THAT(compressed.message(), HasSubstr("compress"));
  EXPECT_EQ(api::ErrorTextOf(compressed),
            api::ErrorText(api::ErrorId::kCompressionNotAccepted));
}

TEST(ConnectEnvelopeTest, EndOfStreamCarriesTheErrorIfAny) {
  EXPECT_EQ(EndOfStream(google::rpc::Status()),
            Envelope(kEnvelopeEndStream, "{}"));
  const std::string end =
      EndOfStream(PublicStatus(absl::UnavailableError("the node is stopping"),
                               "rid-1", api::Language::kEnglish));
  ASSERT_GT(end.size(), 5u);
  EXPECT_EQ(end[0], kEnvelopeEndStream);
  EXPECT_THAT(end.substr(5), HasSubstr("{\"error\":{\"code\":\"unavailable\""));
  EXPECT_THAT(end.substr(5), HasSubstr("the node is stopping"));
  EXPECT_THAT(end.substr(5),
              HasSubstr("\"type\":\"google.rpc.LocalizedMessage\""));
  EXPECT_THAT(end.substr(5), HasSubstr("\"locale\":\"en\""));
}

}  // namespace
}  // namespace resguardo::server::web
