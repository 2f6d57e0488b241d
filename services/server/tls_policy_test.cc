// The TLS 1.3 floor: installed on top of a system configuration, it keeps
// that configuration's settings, survives gRPC's own min-version call, and
// refuses a system configuration it cannot carry over or that rules out
// TLS 1.3. (That a real node refuses a TLS 1.2 handshake is
// tests/node_tls_test.cc.)
//
// The policy is process-wide, so this is a test binary of its own.
#include "services/server/tls_policy.h"

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "base/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "openssl/ssl.h"
#include "services/store/testing/temp_dir.h"

namespace resguardo::server {
namespace {

using ::resguardo::testing::IsOk;
using ::resguardo::testing::StatusIs;
using ::testing::HasSubstr;

struct SslCtxDeleter {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxDeleter>;

constexpr uint64_t kNoBelowTls13 =
    SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1 | SSL_OP_NO_TLSv1_2;

class TlsPolicyTest : public ::testing::Test {
 protected:
  // Writes a system configuration whose ssl_conf system_default section
  // holds `commands`, preceded by `preamble`.
  std::string SystemConfig(const std::string& commands,
                           const std::string& preamble = "") {
    std::string path = dir_.File("openssl.cnf");
    std::ofstream(path) << preamble
                        << "openssl_conf = openssl_init\n"
                           "[openssl_init]\n"
                           "ssl_conf = ssl_sect\n"
                           "[ssl_sect]\n"
                           "system_default = system_default_sect\n"
                           "[system_default_sect]\n"
                        << commands;
    return path;
  }

  static SslCtxPtr NewContext() { return SslCtxPtr(SSL_CTX_new(TLS_method())); }

  static void ExpectFloor(SSL_CTX* ctx) {
    EXPECT_EQ(SSL_CTX_get_min_proto_version(ctx), TLS1_3_VERSION);
    EXPECT_EQ(SSL_CTX_get_options(ctx) & kNoBelowTls13, kNoBelowTls13);
    EXPECT_EQ(SSL_CTX_get_options(ctx) & SSL_OP_NO_TLSv1_3, 0u);
    // What gRPC 1.51 does to its contexts leaves the lower versions off.
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    EXPECT_EQ(SSL_CTX_get_options(ctx) & kNoBelowTls13, kNoBelowTls13);
  }

  store::testing::TempDir dir_;
};

TEST_F(TlsPolicyTest, WithoutTheFloorAProcessAcceptsTls12) {
  // A fresh process (the death-test child re-executes this binary) has not
  // installed the floor.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(std::exit(CheckTls13Only().ok() ? 0 : 7),
              ::testing::ExitedWithCode(7), "");
}

TEST_F(TlsPolicyTest, KeepsTheSystemSettingsAndAddsTheFloor) {
  std::string path = SystemConfig("CipherString = DEFAULT:@SECLEVEL=3\n");
  absl::StatusOr<TlsPolicyReport> report = InstallTls13Only(path);
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->system_config_file, path);
  EXPECT_TRUE(report->system_section_kept);
  EXPECT_THAT(CheckTls13Only(), IsOk());
  SslCtxPtr ctx = NewContext();
  ASSERT_NE(ctx, nullptr);
  EXPECT_EQ(SSL_CTX_get_security_level(ctx.get()), 3);
  ExpectFloor(ctx.get());
}

TEST_F(TlsPolicyTest, VariablesOfTheSystemFileAreCarriedOverExpanded) {
  std::string path =
      SystemConfig("CipherString = DEFAULT:@SECLEVEL=$level\n", "level = 4\n");
  ASSERT_THAT(InstallTls13Only(path), IsOk());
  SslCtxPtr ctx = NewContext();
  ASSERT_NE(ctx, nullptr);
  EXPECT_EQ(SSL_CTX_get_security_level(ctx.get()), 4);
  ExpectFloor(ctx.get());
}

TEST_F(TlsPolicyTest, ASystemMinimumOfTls12DoesNotLowerTheFloor) {
  std::string path = SystemConfig(
      "MinProtocol = TLSv1.2\n"
      "Protocol = ALL\n");
  ASSERT_THAT(InstallTls13Only(path), IsOk());
  SslCtxPtr ctx = NewContext();
  ASSERT_NE(ctx, nullptr);
  ExpectFloor(ctx.get());
}

TEST_F(TlsPolicyTest, AMissingSystemFileMeansOpenSslsDefaults) {
  absl::StatusOr<TlsPolicyReport> report =
      InstallTls13Only(dir_.File("no-such.cnf"));
  ASSERT_THAT(report, IsOk());
  EXPECT_FALSE(report->system_section_kept);
  SslCtxPtr ctx = NewContext();
  ASSERT_NE(ctx, nullptr);
  ExpectFloor(ctx.get());
}

TEST_F(TlsPolicyTest, OtherSystemSslSectionsAreKept) {
  std::string path = dir_.File("openssl.cnf");
  std::ofstream(path) << "openssl_conf = openssl_init\n"
                         "[openssl_init]\n"
                         "ssl_conf = ssl_sect\n"
                         "[ssl_sect]\n"
                         "legacy_app = legacy_sect\n"
                         "[legacy_sect]\n"
                         "CipherString = DEFAULT:@SECLEVEL=5\n";
  absl::StatusOr<TlsPolicyReport> report = InstallTls13Only(path);
  ASSERT_THAT(report, IsOk());
  EXPECT_FALSE(report->system_section_kept);
  SslCtxPtr ctx = NewContext();
  ASSERT_NE(ctx, nullptr);
  ExpectFloor(ctx.get());
  ASSERT_EQ(SSL_CTX_config(ctx.get(), "legacy_app"), 1);
  EXPECT_EQ(SSL_CTX_get_security_level(ctx.get()), 5);
}

TEST_F(TlsPolicyTest, ASystemCapBelowTls13IsRefused) {
  EXPECT_THAT(InstallTls13Only(SystemConfig("MaxProtocol = TLSv1.2\n")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("cap the protocol below TLS 1.3")));
}

TEST_F(TlsPolicyTest, ASystemThatDisablesTls13IsRefused) {
  EXPECT_THAT(InstallTls13Only(SystemConfig("Protocol = -TLSv1.3\n")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("disable TLS 1.3")));
}

TEST_F(TlsPolicyTest, AnEmptySystemSectionIsRefused) {
  std::string path = dir_.File("openssl.cnf");
  std::ofstream(path) << "openssl_conf = openssl_init\n"
                         "[openssl_init]\n"
                         "ssl_conf = ssl_sect\n"
                         "[ssl_sect]\n"
                         "system_default = nowhere\n";
  EXPECT_THAT(InstallTls13Only(path),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("[nowhere] is missing or empty")));
}

TEST_F(TlsPolicyTest, AFileThatDoesNotParseIsRefused) {
  std::string path = dir_.File("openssl.cnf");
  std::ofstream(path) << "[unterminated\n";
  EXPECT_THAT(InstallTls13Only(path),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("does not parse (line 1)")));
}

}  // namespace
}  // namespace resguardo::server
