// resguardod: the Resguardo node.
//
//   resguardod init --config FILE    prepare the key file (development), the
//                                    database and the operator institution
//   resguardod serve --config FILE   serve until SIGTERM or SIGINT
//   resguardod audit-key --config FILE         print the audit signing key
//   resguardod rotate-audit-key --config FILE  rotate it (node stopped)
//   resguardod publication-key --config FILE   print the registry exports'
//                                              signing key
//   resguardod backup --config FILE --out BACKUP      online, consistent copy
//   resguardod verify-backup --config FILE --file BACKUP  check a copy
//   resguardod restore --config FILE --file BACKUP    put a copy in place
//   resguardod rotate-master-key --config FILE  new master key (node stopped)
//   resguardod rekey-database --config FILE     new database key (stopped)
//   resguardod --version             what this build is and what it links
//   resguardod --help                usage
//
// Exit codes: 0 success (serve: stopped cleanly after SIGTERM/SIGINT);
// 1 the node could not init, start or stop cleanly; 2 usage error;
// 3 invalid configuration.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "base/clock.h"
#include "base/process_hardening.h"
#include "crypto/secret_data.h"
#include "google/protobuf/stubs/logging.h"
#include "grpc/support/log.h"
#include "resguardo/config/v1/node_config.pb.h"
#include "services/server/audit_keys.h"
#include "services/server/backups.h"
#include "services/server/build_info.h"
#include "services/server/call_log.h"
#include "services/server/config_loader.h"
#include "services/server/grpc_status.h"
#include "services/server/key_rotation.h"
#include "services/server/node.h"
#include "services/server/node_init.h"
#include "services/server/publication_key.h"
#include "services/server/request_decoder.h"
#include "services/server/tls_policy.h"

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitBadConfig = 3;

constexpr char kUsage[] =
    "Uso / Usage:\n"
    "  resguardod init --config ARCHIVO   prepara la clave (desarrollo), la "
    "base de datos\n"
    "                                     y la institución operadora\n"
    "                                     / prepares the key (development), "
    "the database\n"
    "                                     and the operator institution\n"
    "  resguardod serve --config ARCHIVO  atiende hasta SIGTERM o SIGINT\n"
    "                                     / serves until SIGTERM or SIGINT\n"
    "  resguardod audit-key --config ARCHIVO\n"
    "                                     clave pública de la bitácora y su "
    "id\n"
    "                                     / the audit log's public key and id\n"
    "  resguardod rotate-audit-key --config ARCHIVO\n"
    "                                     rota la clave (nodo detenido)\n"
    "                                     / rotates it (node stopped)\n"
    "  resguardod publication-key --config ARCHIVO\n"
    "                                     clave pública que firma las "
    "exportaciones del\n"
    "                                     registro de personas sancionadas / "
    "the public key\n"
    "                                     that signs the registry's "
    "exports\n"
    "  resguardod backup --config ARCHIVO --out COPIA\n"
    "                                     copia cifrada y consistente, con el "
    "nodo en marcha\n"
    "                                     / encrypted, consistent copy while "
    "the node serves\n"
    "  resguardod verify-backup --config ARCHIVO --file COPIA\n"
    "                                     revisa una copia sin cambiarla\n"
    "                                     / checks a copy without changing "
    "it\n"
    "  resguardod restore --config ARCHIVO --file COPIA\n"
    "                                     pone la copia como base de datos "
    "(nodo detenido,\n"
    "                                     sin base de datos) / puts the copy "
    "in place (node\n"
    "                                     stopped, no database there)\n"
    "  resguardod rotate-master-key --config ARCHIVO\n"
    "                                     nueva clave maestra (nodo detenido)\n"
    "                                     / new master key (node stopped)\n"
    "  resguardod rekey-database --config ARCHIVO\n"
    "                                     nueva clave de la base de datos "
    "(nodo detenido)\n"
    "                                     / new database key (node stopped)\n"
    "  resguardod --version               versión y bibliotecas / version and "
    "libraries\n"
    "  resguardod --help                  esta ayuda / this help\n"
    "\n"
    "ARCHIVO / FILE: NodeConfig en formato de texto de protobuf "
    "(.textproto) / a text-format\n"
    "NodeConfig; ver / see proto/resguardo/config/v1/node_config.proto y / "
    "and deploy/.\n"
    "Códigos de salida / exit codes: 0 bien / ok, 1 falla / failure, 2 uso / "
    "usage,\n"
    "3 configuración inválida / invalid configuration.\n";

