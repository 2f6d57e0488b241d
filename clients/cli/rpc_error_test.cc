#include "clients/cli/rpc_error.h"

#include <string>
#include <utility>

#include "clients/cli/exit_codes.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace resguardo::cli {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// INVALID_ARGUMENT carrying a google.rpc.BadRequest, as the node sends it in
// grpc-status-details-bin.
grpc::Status BadRequestStatus(
    std::vector<std::pair<std::string, std::string>> violations) {
  google::rpc::BadRequest bad_request;
  for (const auto& [field, description] : violations) {
    auto* v = bad_request.add_field_violations();
    v->set_field(field);
    v->set_description(description);
  }
  google::rpc::Status details;
  details.set_code(grpc::StatusCode::INVALID_ARGUMENT);
  details.set_message("invalid request field");
  details.add_details()->PackFrom(bad_request);
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, details.message(),
                      details.SerializeAsString());
}

// A status as the node sends it: its English message, and its text in the
// caller's language as a google.rpc.LocalizedMessage.
grpc::Status LocalizedStatus(grpc::StatusCode code, const std::string& english,
                             const std::string& localized) {
  google::rpc::Status details;
  details.set_code(code);
  details.set_message(english);
  google::rpc::LocalizedMessage message;
  message.set_locale("es");
  message.set_message(localized);
  details.add_details()->PackFrom(message);
  return grpc::Status(code, english, details.SerializeAsString());
}

TEST(RpcErrorTest, FieldViolationsNameTheFlagWithTheNodesDescription) {
  // The node describes in the language the CLI asked for; the CLI shows
  // the description as sent, beside the flag.
  const grpc::Status status =
      BadRequestStatus({{"case_record.descriptors.state_code",
                         "debe ser un código de estado del INEGI, de 01 a 32"},
                        {"case_record.descriptors.violence_types[1]",
                         "repite un código ya indicado"}});
  const RpcErrorReport es = DescribeRpcError(status, Lang::kEs);
  EXPECT_EQ(es.exit_code, kExitInvalidField);
  EXPECT_EQ(es.sentence, "el nodo rechazó datos no válidos.");
  EXPECT_THAT(
      es.details,
      ElementsAre(
          "--state (descriptors.state_code): debe ser un código de estado del "
          "INEGI, de 01 a 32",
          "--violence-type (descriptors.violence_types[1]): repite un código "
          "ya indicado"));
}

TEST(RpcErrorTest, UnknownDescriptionsAndFieldsPassThrough) {
  const RpcErrorReport r = DescribeRpcError(
      BadRequestStatus({{"parent", "must name your own institution"}}),
      Lang::kEs);
  EXPECT_THAT(r.details, ElementsAre("parent: must name your own institution"));
}

TEST(RpcErrorTest, PersonalDataFieldsPointToTheFileFlags) {
  EXPECT_EQ(FieldDisplayName("case_record.personal_data.contact_phone"),
            "--personal-data-file (personal_data.contact_phone)");
  EXPECT_EQ(FieldDisplayName("case_record.personal_data.victim_name"),
            "--victim-name-file (personal_data.victim_name)");
}

// The node's field paths of the resolution and registry requests
// (services/cases/resolution_validator.cc, services/registry/) name the flags
// `resolution ...` and `registry ...` really take.
TEST(RpcErrorTest, ResolutionAndRegistryFieldsNameTheirFlags) {
  const std::pair<const char*, const char*> cases[] = {
      {"resolution.sanctioned_persons[0].sanctions[1].type", "--sanction"},
      {"resolution.sanctioned_persons[0].sanctions", "--sanction"},
      {"resolution.sanctioned_persons[0].sanctions[0].fine_amount", "--fine"},
      {"resolution.sanctioned_persons[0].qualification", "--qualification"},
      {"resolution.sanctioned_persons[0].registry_term", "--term-*"},
      {"resolution.resolution_date", "--date"},
      {"resolution.resolving_authority", "--authority"},
      {"resolution.file_number", "--file-number"},
      {"resolution.outcome", "--outcome"},
      {"resolution.notes", "--notes-file"},
      {"reparation_measure.kind", "--kind"},
      {"reparation_measure.responsible_authority", "--authority"},
      {"reparation_measure.due_date", "--due"},
      {"reparation_measure.description", "--description-file"},
      {"appeal.filed_date", "--filed"},
      {"appeal.reviewing_authority", "--authority"},
      {"appeal.file_number", "--file-number"},
      {"outcome", "--outcome"},
      {"outcome_date", "--date"},
      {"final_date", "--date"},
      {"status", "--status"},
      {"aggressor_index", "--aggressor"},
      {"entry.sex", "--sex"},
      {"entry.position", "--position"},
      {"entry.candidacy", "--candidacy"},
      {"entry.territorial_level", "--territorial-level"},
      {"entry.start_date", "--start"},
      {"person_name", "--name"},
      // A protection measure's type is still `case measure add --type`.
      {"protection_measure.type", "--type"},
  };
  for (const auto& [field, flag] : cases) {
    EXPECT_EQ(FlagOfField(field), flag) << field;
  }
  EXPECT_EQ(
      FieldDisplayName("resolution.sanctioned_persons[0].sanctions[1].type"),
      "--sanction (resolution.sanctioned_persons[0].sanctions[1].type)");
}

