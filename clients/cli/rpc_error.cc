#include "clients/cli/rpc_error.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "clients/cli/messages.h"
#include "clients/cli/terminal_text.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace resguardo::cli {
namespace {

// Request field (last path segment, without [i]) → the flag that sets it.
// Personal-data fields map to the file flags: those never go on the command
// line.
constexpr std::pair<absl::string_view, absl::string_view> kFieldFlags[] = {
    {"kind", "--kind"},
    {"status", "--status"},
    {"statuses", "--status"},
    {"state_code", "--state"},
    {"municipality_code", "--municipality"},
    {"reported_date", "--reported"},
    {"incident_month", "--incident-month"},
    {"violence_types", "--violence-type"},
    {"modalities", "--modality"},
    {"conducts", "--conduct"},
    {"gbv_incident_types", "--gbv-incident"},
    {"victim_age_band", "--age-band"},
    {"victim_position", "--position"},
    {"territorial_level", "--territorial-level"},
    {"normative_system", "--normative-system"},
    {"electoral_stage", "--electoral-stage"},
    {"self_identification", "--self-id"},
    {"aggressor_relation", "--aggressor-relation"},
    {"aggressor_categories", "--aggressor-category"},
    {"aggressor_count", "--aggressor-count"},
    {"risk_level", "--risk"},
    {"risk_levels", "--risk"},
    {"filed_by_third_party", "--third-party"},
    {"victim_name", "--victim-name-file"},
    {"narrative", "--narrative-file"},
    {"evidence_notes", "--evidence-notes-file"},
    {"victim_curp", "--personal-data-file"},
    {"victim_birth_date", "--personal-data-file"},
    {"contact_phone", "--personal-data-file"},
    {"contact_email", "--personal-data-file"},
    {"address", "--personal-data-file"},
    {"aggressor_names", "--personal-data-file"},
    {"political_party", "--personal-data-file"},
    {"etag", "--etag"},
    {"reason", "--reason"},
    {"purpose", "--purpose"},
    {"page_size", "--page-size"},
    {"page_token", "--page-token"},
    {"request_id", "--request-id"},
    {"occur_time", "--occurred"},
    {"next_due_date", "--next-due"},
    {"notes", "--notes-file"},
    {"type", "--type"},
    {"issuing_authority", "--authority"},
    {"issue_date", "--issued"},
    {"expiry_date", "--expires"},
    {"institution_id", "--id"},
    {"display_name", "--display-name"},
    {"roles", "--role"},
    {"reported_from", "--from"},
    {"reported_to", "--to"},
    // `resolution ...` (resolution_commands.cc).
    {"resolving_authority", "--authority"},
    {"file_number", "--file-number"},
    {"resolution_date", "--date"},
    {"outcome", "--outcome"},
    {"outcome_date", "--date"},
    {"final_date", "--date"},
    {"qualification", "--qualification"},
    {"repeat_offence", "--repeat-offence"},
    {"sanctions", "--sanction"},
    {"fine_amount", "--fine"},
    {"registry_term", "--term-*"},
    {"responsible_authority", "--authority"},
    {"due_date", "--due"},
    {"description", "--description-file"},
    {"filed_date", "--filed"},
    {"reviewing_authority", "--authority"},
    // `registry ...` (registry_commands.cc).
    {"aggressor_index", "--aggressor"},
    {"sex", "--sex"},
    {"position", "--position"},
    {"candidacy", "--candidacy"},
    {"start_date", "--start"},
    {"person_name", "--name"},
};

// Where the last segment alone names the wrong flag: the last two segments
// (without [i]) → the flag. A sanction's type is --sanction, not the
// protection measure's --type.
constexpr std::pair<absl::string_view, absl::string_view> kParentFieldFlags[] =
    {
        {"sanctions.type", "--sanction"},
};

MsgId SentenceFor(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::INVALID_ARGUMENT:
      return MsgId::kRpcInvalidArgument;
    case grpc::StatusCode::NOT_FOUND:
      return MsgId::kRpcNotFound;
    case grpc::StatusCode::PERMISSION_DENIED:
      return MsgId::kRpcPermissionDenied;
    case grpc::StatusCode::ABORTED:
      return MsgId::kRpcAborted;
    case grpc::StatusCode::FAILED_PRECONDITION:
      return MsgId::kRpcFailedPrecondition;
    case grpc::StatusCode::ALREADY_EXISTS:
      return MsgId::kRpcAlreadyExists;
    case grpc::StatusCode::UNAVAILABLE:
      return MsgId::kRpcUnavailable;
    case grpc::StatusCode::UNAUTHENTICATED:
      return MsgId::kRpcUnauthenticated;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return MsgId::kRpcDeadlineExceeded;
    case grpc::StatusCode::CANCELLED:
      return MsgId::kRpcCancelled;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return MsgId::kRpcResourceExhausted;
    case grpc::StatusCode::UNIMPLEMENTED:
      return MsgId::kRpcUnimplemented;
    default:
      return MsgId::kRpcOther;
  }
}