// What became of the key memory arena (set by main, logged by Serve).
const char* key_memory = "unprotected";

// gRPC's own log lines (e.g. a refused TLS handshake) and libprotobuf's go
// through the node's log, as "grpc" and "protobuf" events, so that stderr
// stays one JSON object per line.
resguardo::server::CallLog* grpc_log_target = nullptr;

// gRPC reads these from the environment when it starts. The node decides
// them instead: errors only, and no trace (a trace flag such as "http"
// prints every header and frame of every call, request content included,
// into the node's log). The names of the variables that were set, never
// their values, are logged.
constexpr const char* kGrpcLoggingVariables[] = {"GRPC_TRACE",
                                                 "GRPC_VERBOSITY"};

std::string TakeControlOfGrpcLogging() {
  std::string overridden;
  for (const char* name : kGrpcLoggingVariables) {
    if (std::getenv(name) != nullptr) {
      absl::StrAppend(&overridden, overridden.empty() ? "" : ",", name);
    }
  }
  unsetenv("GRPC_TRACE");
  setenv("GRPC_VERBOSITY", "ERROR", /*overwrite=*/1);
  gpr_set_log_verbosity(GPR_LOG_SEVERITY_ERROR);
  return overridden;
}

void LogProtobufLine(google::protobuf::LogLevel level, const char* filename,
                     int line, const std::string& message) {
  // A request that does not decode is refused, logged and audited under
  // its request id by the call core (request_decoder.h), which names the
  // field libprotobuf's own line names.
  if (grpc_log_target == nullptr ||
      resguardo::server::DecodingRequestOnThisThread()) {
    return;
  }
  static constexpr const char* kLevels[] = {"INFO", "WARNING", "ERROR",
                                            "FATAL"};
  grpc_log_target->Event(
      "protobuf",
      {{"severity", level >= 0 && level <= 3 ? kLevels[level] : "UNKNOWN"},
       {"source", absl::StrCat(filename != nullptr ? filename : "", ":", line)},
       {"message", message}});
}

void LogGrpcLine(gpr_log_func_args* args) {
  if (grpc_log_target == nullptr) return;
  grpc_log_target->Event(
      "grpc", {{"severity", gpr_log_severity_string(args->severity)},
               {"source", absl::StrCat(args->file != nullptr ? args->file : "",
                                       ":", args->line)},
               {"message", args->message != nullptr ? args->message : ""}});
}

int UsageError(absl::string_view what) {
  std::fprintf(stderr, "resguardod: %.*s\n%s", static_cast<int>(what.size()),
               what.data(), kUsage);
  return kExitUsage;
}

// Loads the configuration or prints why not.
bool Load(const char* path, resguardo::config::v1::NodeConfig* config) {
  absl::StatusOr<resguardo::config::v1::NodeConfig> loaded =
      resguardo::server::LoadNodeConfig(path);
  if (!loaded.ok()) {
    std::fprintf(
        stderr,
        "resguardod: configuración inválida / invalid configuration "
        "(%s):\n  %s\n",
        std::string(resguardo::server::CodeName(loaded.status().code()))
            .c_str(),
        std::string(loaded.status().message()).c_str());
    return false;
  }
  *config = *std::move(loaded);
  return true;
}

void PrintFailure(absl::string_view what_es, absl::string_view what_en,
                  const absl::Status& status) {
  std::fprintf(stderr, "resguardod: %.*s / %.*s (%s):\n  %s\n",
               static_cast<int>(what_es.size()), what_es.data(),
               static_cast<int>(what_en.size()), what_en.data(),
               std::string(resguardo::server::CodeName(status.code())).c_str(),
               std::string(status.message()).c_str());
}