TEST(RpcErrorTest, NotFoundStaysVague) {
  const RpcErrorReport r = DescribeRpcError(
      grpc::Status(grpc::StatusCode::NOT_FOUND, "case IEEPCO-2026-1 not found"),
      Lang::kEs);
  EXPECT_EQ(r.exit_code, kExitNotFound);
  EXPECT_EQ(r.sentence, "no existe o no tiene acceso.");
  EXPECT_THAT(r.details, IsEmpty());
}

TEST(RpcErrorTest, CodesMapToSentencesAndExitCodes) {
  struct Case {
    grpc::StatusCode code;
    ExitCode exit;
    const char* phrase;  // in English
  };
  for (const Case& c : {
           Case{grpc::StatusCode::ABORTED, kExitConflict, "read it again"},
           Case{grpc::StatusCode::FAILED_PRECONDITION, kExitConflict,
                "state does not allow"},
           Case{grpc::StatusCode::ALREADY_EXISTS, kExitConflict, "already"},
           Case{grpc::StatusCode::PERMISSION_DENIED, kExitPermissionDenied,
                "does not allow you"},
           Case{grpc::StatusCode::UNAVAILABLE, kExitUnreachable,
                "cannot reach the node"},
           Case{grpc::StatusCode::UNAUTHENTICATED, kExitUnreachable,
                "certificate"},
           Case{grpc::StatusCode::DEADLINE_EXCEEDED, kExitTimedOut,
                "check before repeating"},
           Case{grpc::StatusCode::INTERNAL, kExitRefused, "gRPC code 13"},
       }) {
    const RpcErrorReport r =
        DescribeRpcError(grpc::Status(c.code, "detail text"), Lang::kEn);
    EXPECT_EQ(r.exit_code, c.exit) << c.code;
    EXPECT_THAT(r.sentence, HasSubstr(c.phrase)) << c.code;
    // The node's English message is never shown.
    EXPECT_THAT(r.details, IsEmpty()) << c.code;
  }
}

TEST(RpcErrorTest, ShowsTheNodesLocalizedTextNotItsEnglishMessage) {
  const RpcErrorReport r = DescribeRpcError(
      LocalizedStatus(grpc::StatusCode::ABORTED,
                      "case changed since it was read: read it again",
                      "Alguien más cambió el caso desde que usted lo leyó; "
                      "vuelva a leerlo y repita el cambio."),
      Lang::kEs);
  EXPECT_EQ(r.exit_code, kExitConflict);
  EXPECT_THAT(r.details,
              ElementsAre("Alguien más cambió el caso desde que usted lo "
                          "leyó; vuelva a leerlo y repita el cambio."));
  const std::string text = FormatRpcError(r, "abc", Lang::kEs);
  EXPECT_THAT(text, Not(HasSubstr("case changed")));
  EXPECT_THAT(text, Not(HasSubstr("detalle")));
  // With field violations, the lines are the violations.
  grpc::Status invalid = BadRequestStatus({{"parent", "es obligatorio"}});
  EXPECT_THAT(DescribeRpcError(invalid, Lang::kEs).details,
              ElementsAre("parent: es obligatorio"));
}

TEST(RpcErrorTest, FormattedReportCarriesTheRequestIdAndNoEscapes) {
  const RpcErrorReport r =
      DescribeRpcError(LocalizedStatus(grpc::StatusCode::FAILED_PRECONDITION,
                                       "closed", "closed\x1b]0;pwned\x07"),
                       Lang::kEn);
  const std::string text = FormatRpcError(r, "abc123", Lang::kEn);
  EXPECT_THAT(text, AllOf(HasSubstr("Error: its current state"),
                          HasSubstr("Request id: abc123"),
                          Not(HasSubstr("\x1b")), Not(HasSubstr("\x07"))));
}

}  // namespace
}  // namespace resguardo::cli
