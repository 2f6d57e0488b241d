// The node's listener speaks TLS 1.3 only (DESIGN.md §4): a client that
// offers at most TLS 1.2 is refused during the handshake, the same client
// with TLS 1.3 gets through. The clients are plain OpenSSL, so the test does
// not depend on what gRPC's client offers.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "openssl/err.h"
#include "openssl/ssl.h"
#include "tests/testing/test_node.h"

namespace resguardo {
namespace {

using ::resguardo::testing::TestNode;
using ::testing::HasSubstr;

struct SslCtxDeleter {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
struct SslDeleter {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};

// What one handshake with the node gave.
struct Handshake {
  bool completed = false;
  int version = 0;  // the negotiated version, if completed
  std::string alpn;
};

// A TCP connection to 127.0.0.1:port with 5 s timeouts; -1 on failure.
int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// A TLS handshake as the operator's admin (a valid certificate of the
// deployment's CA), offering versions [min_version, max_version] and h2.
Handshake HandshakeWith(const TestNode& node, int min_version,
                        int max_version) {
  Handshake result;
  std::unique_ptr<SSL_CTX, SslCtxDeleter> ctx(SSL_CTX_new(TLS_client_method()));
  if (ctx == nullptr) return result;
  std::string client =
      absl::StrCat(node.dir(), "/pki/clients/", testing::kOperator, "/",
                   testing::kOperatorAdmin);
  if (SSL_CTX_set_min_proto_version(ctx.get(), min_version) != 1 ||
      SSL_CTX_set_max_proto_version(ctx.get(), max_version) != 1 ||
      SSL_CTX_use_certificate_chain_file(ctx.get(),
                                         (client + ".crt").c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx.get(), (client + ".key").c_str(),
                                  SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_load_verify_locations(
          ctx.get(), absl::StrCat(node.dir(), "/pki/ca.crt").c_str(),
          nullptr) != 1) {
    ADD_FAILURE() << "cannot set up the OpenSSL client";
    return result;
  }
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  static const unsigned char kH2[] = {2, 'h', '2'};
  SSL_CTX_set_alpn_protos(ctx.get(), kH2, sizeof(kH2));

  int fd = Connect(node.port());
  if (fd < 0) {
    ADD_FAILURE() << "cannot connect to the node";
    return result;
  }
  std::unique_ptr<SSL, SslDeleter> ssl(SSL_new(ctx.get()));
  SSL_set_fd(ssl.get(), fd);
  SSL_set_tlsext_host_name(ssl.get(), "localhost");
  SSL_set1_host(ssl.get(), "localhost");
  if (SSL_connect(ssl.get()) == 1) {
    result.completed = true;
    result.version = SSL_version(ssl.get());
    const unsigned char* alpn = nullptr;
    unsigned int alpn_length = 0;
    SSL_get0_alpn_selected(ssl.get(), &alpn, &alpn_length);
    result.alpn.assign(reinterpret_cast<const char*>(alpn), alpn_length);
    SSL_shutdown(ssl.get());
  }
  ERR_clear_error();
  ssl.reset();
  close(fd);
  return result;
}

class NodeTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<TestNode>> node = TestNode::Create();
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = node->release();
    absl::Status started = node_->Start();
    ASSERT_TRUE(started.ok()) << started;
  }
  static void TearDownTestSuite() {
    delete node_;
    node_ = nullptr;
  }

  static TestNode* node_;
};

TestNode* NodeTlsTest::node_ = nullptr;

TEST_F(NodeTlsTest, AClientLimitedToTls12IsRefusedInTheHandshake) {
  ASSERT_NE(node_, nullptr);
  const size_t log_before = node_->LogText().size();
  Handshake tls12 = HandshakeWith(*node_, TLS1_2_VERSION, TLS1_2_VERSION);
  EXPECT_FALSE(tls12.completed) << "negotiated version " << tls12.version;
  // Refused for its version, not for its certificate: the node says so (in
  // a log line it may write just after the client saw the connection end).
  absl::Time give_up = absl::Now() + absl::Seconds(5);
  std::string new_lines;
  while (absl::Now() < give_up) {
    new_lines = node_->LogText().substr(log_before);
    if (absl::StrContains(new_lines, "unsupported protocol")) break;
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_THAT(new_lines, HasSubstr("unsupported protocol"));
}

TEST_F(NodeTlsTest, AClientOfferingTls10To12IsRefusedInTheHandshake) {
  ASSERT_NE(node_, nullptr);
  Handshake old = HandshakeWith(*node_, TLS1_VERSION, TLS1_2_VERSION);
  EXPECT_FALSE(old.completed) << "negotiated version " << old.version;
}

TEST_F(NodeTlsTest, TheSameClientWithTls13GetsThrough) {
  ASSERT_NE(node_, nullptr);
  Handshake tls13 = HandshakeWith(*node_, TLS1_3_VERSION, TLS1_3_VERSION);
  ASSERT_TRUE(tls13.completed);
  EXPECT_EQ(tls13.version, TLS1_3_VERSION);
  EXPECT_EQ(tls13.alpn, "h2");
}

TEST_F(NodeTlsTest, AClientOfferingTls12And13GetsTls13) {
  ASSERT_NE(node_, nullptr);
  Handshake both = HandshakeWith(*node_, TLS1_2_VERSION, TLS1_3_VERSION);
  ASSERT_TRUE(both.completed);
  EXPECT_EQ(both.version, TLS1_3_VERSION);
}

TEST_F(NodeTlsTest, GrpcClientsStillWorkAndTheNodeLogsItsPolicy) {
  ASSERT_NE(node_, nullptr);
  auto stub = grpc::health::v1::Health::NewStub(
      node_->Channel(testing::kOperator, testing::kOperatorAdmin));
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status s = stub->Check(TestNode::Context().get(), request, &response);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  EXPECT_THAT(
      node_->LogText(),
      HasSubstr("\"event\":\"tls_policy\",\"min_version\":\"TLSv1.3\""));
}

}  // namespace
}  // namespace resguardo
