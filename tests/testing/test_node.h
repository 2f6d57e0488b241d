// TestNode: a real resguardod for cross-component tests — a temporary
// folder with a development PKI (deploy/pki.sh), a configuration file, the
// real `resguardod init` and the real `resguardod serve` on 127.0.0.1 with a
// free port, and real mTLS gRPC channels to it.
//
// The binary is $RESGUARDO_BIN_DIR/resguardod and the scripts come from
// $RESGUARDO_SOURCE_DIR (ctest sets both). The node's stderr (its log) goes
// to a file the test can read. Not thread-safe, except Channel*(),
// AuditEntries() and ReadAuditLog(), which may be called from any thread
// once started.
#ifndef RESGUARDO_TESTS_TESTING_TEST_NODE_H_
#define RESGUARDO_TESTS_TESTING_TEST_NODE_H_

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "crypto/key_set.h"
#include "crypto/secret_data.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"
#include "resguardo/v1/audit.pb.h"
#include "services/audit/audit_log.h"
#include "services/store/testing/temp_dir.h"

namespace resguardo::testing {

inline constexpr char kTrustDomain[] = "resguardo.local";
inline constexpr char kOperator[] = "IEEPCO";
inline constexpr char kOperatorAdmin[] = "admin";

struct TestNodeOptions {
  // limits.max_receive_message_bytes of the node.
  uint32_t max_receive_message_bytes = 64 * 1024;
  // Extra lines for the limits { } block.
  std::string extra_limits;
  // Lines for the audit { } block. Tests refresh checkpoints in loops and
  // expect each refresh to sign: no rate limit unless a test sets one.
  std::string audit = "min_forced_checkpoint_interval_ms: 0";
  // Turns the web listener on (a web { } block on a free port), serving
  // the folder web/ of the node's folder, which holds index.html and
  // app.js.
  bool web = false;
  // Extra lines for the web { } block.
  std::string extra_web;
  // Extra top-level lines of the configuration (e.g. a referrals { }
  // block with a short monitor_interval_seconds).
  std::string extra_config;
};

class TestNode {
 public:
  // Makes the folder, the PKI (CA, server, the operator's admin, and a
  // second CA "other-ca"), the configuration, and runs `resguardod init`.
  static absl::StatusOr<std::unique_ptr<TestNode>> Create(
      TestNodeOptions options = {});

  ~TestNode();

  // Runs `resguardod serve` and waits (up to 20 s) for health SERVING.
  absl::Status Start();
  // SIGTERM, then waits for the process; returns its exit code (or -signal).
  absl::StatusOr<int> Stop();
  // SIGKILL, then waits.
  void Kill();
  pid_t pid() const { return pid_; }
  // Empty while the node runs (or is not started); once its process has
  // exited without Stop or Kill (a crash, a sanitizer's report): how it
  // ended and the end of its log. Does not reap the process. Every started
  // node is also watched at the end of each test (a gtest listener): one
  // that died prints this once, so that a crash is seen as a crash, not as
  // the next test's refused connection.
  std::string DeathNote() const;

  // Issues a client certificate of this deployment's CA (or of the other
  // CA) for spiffe://resguardo.local/inst/INSTITUTION/user/USER.
  absl::Status IssueClientCert(absl::string_view institution,
                               absl::string_view user, bool other_ca = false);

  // An mTLS channel as INSTITUTION/USER (IssueClientCert first).
  std::shared_ptr<grpc::Channel> Channel(absl::string_view institution,
                                         absl::string_view user,
                                         bool other_ca = false) const;
  // A TLS channel that trusts the node but presents no certificate.
  std::shared_ptr<grpc::Channel> ChannelWithoutCertificate() const;

  // A context with a 10 s deadline and x-request-id = request_id (if set).
  static std::unique_ptr<grpc::ClientContext> Context(
      absl::string_view request_id = "");

  // Every audit entry, read from the database with the node's key (works
  // while the node runs).
  absl::StatusOr<std::vector<v1::AuditEntry>> AuditEntries() const;

  // The audit log as stored, read in one snapshot with the node's key
  // (works while the node runs): every entry's bytes and leaf hash, and
  // what AuditLog::VerifyStoredEntries says of the whole log.
  struct AuditLogSnapshot {
    std::vector<audit::StoredEntry> entries;
    absl::Status verified;
  };
  absl::StatusOr<AuditLogSnapshot> ReadAuditLog() const;

  // The node's database, opened with the node's key (as an attacker who
  // holds the file and its key would, for tamper tests).
  absl::StatusOr<std::unique_ptr<store::Database>> OpenDatabase() const;
  // The node's key set (data/resguardo.keys) unwrapped with its master key,
  // and the database key it holds.
  absl::StatusOr<crypto::KeySet> KeySet() const;
  absl::StatusOr<crypto::SecretData> DatabaseKey() const;

  // The node's stderr so far (its JSON log lines), from every run.
  std::string LogText() const;
  const std::string& dir() const { return dir_.path(); }
  std::string DatabasePath() const;
  std::string ConfigPath() const;
  int port() const { return port_; }
  // The web listener's port (TestNodeOptions::web), else 0.
  int web_port() const { return web_port_; }

  // Runs `argv` to completion; stdout and stderr into `output`. Returns the
  // exit code.
  static absl::StatusOr<int> Run(const std::vector<std::string>& argv,
                                 std::string* output);
  static std::string Binary();

 private:
  TestNode() = default;

  store::testing::TempDir dir_;
  int port_ = 0;
  int web_port_ = 0;
  pid_t pid_ = -1;
};

// The field paths of the google.rpc.BadRequest in `status`'s details.
std::vector<std::string> BadRequestFields(const grpc::Status& status);

}  // namespace resguardo::testing

#endif  // RESGUARDO_TESTS_TESTING_TEST_NODE_H_
