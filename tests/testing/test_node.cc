#include "tests/testing/test_node.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "crypto/file_key_provider.h"
#include "crypto/key_set_file.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "services/audit/audit_log.h"
#include "services/schema/node_schema.h"
#include "services/store/database.h"

extern char** environ;

namespace resguardo::testing {
namespace {

std::string Env(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : fallback;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

pid_t Spawn(const std::vector<std::string>& argv, const std::string& out_path,
            bool append) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  int flags = O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), flags, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> args;
  for (const std::string& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ) !=
      0) {
    pid = -1;
  }
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

int ExitCodeOf(int wstatus) {
  if (WIFEXITED(wstatus)) return WEXITSTATUS(wstatus);
  if (WIFSIGNALED(wstatus)) return -WTERMSIG(wstatus);
  return -1000;
}

// The nodes whose process runs (from Start to Stop, Kill or the
// destructor), watched at the end of each test.
absl::Mutex running_mu(absl::kConstInit);
std::set<const TestNode*>* running ABSL_GUARDED_BY(running_mu) = nullptr;
std::set<const TestNode*>* reported ABSL_GUARDED_BY(running_mu) = nullptr;

class DeathWatch final : public ::testing::EmptyTestEventListener {
 public:
  void OnTestEnd(const ::testing::TestInfo& test) override {
    absl::MutexLock lock(&running_mu);
    for (const TestNode* node : *running) {
      if (reported->count(node) != 0) continue;
      std::string note = node->DeathNote();
      if (note.empty()) continue;
      reported->insert(node);
      std::fprintf(stderr, "\n[test node] during or before %s.%s: %s\n",
                   test.test_suite_name(), test.name(), note.c_str());
    }
  }
};

void Watch(const TestNode* node) {
  absl::MutexLock lock(&running_mu);
  if (running == nullptr) {
    running = new std::set<const TestNode*>();
    reported = new std::set<const TestNode*>();
    ::testing::UnitTest::GetInstance()->listeners().Append(new DeathWatch());
  }
  running->insert(node);
}

void Unwatch(const TestNode* node) {
  absl::MutexLock lock(&running_mu);
  if (running == nullptr) return;
  running->erase(node);
  reported->erase(node);
}

}  // namespace

std::string TestNode::DeathNote() const {
  if (pid_ <= 0) return "";
  siginfo_t info{};
  if (waitid(P_PID, pid_, &info, WEXITED | WNOHANG | WNOWAIT) != 0 ||
      info.si_pid != pid_) {
    return "";  // still running
  }
  const std::string how =
      info.si_code == CLD_EXITED
          ? absl::StrCat("exited with code ", info.si_status)
          : absl::StrCat("was ended by signal ", info.si_status);
  const std::string log = LogText();
  constexpr size_t kTail = 6000;
  return absl::StrCat(
      "resguardod ", how, " on its own; the end of its log:\n",
      log.size() > kTail ? log.substr(log.size() - kTail) : log);
}

std::string TestNode::Binary() {
  return absl::StrCat(Env("RESGUARDO_BIN_DIR", "build/bin"), "/resguardod");
}

absl::StatusOr<int> TestNode::Run(const std::vector<std::string>& argv,
                                  std::string* output) {
  char templ[] = "/tmp/resguardo_run_XXXXXX";
  int fd = mkstemp(templ);
  if (fd < 0) return absl::InternalError("mkstemp");
  close(fd);
  pid_t pid = Spawn(argv, templ, /*append=*/false);
  if (pid < 0) {
    unlink(templ);
    return absl::InternalError(absl::StrCat("cannot run ", argv[0]));
  }
  int wstatus = 0;
  waitpid(pid, &wstatus, 0);
  if (output != nullptr) *output = ReadAll(templ);
  unlink(templ);
  return ExitCodeOf(wstatus);
}