int Init(const resguardo::config::v1::NodeConfig& config) {
  absl::StatusOr<resguardo::server::InitReport> report =
      resguardo::server::InitNode(config, resguardo::Clock::Real());
  if (!report.ok()) {
    PrintFailure("no se pudo preparar el nodo", "init failed", report.status());
    return kExitFailure;
  }
  std::printf(
      "resguardod: nodo listo / node ready\n"
      "  clave maestra / master key: %s (%s), id %s\n"
      "  base de datos / database: %s (%s)\n"
      "  institución operadora / operator institution: %s, "
      "administradora / admin: %s\n",
      config.master_key().key_file().c_str(),
      report->key_file_created ? "creada / created" : "existente / existing",
      report->master_key_id.c_str(),
      resguardo::server::DatabasePath(config).c_str(),
      report->database_created ? "creada / created" : "existente / existing",
      config.operator_institution().institution_id().c_str(),
      config.operator_institution().first_admin_user_id().c_str());
  return 0;
}

// Prints the audit key report: one "vkey" line per generation (the last
// signs), for distribution to auditors (resguardo audit verify --key).
int AuditKey(const resguardo::config::v1::NodeConfig& config, bool rotate) {
  absl::StatusOr<resguardo::server::AuditKeyReport> report =
      rotate
          ? resguardo::server::RotateAuditKey(config, resguardo::Clock::Real())
          : resguardo::server::ShowAuditKey(config, resguardo::Clock::Real());
  if (!report.ok()) {
    PrintFailure(
        rotate ? "no se pudo rotar la clave de la bitácora"
               : "no se pudo leer la clave de la bitácora",
        rotate ? "audit key rotation failed" : "could not read the audit key",
        report.status());
    return kExitFailure;
  }
  std::printf("origin %s\n", report->origin.c_str());
  for (const resguardo::audit::AuditKey& key : report->keys) {
    std::printf("generation %u key-id %08x vkey %s\n", key.generation,
                key.key_id, key.verifier_key.c_str());
  }
  std::printf("checkpoint %llu size %llu generation %u\n",
              static_cast<unsigned long long>(report->checkpoint.seq),
              static_cast<unsigned long long>(report->checkpoint.tree_size),
              report->checkpoint.key_generation);
  return 0;
}

// Prints the publication key, for distribution to the registry's readers
// (resguardo registry verify --key): its origin and its vkey line, in the
// audit key's form.
int PublicationKey(const resguardo::config::v1::NodeConfig& config) {
  absl::StatusOr<resguardo::server::PublicationKeyReport> report =
      resguardo::server::ShowPublicationKey(config);
  if (!report.ok()) {
    PrintFailure("no se pudo leer la clave de publicación",
                 "could not read the publication key", report.status());
    return kExitFailure;
  }
  std::printf("origin %s\nvkey %s\n", report->origin.c_str(),
              report->verifier_key.c_str());
  return 0;
}

// backup, verify-backup and restore: what the copy holds, for the
// operator's records (its SHA-256 to compare after moving it).
int Backup(const resguardo::config::v1::NodeConfig& config,
           absl::string_view command, const std::string& file) {
  const resguardo::Clock* clock = resguardo::Clock::Real();
  absl::StatusOr<resguardo::server::BackupReport> report =
      command == "backup" ? resguardo::server::BackupNode(config, file, clock)
      : command == "restore"
          ? resguardo::server::RestoreBackup(config, file, clock)
          : resguardo::server::VerifyBackup(config, file, clock);
  if (!report.ok()) {
    if (command == "backup") {
      PrintFailure("no se pudo respaldar", "backup failed", report.status());
    } else if (command == "restore") {
      PrintFailure("no se pudo restaurar", "restore failed", report.status());
    } else {
      PrintFailure("la copia no es válida", "the backup is not valid",
                   report.status());
    }
    return kExitFailure;
  }
  std::printf(
      "resguardod: %s\n"
      "  copia / backup: %s\n"
      "  tamaño / size: %llu bytes\n"
      "  sha256: %s\n"
      "  bitácora / audit log: %llu entradas / entries, raíz / root %s\n"
      "  último punto de control firmado / last signed checkpoint: %llu\n"
      "  claves / key set: %s\n"
      "  clave maestra / master key: id %s\n",
      command == "backup"    ? "copia hecha y revisada / backup written and "
                               "checked"
      : command == "restore" ? "copia revisada y restaurada / backup checked "
                               "and restored"
                             : "copia válida / backup valid",
      report->file.path.c_str(),
      static_cast<unsigned long long>(report->file.bytes),
      report->file.sha256_hex.c_str(),
      static_cast<unsigned long long>(report->audit_tree_size),
      report->audit_root_base64.c_str(),
      static_cast<unsigned long long>(report->checkpoint_tree_size),
      report->key_set_path.empty()
          ? "ninguno (derivadas de la clave maestra) / none (derived from "
            "the master key)"
          : report->key_set_path.c_str(),
      report->master_key_id.c_str());
  return 0;
}

