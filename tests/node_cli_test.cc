// resguardod's command line: init, serve, configuration errors, exit codes.
#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_node.h"

namespace resguardo {
namespace {

using ::resguardo::testing::TestNode;
using ::testing::HasSubstr;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  return text;
}

TEST(NodeCliTest, VersionAndHelpExitZeroAndUnknownCommandTwo) {
  std::string out;
  EXPECT_EQ(*TestNode::Run({TestNode::Binary(), "--version"}, &out), 0);
  EXPECT_THAT(out, HasSubstr("gRPC"));
  EXPECT_EQ(*TestNode::Run({TestNode::Binary(), "--help"}, &out), 0);
  EXPECT_THAT(out, HasSubstr("serve --config"));
  EXPECT_THAT(out, HasSubstr("atiende"));
  EXPECT_EQ(*TestNode::Run({TestNode::Binary(), "frobnicate"}, &out), 2);
  EXPECT_EQ(*TestNode::Run({TestNode::Binary(), "serve"}, &out), 2);
  EXPECT_THAT(out, HasSubstr("--config"));
}

TEST(NodeCliTest, InitIsIdempotentAndServeStopsCleanly) {
  absl::StatusOr<std::unique_ptr<TestNode>> node = TestNode::Create();
  ASSERT_TRUE(node.ok()) << node.status();
  std::string out;
  EXPECT_EQ(*TestNode::Run(
                {TestNode::Binary(), "init", "--config", (*node)->ConfigPath()},
                &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("existente / existing"));
  ASSERT_TRUE((*node)->Start().ok());
  absl::StatusOr<int> code = (*node)->Stop();
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(*code, 0);
}

TEST(NodeCliTest, UnknownFieldStopsStartUpNamingFieldAndLine) {
  absl::StatusOr<std::unique_ptr<TestNode>> node = TestNode::Create();
  ASSERT_TRUE(node.ok()) << node.status();
  std::string config = ReadFile((*node)->ConfigPath());
  std::string bad = absl::StrCat((*node)->dir(), "/bad.textproto");
  std::ofstream(bad) << absl::StrReplaceAll(config,
                                            {{"data_dir:", "data_folder:"}});
  std::string out;
  EXPECT_EQ(
      *TestNode::Run({TestNode::Binary(), "serve", "--config", bad}, &out), 3);
  EXPECT_THAT(out, HasSubstr("data_folder"));
  EXPECT_THAT(out, HasSubstr(absl::StrCat(bad, ":8:")));
}

TEST(NodeCliTest, BadValueStopsStartUpNamingTheField) {
  absl::StatusOr<std::unique_ptr<TestNode>> node = TestNode::Create();
  ASSERT_TRUE(node.ok()) << node.status();
  std::string config = ReadFile((*node)->ConfigPath());
  std::string bad = absl::StrCat((*node)->dir(), "/bad.textproto");
  std::ofstream(bad) << absl::StrReplaceAll(
      config, {{"shutdown_grace_seconds: 10", "shutdown_grace_seconds: 9999"}});
  std::string out;
  EXPECT_EQ(
      *TestNode::Run({TestNode::Binary(), "serve", "--config", bad}, &out), 3);
  EXPECT_THAT(out, HasSubstr("limits.shutdown_grace_seconds"));
}

TEST(NodeCliTest, ServeWithoutInitSaysToRunInit) {
  absl::StatusOr<std::unique_ptr<TestNode>> node = TestNode::Create();
  ASSERT_TRUE(node.ok()) << node.status();
  std::string config = ReadFile((*node)->ConfigPath());
  std::string other = absl::StrCat((*node)->dir(), "/other.textproto");
  std::ofstream(other) << absl::StrReplaceAll(
      config, {{"data_dir: \"data\"", "data_dir: \"empty\""}});
  std::string out;
  EXPECT_EQ(
      *TestNode::Run({TestNode::Binary(), "serve", "--config", other}, &out),
      1);
  EXPECT_THAT(out, HasSubstr("resguardod init"));
}

TEST(NodeCliTest, ServeRefusesAKeyMatchingNoCertificate) {
  absl::StatusOr<std::unique_ptr<TestNode>> node = TestNode::Create();
  ASSERT_TRUE(node.ok()) << node.status();
  std::string config = ReadFile((*node)->ConfigPath());
  std::string other = absl::StrCat((*node)->dir(), "/other.textproto");
  std::ofstream(other) << absl::StrReplaceAll(
      config, {{"pki/server.key", "pki/clients/IEEPCO/admin.key"}});
  std::string out;
  EXPECT_EQ(
      *TestNode::Run({TestNode::Binary(), "serve", "--config", other}, &out),
      1);
  EXPECT_THAT(out, HasSubstr("tls.server_key_file"));
  EXPECT_THAT(out, Not(HasSubstr("PRIVATE KEY")));
}

TEST(NodeCliTest, ServeRefusesATlsKeyOpenToTheGroup) {
  absl::StatusOr<std::unique_ptr<TestNode>> node = TestNode::Create();
  ASSERT_TRUE(node.ok()) << node.status();
  const std::string key = absl::StrCat((*node)->dir(), "/pki/server.key");
  ASSERT_EQ(chmod(key.c_str(), 0640), 0);
  std::string out;
  EXPECT_EQ(*TestNode::Run({TestNode::Binary(), "serve", "--config",
                            (*node)->ConfigPath()},
                           &out),
            1);
  EXPECT_THAT(out, HasSubstr("tls.server_key_file"));
  EXPECT_THAT(out, HasSubstr("open to group or others"));
  // Once private again, the node starts.
  ASSERT_EQ(chmod(key.c_str(), 0600), 0);
  EXPECT_TRUE((*node)->Start().ok());
}

TEST(NodeCliTest, SecondNodeOnTheSamePortFailsToStart) {
  absl::StatusOr<std::unique_ptr<TestNode>> node = TestNode::Create();
  ASSERT_TRUE(node.ok()) << node.status();
  ASSERT_TRUE((*node)->Start().ok());
  std::string out;
  // On the same data folder: refused by the node's lock.
  EXPECT_EQ(*TestNode::Run({TestNode::Binary(), "serve", "--config",
                            (*node)->ConfigPath()},
                           &out),
            1);
  EXPECT_THAT(out, HasSubstr("the node is running"));
  // On another data folder, the same port: refused naming the address.
  std::string config = ReadFile((*node)->ConfigPath());
  std::string other = absl::StrCat((*node)->dir(), "/other.textproto");
  std::ofstream(other) << absl::StrReplaceAll(
      config, {{"data_dir: \"data\"", "data_dir: \"data2\""}});
  ASSERT_EQ(
      *TestNode::Run({TestNode::Binary(), "init", "--config", other}, &out), 0)
      << out;
  EXPECT_EQ(
      *TestNode::Run({TestNode::Binary(), "serve", "--config", other}, &out),
      1);
  EXPECT_THAT(out, HasSubstr("listen_address"));
  EXPECT_EQ(*(*node)->Stop(), 0);
}

}  // namespace
}  // namespace resguardo