absl::StatusOr<std::unique_ptr<TestNode>> TestNode::Create(
    TestNodeOptions options) {
  std::unique_ptr<TestNode> node(new TestNode());
  if (node->dir().empty()) return absl::InternalError("no temp dir");
  std::string pki = absl::StrCat(node->dir(), "/pki");
  std::string script =
      absl::StrCat(Env("RESGUARDO_SOURCE_DIR", "."), "/deploy/pki.sh");
  std::string output;
  for (const std::vector<std::string>& argv :
       std::vector<std::vector<std::string>>{
           {"/bin/bash", script, pki, "ca"},
           {"/bin/bash", script, pki, "server"},
           {"/bin/bash", script, absl::StrCat(node->dir(), "/other-ca"),
            "ca"}}) {
    absl::StatusOr<int> code = Run(argv, &output);
    if (!code.ok()) return code.status();
    if (*code != 0) {
      return absl::InternalError(absl::StrCat("pki.sh failed: ", output));
    }
  }
  absl::Status admin = node->IssueClientCert(kOperator, kOperatorAdmin);
  if (!admin.ok()) return admin;

  node->port_ = FreePort();
  std::string web;
  if (options.web) {
    node->web_port_ = FreePort();
    web =
        absl::StrCat("web {\n  listen_address: \"127.0.0.1:", node->web_port_,
                     "\"\n  static_dir: \"web\"\n", options.extra_web, "\n}\n");
    const std::string folder = absl::StrCat(node->dir(), "/web");
    mkdir(folder.c_str(), 0755);
    std::ofstream(folder + "/index.html")
        << "<!doctype html><title>Resguardo</title>"
           "<script src=\"/app.js\"></script>\n";
    std::ofstream(folder + "/app.js") << "console.log('resguardo');\n";
  }
  std::ofstream(node->ConfigPath()) << absl::StrCat(
      "# Written by tests/testing/test_node.cc\n",
      "listen_address: \"127.0.0.1:", node->port_, "\"\n",
      "tls {\n  server_cert_file: \"pki/server.crt\"\n",
      "  server_key_file: \"pki/server.key\"\n",
      "  client_ca_file: \"pki/ca.crt\"\n}\n", "data_dir: \"data\"\n",
      "master_key { key_file: \"keys/master.key\" create_for_development: "
      "true }\n",
      "trust_domain: \"", kTrustDomain, "\"\n",
      "operator_institution {\n  institution_id: \"", kOperator, "\"\n",
      "  display_name: \"Instituto Estatal Electoral y de Participación "
      "Ciudadana de Oaxaca\"\n",
      "  kind: INSTITUTION_KIND_ELECTORAL_INSTITUTE\n  state_code: \"20\"\n",
      "  first_admin_user_id: \"", kOperatorAdmin, "\"\n}\n",
      "limits {\n  max_receive_message_bytes: ",
      options.max_receive_message_bytes, "\n  shutdown_grace_seconds: 10\n",
      options.extra_limits, "\n}\n", "audit {\n  ", options.audit, "\n}\n",
      "log { format: LOG_FORMAT_JSON }\n", web, options.extra_config, "\n");

  absl::StatusOr<int> init =
      Run({Binary(), "init", "--config", node->ConfigPath()}, &output);
  if (!init.ok()) return init.status();
  if (*init != 0) {
    return absl::InternalError(
        absl::StrCat("resguardod init exited ", *init, ": ", output));
  }
  return node;
}

TestNode::~TestNode() {
  if (pid_ > 0) Kill();
  Unwatch(this);
}

std::string TestNode::ConfigPath() const {
  return absl::StrCat(dir(), "/node.textproto");
}
std::string TestNode::DatabasePath() const {
  return absl::StrCat(dir(), "/data/resguardo.db");
}
std::string TestNode::LogText() const {
  return ReadAll(absl::StrCat(dir(), "/node.log"));
}