// rotate-master-key and rekey-database: which master key is current.
int RotateKeys(const resguardo::config::v1::NodeConfig& config,
               absl::string_view command) {
  const bool master = command == "rotate-master-key";
  absl::StatusOr<resguardo::server::KeyRotationReport> report =
      master ? resguardo::server::RotateMasterKey(config)
             : resguardo::server::RekeyDatabase(config);
  if (!report.ok()) {
    PrintFailure(
        master ? "no se pudo rotar la clave maestra"
               : "no se pudo cambiar la clave de la base de datos",
        master ? "master-key rotation failed" : "database re-keying failed",
        report.status());
    return kExitFailure;
  }
  for (const std::string& event : report->recovered) {
    std::printf("resguardod: antes / first: %s\n", event.c_str());
  }
  if (master) {
    std::printf(
        "resguardod: clave maestra rotada / master key rotated\n"
        "  anterior / previous: id %s\n"
        "  vigente / current: id %s (%s)\n",
        report->old_master_key_id.c_str(), report->master_key_id.c_str(),
        config.master_key().key_file().c_str());
  } else {
    std::printf(
        "resguardod: nueva clave de la base de datos / database re-keyed\n"
        "  base de datos / database: %s\n"
        "  clave maestra vigente / current master key: id %s\n",
        resguardo::server::DatabasePath(config).c_str(),
        report->master_key_id.c_str());
  }
  return 0;
}

int Serve(const resguardo::config::v1::NodeConfig& config) {
  // Before anything starts gRPC (single-threaded still: setenv is safe).
  const std::string grpc_overridden = TakeControlOfGrpcLogging();
  // SIGTERM and SIGINT are taken by sigwait below, on this thread; every
  // thread started from here on (gRPC's, the workers, the store's) inherits
  // the mask, so none of them is interrupted by the signal.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  // Never deleted: gRPC may log until the process exits, so the log it
  // writes through must outlive every thread of gRPC.
  auto* log = new resguardo::server::CallLog(
      config.log().format() == resguardo::config::v1::LOG_FORMAT_TEXT
          ? resguardo::server::CallLog::Format::kText
          : resguardo::server::CallLog::Format::kJson,
      stderr, resguardo::Clock::Real());
  // TLS 1.3 only, before anything (gRPC included) makes a TLS context.
  absl::StatusOr<resguardo::server::TlsPolicyReport> tls =
      resguardo::server::InstallTls13Only();
  if (!tls.ok()) {
    log->Event("start_failed",
               {{"code",
                 std::string(resguardo::server::CodeName(tls.status().code()))},
                {"error", std::string(tls.status().message())}});
    return kExitFailure;
  }
  log->Event("process_hardening",
             {{"core_dumps", "off"}, {"key_memory", key_memory}});
  log->Event("tls_policy",
             {{"min_version", "TLSv1.3"},
              {"system_config", tls->system_config_file},
              {"system_section", tls->system_section_kept ? "kept" : "none"}});
  grpc_log_target = log;
  gpr_set_log_function(LogGrpcLine);
  google::protobuf::SetLogHandler(LogProtobufLine);
  if (!grpc_overridden.empty()) {
    log->Event("grpc_logging", {{"verbosity", "ERROR"},
                                {"trace", "none"},
                                {"ignored_environment", grpc_overridden}});
  }
  // Debian builds Abseil without NDEBUG, which leaves absl::Mutex's deadlock
  // detector on: every lock and every mutex destroyed, gRPC's included,
  // updates a graph of lock order and records stack traces (a few percent of
  // the node's time). It is a debugging aid, on in the tests, that can only
  // abort the process; the serving node does without it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::StatusOr<std::unique_ptr<resguardo::server::Node>> node =
      resguardo::server::Node::Start(config, log, resguardo::Clock::Real());
  if (!node.ok()) {
    log->Event(
        "start_failed",
        {{"code",
          std::string(resguardo::server::CodeName(node.status().code()))},
         {"error", std::string(node.status().message())}});
    return kExitFailure;
  }
  log->Event("serving", {{"address", config.listen_address()},
                         {"port", absl::StrCat((*node)->port())},
                         {"version", resguardo::server::Version()}});
  if (config.has_web()) {
    log->Event("web_serving", {{"address", config.web().listen_address()},
                               {"port", absl::StrCat((*node)->web_port())}});
  }

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  log->Event("stopping",
             {{"signal", signal_number == SIGINT ? "SIGINT" : "SIGTERM"}});
  absl::Status stopped = (*node)->Shutdown();
  node->reset();
  log->Event(
      "stopped",
      {{"code", std::string(resguardo::server::CodeName(stopped.code()))},
       {"error", std::string(stopped.message())}});
  return stopped.ok() ? 0 : kExitFailure;
}

}  // namespace

