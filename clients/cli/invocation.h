// One run of one command: its language, flags, arguments and streams, the
// lazily opened connection, and the one place that turns outcomes into
// output and exit codes (so every command reports errors the same way).
#ifndef RESGUARDO_CLIENTS_CLI_INVOCATION_H_
#define RESGUARDO_CLIENTS_CLI_INVOCATION_H_

#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/cli/cli_config.h"
#include "clients/cli/connection.h"
#include "clients/cli/flag_parser.h"
#include "clients/cli/language.h"
#include "clients/cli/messages.h"
#include "clients/cli/prompter.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace resguardo::cli {

struct Streams {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
};

// Not thread-safe; one per process run.
class Invocation {
 public:
  // `interactive`: stdin is a terminal, so missing values may be asked for.
  Invocation(std::string command_name, Lang lang, ParsedFlags flags,
             std::vector<std::string> args, Streams streams, bool interactive,
             GetEnvFn getenv);

  Lang lang() const { return lang_; }
  bool json() const { return flags_.Has("json"); }
  const ParsedFlags& flags() const { return flags_; }
  const std::vector<std::string>& args() const { return args_; }
  std::istream& in() { return streams_.in; }
  std::ostream& out() { return streams_.out; }
  std::ostream& err() { return streams_.err; }
  // The time zone dates and times are typed and shown in.
  absl::TimeZone zone() const { return zone_; }
  void set_zone(absl::TimeZone zone) { zone_ = zone; }

  // Null when stdin is not a terminal: then nothing may be asked.
  Prompter* prompter() { return prompter_ ? prompter_.get() : nullptr; }

  // The settings (config file + flags), read once. FAILED_PRECONDITION.
  absl::StatusOr<const CliConfig*> Config();
  // The caller's institution id (--institution or the config file).
  absl::StatusOr<std::string> Institution();
  // The channel, opened on first use. FAILED_PRECONDITION.
  absl::StatusOr<std::shared_ptr<grpc::Channel>> Channel();
  // A stub of `Service` on Channel(); on failure reports it (LocalError),
  // sets *exit_code and returns null.
  template <typename Service>
  std::unique_ptr<typename Service::Stub> NewStub(int* exit_code) {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = Channel();
    if (!channel.ok()) {
      *exit_code = LocalError(channel.status());
      return nullptr;
    }
    return Service::NewStub(*channel);
  }

  // Runs one RPC with a deadline and a fresh x-request-id. Returns kExitOk,
  // or prints the error and returns its exit code.
  int Call(const std::function<grpc::Status(grpc::ClientContext*)>& rpc);
  // Opens a stub on Channel() and makes one call (Call) of `rpc`, a method
  // of a generated stub (e.g. &v1::CaseService::Stub::GetCase), with
  // `request` into *response. Returns kExitOk or the exit code of what
  // failed (no channel, the call), which it has reported.
  template <typename Stub, typename Request, typename Response>
  int CallOnce(grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&,
                                         Response*),
               const Request& request, Response* response) {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = Channel();
    if (!channel.ok()) return LocalError(channel.status());
    Stub stub(*channel);
    return Call([&](grpc::ClientContext* ctx) {
      return (stub.*rpc)(ctx, request, response);
    });
  }

  // Prints `message` as JSON with --json, else `human()`. Returns the exit
  // code (kExitOk, or kExitRefused if the JSON printer fails).
  int Print(const google::protobuf::Message& message,
            const std::function<std::string()>& human);
  // As Print, the text being the message `heading` (its one argument
  // `subject`) and a blank line before `body()`; `body()` alone when
  // `heading` is MsgId::kNone.
  int PrintHeaded(const google::protobuf::Message& message, MsgId heading,
                  absl::string_view subject,
                  const std::function<std::string()>& body);

  // The value of --`flag`; nullopt, with a usage error reported and
  // *exit_code set, when it is missing or empty.
  std::optional<std::string> RequiredFlag(const char* flag, int* exit_code);
  // The value number of the code flag --`flag` (a value of catalogue
  // `e`); nullopt, with the error reported and *exit_code set, when it is
  // missing or not a code of `e`.
  std::optional<int> RequiredCode(const char* flag,
                                  const google::protobuf::EnumDescriptor* e,
                                  int* exit_code);

  // Prints "Error: message" and a pointer to the command's help; returns
  // kExitUsage.
  int UsageError(absl::string_view message);
  // Prints a local failure: FAILED_PRECONDITION (settings, TLS files) gives
  // kExitUnreachable, anything else kExitUsage.
  int LocalError(const absl::Status& status);
  // A message on stderr that is not an error (a warning, a hint).
  void Note(absl::string_view message);

 private:
  std::string command_name_;
  Lang lang_;
  ParsedFlags flags_;
  std::vector<std::string> args_;
  Streams streams_;
  GetEnvFn getenv_;
  absl::TimeZone zone_ = absl::LocalTimeZone();
  std::unique_ptr<Prompter> prompter_;
  std::optional<absl::StatusOr<CliConfig>> config_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_INVOCATION_H_