absl::Status TestNode::IssueClientCert(absl::string_view institution,
                                       absl::string_view user, bool other_ca) {
  std::string output;
  absl::StatusOr<int> code =
      Run({"/bin/bash",
           absl::StrCat(Env("RESGUARDO_SOURCE_DIR", "."), "/deploy/pki.sh"),
           absl::StrCat(dir(), other_ca ? "/other-ca" : "/pki"), "client",
           std::string(institution), std::string(user)},
          &output);
  if (!code.ok()) return code.status();
  if (*code != 0) {
    return absl::InternalError(absl::StrCat("pki.sh client failed: ", output));
  }
  return absl::OkStatus();
}

absl::Status TestNode::Start() {
  pid_ = Spawn({Binary(), "serve", "--config", ConfigPath()},
               absl::StrCat(dir(), "/node.log"), /*append=*/true);
  if (pid_ < 0) return absl::InternalError("cannot start resguardod");
  Watch(this);
  // First the port (a gRPC channel that met a refused connection backs off
  // for seconds), then health SERVING over mTLS.
  absl::Time give_up = absl::Now() + absl::Seconds(20);
  while (true) {
    int wstatus = 0;
    if (waitpid(pid_, &wstatus, WNOHANG) == pid_) {
      Unwatch(this);
      pid_ = -1;
      return absl::InternalError(absl::StrCat(
          "resguardod serve exited ", ExitCodeOf(wstatus), ": ", LogText()));
    }
    if (absl::Now() > give_up) {
      return absl::DeadlineExceededError("resguardod did not listen");
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port_);
    bool listening =
        connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    close(fd);
    if (listening) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  auto stub =
      grpc::health::v1::Health::NewStub(Channel(kOperator, kOperatorAdmin));
  while (absl::Now() < give_up) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(5));
    context.set_wait_for_ready(true);
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    if (stub->Check(&context, request, &response).ok() &&
        response.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
      return absl::OkStatus();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return absl::DeadlineExceededError("resguardod did not become SERVING");
}

absl::StatusOr<int> TestNode::Stop() {
  if (pid_ <= 0) return absl::FailedPreconditionError("not running");
  Unwatch(this);
  kill(pid_, SIGTERM);
  int wstatus = 0;
  waitpid(pid_, &wstatus, 0);
  pid_ = -1;
  return ExitCodeOf(wstatus);
}

void TestNode::Kill() {
  if (pid_ <= 0) return;
  Unwatch(this);
  kill(pid_, SIGKILL);
  int wstatus = 0;
  waitpid(pid_, &wstatus, 0);
  pid_ = -1;
}

std::shared_ptr<grpc::Channel> TestNode::Channel(absl::string_view institution,
                                                 absl::string_view user,
                                                 bool other_ca) const {
  std::string base = absl::StrCat(dir(), other_ca ? "/other-ca" : "/pki",
                                  "/clients/", institution, "/", user);
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadAll(absl::StrCat(dir(), "/pki/ca.crt"));
  ssl.pem_private_key = ReadAll(base + ".key");
  ssl.pem_cert_chain = ReadAll(base + ".crt");
  grpc::ChannelArguments args;
  // A fresh connection per channel: a refused handshake of one test does
  // not stay in a shared subchannel for the next.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  // Reconnect quickly while a node starts or restarts.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 250);
  args.SetMaxReceiveMessageSize(-1);
  args.SetMaxSendMessageSize(-1);
  return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port_),
                                   grpc::SslCredentials(ssl), args);
}

std::shared_ptr<grpc::Channel> TestNode::ChannelWithoutCertificate() const {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadAll(absl::StrCat(dir(), "/pki/ca.crt"));
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port_),
                                   grpc::SslCredentials(ssl), args);
}

std::unique_ptr<grpc::ClientContext> TestNode::Context(
    absl::string_view request_id) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(10));
  if (!request_id.empty()) {
    context->AddMetadata("x-request-id", std::string(request_id));
  }
  return context;
}