// "roles[2]" → "roles".
absl::string_view WithoutIndex(absl::string_view segment) {
  return segment.substr(0, segment.find('['));
}

}  // namespace

std::string CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "UNKNOWN";
  }
}

ExitCode ExitCodeFor(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return kExitOk;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::OUT_OF_RANGE:
      return kExitInvalidField;
    case grpc::StatusCode::NOT_FOUND:
      return kExitNotFound;
    case grpc::StatusCode::PERMISSION_DENIED:
      return kExitPermissionDenied;
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::FAILED_PRECONDITION:
      return kExitConflict;
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::UNAUTHENTICATED:
      return kExitUnreachable;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::CANCELLED:
      return kExitTimedOut;
    default:
      return kExitRefused;
  }
}

std::string FieldDisplayName(absl::string_view field_path) {
  std::vector<absl::string_view> parts = absl::StrSplit(field_path, '.');
  // The request's own wrapper ("case_record.") says nothing to a person.
  std::string shown(field_path);
  if (parts.size() > 1 && parts[0] == "case_record") {
    shown = std::string(field_path.substr(parts[0].size() + 1));
  }
  const std::string flag = FlagOfField(field_path);
  return flag.empty() ? shown : absl::StrCat(flag, " (", shown, ")");
}

std::string FlagOfField(absl::string_view field_path) {
  std::vector<absl::string_view> parts = absl::StrSplit(field_path, '.');
  const absl::string_view last = WithoutIndex(parts.back());
  if (parts.size() > 1) {
    const std::string parent_and_last =
        absl::StrCat(WithoutIndex(parts[parts.size() - 2]), ".", last);
    for (const auto& [fields, flag] : kParentFieldFlags) {
      if (fields == parent_and_last) return std::string(flag);
    }
  }
  for (const auto& [field, flag] : kFieldFlags) {
    if (field == last) return std::string(flag);
  }
  return "";
}

RpcErrorReport DescribeRpcError(const grpc::Status& status, Lang lang) {
  RpcErrorReport report;
  report.exit_code = ExitCodeFor(status.error_code());
  report.code = CodeName(status.error_code());
  report.sentence = Msg(lang, SentenceFor(status.error_code()),
                        static_cast<int>(status.error_code()));
  bool has_violations = false;
  std::string localized;
  google::rpc::Status details;
  if (!status.error_details().empty() &&
      details.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& any : details.details()) {
      google::rpc::LocalizedMessage localized_message;
      if (any.UnpackTo(&localized_message)) {
        localized = localized_message.message();
        continue;
      }
      google::rpc::BadRequest bad_request;
      if (!any.UnpackTo(&bad_request)) continue;
      // The node describes each field in the language the CLI asked for
      // (accept-language, connection.h).
      for (const auto& v : bad_request.field_violations()) {
        has_violations = true;
        report.violations.push_back(
            {v.field(), FlagOfField(v.field()), v.description()});
        report.details.push_back(Msg(lang, MsgId::kRpcFieldViolation,
                                     FieldDisplayName(v.field()),
                                     v.description()));
      }
    }
  }
  // The node's text in the user's language adds what the code alone does
  // not say; its English message is never shown. NOT_FOUND stays vague on
  // purpose (another institution's case must look like no case).
  if (!has_violations && status.error_code() != grpc::StatusCode::NOT_FOUND &&
      !localized.empty()) {
    report.details.push_back(std::move(localized));
  }
  return report;
}

std::string FormatRpcError(const RpcErrorReport& report,
                           absl::string_view request_id, Lang lang) {
  std::string out =
      absl::StrCat(Text(lang, MsgId::kErrorPrefix), " ", report.sentence, "\n");
  for (const std::string& line : report.details) {
    absl::StrAppend(&out, "  - ", TerminalSafe(line), "\n");
  }
  if (!request_id.empty()) {
    absl::StrAppend(&out, "  ", Msg(lang, MsgId::kRpcRequestId, request_id),
                    "\n");
  }
  return out;
}

}  // namespace resguardo::cli