int main(int argc, char** argv) {
  // First of all: no core dump and no ptrace of a process that will hold
  // the master key, the KEK rings and decrypted records.
  const resguardo::HardeningResult hardened = resguardo::HardenProcess();
  if (!hardened.ok) {
    std::fprintf(stderr,
                 "resguardod: no se pudo proteger el proceso / cannot harden "
                 "the process: %s\n",
                 hardened.error.c_str());
    return kExitFailure;
  }
  const absl::StatusOr<bool> locked =
      resguardo::crypto::SecretData::ProtectKeyMemory();
  if (locked.ok()) {
    key_memory = *locked ? "locked, not dumped"
                         : "not dumped, not locked (raise RLIMIT_MEMLOCK)";
  }
  if (argc == 2) {
    absl::string_view arg = argv[1];
    if (arg == "--version" || arg == "version") {
      std::fputs(resguardo::server::BuildInfo().c_str(), stdout);
      return 0;
    }
    if (arg == "--help" || arg == "-h" || arg == "help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
  }
  if (argc >= 2) {
    absl::string_view command = argv[1];
    const bool backups = command == "backup" || command == "verify-backup" ||
                         command == "restore";
    const bool key_rotation =
        command == "rotate-master-key" || command == "rekey-database";
    if (command == "init" || command == "serve" || command == "audit-key" ||
        command == "rotate-audit-key" || command == "publication-key" ||
        backups || key_rotation) {
      const char* config_path = nullptr;
      const char* file = nullptr;
      // backup writes --out; verify-backup and restore read --file.
      const absl::string_view file_flag =
          command == "backup" ? "--out" : "--file";
      for (int i = 2; i < argc; ++i) {
        absl::string_view arg = argv[i];
        if (arg == "--config" && i + 1 < argc) {
          config_path = argv[++i];
        } else if (arg.substr(0, 9) == "--config=") {
          config_path = argv[i] + 9;
        } else if (backups && arg == file_flag && i + 1 < argc) {
          file = argv[++i];
        } else {
          return UsageError(absl::StrCat(
              "argumento no reconocido / unrecognised argument: ", arg));
        }
      }
      if (config_path == nullptr) {
        return UsageError("falta / missing --config FILE");
      }
      if (backups && (file == nullptr || *file == '\0')) {
        return UsageError(
            absl::StrCat("falta / missing ", file_flag, " COPIA/BACKUP"));
      }
      resguardo::config::v1::NodeConfig config;
      if (!Load(config_path, &config)) return kExitBadConfig;
      if (command == "audit-key") return AuditKey(config, false);
      if (command == "rotate-audit-key") return AuditKey(config, true);
      if (command == "publication-key") return PublicationKey(config);
      if (backups) return Backup(config, command, file);
      if (key_rotation) return RotateKeys(config, command);
      return command == "init" ? Init(config) : Serve(config);
    }
  }
  return UsageError("orden no reconocida / unrecognised command");
}
