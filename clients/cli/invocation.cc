#include "clients/cli/invocation.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "clients/cli/exit_codes.h"
#include "clients/cli/flag_values.h"
#include "clients/cli/json_error.h"
#include "clients/cli/json_output.h"
#include "clients/cli/messages.h"
#include "clients/cli/rpc_error.h"
#include "clients/cli/terminal_text.h"

namespace resguardo::cli {

Invocation::Invocation(std::string command_name, Lang lang, ParsedFlags flags,
                       std::vector<std::string> args, Streams streams,
                       bool interactive, GetEnvFn getenv)
    : command_name_(std::move(command_name)),
      lang_(lang),
      flags_(std::move(flags)),
      args_(std::move(args)),
      streams_(streams),
      getenv_(std::move(getenv)) {
  if (interactive) {
    prompter_ = std::make_unique<Prompter>(streams_.in, streams_.err, lang_);
  }
}

absl::StatusOr<const CliConfig*> Invocation::Config() {
  if (!config_.has_value()) config_ = ResolveConfig(flags_, getenv_, lang_);
  if (!config_->ok()) {
    return absl::FailedPreconditionError(config_->status().message());
  }
  return &config_->value();
}

absl::StatusOr<std::string> Invocation::Institution() {
  absl::StatusOr<const CliConfig*> config = Config();
  if (!config.ok()) return config.status();
  if ((*config)->institution.empty()) {
    return absl::InvalidArgumentError(
        Text(lang_, MsgId::kErrInstitutionMissing));
  }
  return (*config)->institution;
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> Invocation::Channel() {
  if (connection_ == nullptr) {
    absl::StatusOr<const CliConfig*> config = Config();
    if (!config.ok()) return config.status();
    absl::StatusOr<std::unique_ptr<Connection>> connection =
        Connection::New(**config, lang_);
    if (!connection.ok()) {
      return absl::FailedPreconditionError(connection.status().message());
    }
    connection_ = *std::move(connection);
  }
  return connection_->channel();
}

int Invocation::Call(
    const std::function<grpc::Status(grpc::ClientContext*)>& rpc) {
  if (absl::StatusOr<std::shared_ptr<grpc::Channel>> ch = Channel(); !ch.ok()) {
    return LocalError(ch.status());
  }
  grpc::ClientContext context;
  const std::string request_id = connection_->Prepare(&context);
  const grpc::Status status = rpc(&context);
  if (status.ok()) return kExitOk;
  const RpcErrorReport report = DescribeRpcError(status, lang_);
  err() << (json() ? JsonRpcError(report, request_id)
                   : FormatRpcError(report, request_id, lang_));
  return report.exit_code;
}

int Invocation::Print(const google::protobuf::Message& message,
                      const std::function<std::string()>& human) {
  if (json()) {
    absl::StatusOr<std::string> line = ToJsonLine(message);
    if (!line.ok()) {
      err() << Text(lang_, MsgId::kErrorPrefix) << " "
            << TerminalSafe(line.status().message()) << "\n";
      return kExitRefused;
    }
    out() << *line;
  } else {
    out() << human();
  }
  out().flush();
  return kExitOk;
}

std::optional<std::string> Invocation::RequiredFlag(const char* flag,
                                                    int* exit_code) {
  std::optional<std::string> value = flags().Get(flag);
  if (!value.has_value() || value->empty()) {
    *exit_code = UsageError(
        Msg(lang_, MsgId::kErrMissingFlags, absl::StrCat("--", flag)));
    return std::nullopt;
  }
  return value;
}

std::optional<int> Invocation::RequiredCode(
    const char* flag, const google::protobuf::EnumDescriptor* e,
    int* exit_code) {
  absl::StatusOr<std::optional<int>> code = GetCode(flags(), flag, e, lang_);
  if (!code.ok()) {
    *exit_code = LocalError(code.status());
    return std::nullopt;
  }
  if (!code->has_value()) {
    *exit_code = UsageError(
        Msg(lang_, MsgId::kErrMissingFlags, absl::StrCat("--", flag)));
    return std::nullopt;
  }
  return **code;
}

int Invocation::PrintHeaded(const google::protobuf::Message& message,
                            MsgId heading, absl::string_view subject,
                            const std::function<std::string()>& body) {
  return Print(message, [&] {
    if (heading == MsgId::kNone) return body();
    return absl::StrCat(Msg(lang_, heading, subject), "\n\n", body());
  });
}

int Invocation::UsageError(absl::string_view message) {
  if (json()) {
    err() << JsonLocalError("USAGE", kExitUsage, message);
    return kExitUsage;
  }
  err() << Text(lang_, MsgId::kErrorPrefix) << " " << message << "\n"
        << Msg(lang_, MsgId::kSeeHelp, command_name_) << "\n";
  return kExitUsage;
}

int Invocation::LocalError(const absl::Status& status) {
  if (status.code() == absl::StatusCode::kFailedPrecondition) {
    if (json()) {
      err() << JsonLocalError("LOCAL", kExitUnreachable, status.message());
      return kExitUnreachable;
    }
    err() << Text(lang_, MsgId::kErrorPrefix) << " " << status.message()
          << "\n";
    return kExitUnreachable;
  }
  return UsageError(status.message());
}

void Invocation::Note(absl::string_view message) { err() << message << "\n"; }

}  // namespace resguardo::cli