absl::StatusOr<crypto::KeySet> TestNode::KeySet() const {
  absl::StatusOr<std::unique_ptr<crypto::FileKeyProvider>> master =
      crypto::FileKeyProvider::New(absl::StrCat(dir(), "/keys/master.key"),
                                   crypto::FileKeyProvider::Mode::kMustExist);
  if (!master.ok()) return master.status();
  absl::StatusOr<std::string> file =
      crypto::ReadKeySetFile(absl::StrCat(dir(), "/data/resguardo.keys"));
  if (!file.ok()) return file.status();
  return crypto::KeySet::Open(*file, **master);
}

absl::StatusOr<crypto::SecretData> TestNode::DatabaseKey() const {
  absl::StatusOr<crypto::KeySet> set = KeySet();
  if (!set.ok()) return set.status();
  const crypto::SecretData* key = set->Find("database", 1);
  if (key == nullptr) return absl::NotFoundError("no database key");
  return key->Clone();
}

absl::StatusOr<std::unique_ptr<store::Database>> TestNode::OpenDatabase()
    const {
  absl::StatusOr<crypto::SecretData> key = DatabaseKey();
  if (!key.ok()) return key.status();
  store::Database::Options options;
  options.migrations = schema::NodeMigrations();
  options.read_connections = 1;
  return store::Database::Open(DatabasePath(), *key, options);
}

absl::StatusOr<std::vector<v1::AuditEntry>> TestNode::AuditEntries() const {
  absl::StatusOr<std::unique_ptr<store::Database>> db = OpenDatabase();
  if (!db.ok()) return db.status();
  absl::StatusOr<std::vector<v1::AuditEntry>> entries = (*db)->Read(
      [](store::ReadTxn& txn) -> absl::StatusOr<std::vector<v1::AuditEntry>> {
        absl::StatusOr<uint64_t> size = audit::AuditLog::Size(txn);
        if (!size.ok()) return size.status();
        std::vector<v1::AuditEntry> out;
        for (uint64_t from = 0; from < *size; from += 10000) {
          absl::StatusOr<std::vector<audit::StoredEntry>> stored =
              audit::AuditLog::ReadEntries(txn, from, from + 10000);
          if (!stored.ok()) return stored.status();
          for (const audit::StoredEntry& s : *stored) {
            v1::AuditEntry entry;
            if (!entry.ParseFromString(s.bytes)) {
              return absl::DataLossError("unparseable audit entry");
            }
            out.push_back(std::move(entry));
          }
        }
        return out;
      });
  // Close checkpoints; while the node runs its readers may make that
  // partial, which is fine for a reader of the log.
  (*db)->Close().IgnoreError();
  return entries;
}

absl::StatusOr<TestNode::AuditLogSnapshot> TestNode::ReadAuditLog() const {
  absl::StatusOr<std::unique_ptr<store::Database>> db = OpenDatabase();
  if (!db.ok()) return db.status();
  absl::StatusOr<AuditLogSnapshot> snapshot =
      (*db)->Read([](store::ReadTxn& txn) -> absl::StatusOr<AuditLogSnapshot> {
        absl::StatusOr<uint64_t> size = audit::AuditLog::Size(txn);
        if (!size.ok()) return size.status();
        AuditLogSnapshot out;
        for (uint64_t from = 0; from < *size; from += 10000) {
          absl::StatusOr<std::vector<audit::StoredEntry>> stored =
              audit::AuditLog::ReadEntries(txn, from, from + 10000);
          if (!stored.ok()) return stored.status();
          for (audit::StoredEntry& e : *stored) {
            out.entries.push_back(std::move(e));
          }
        }
        out.verified = audit::AuditLog::VerifyStoredEntries(txn, 0, *size);
        return out;
      });
  (*db)->Close().IgnoreError();
  return snapshot;
}

std::vector<std::string> BadRequestFields(const grpc::Status& status) {
  std::vector<std::string> fields;
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return fields;
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (!any.UnpackTo(&bad_request)) continue;
    for (const auto& v : bad_request.field_violations()) {
      fields.push_back(v.field());
    }
  }
  return fields;
}

}  // namespace resguardo::testing
