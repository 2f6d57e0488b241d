#include "crypto/key_set.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/testing/status_matchers.h"
#include "crypto/file_key_provider.h"
#include "crypto/key_provider.h"
#include "crypto/key_set_file.h"
#include "crypto/key_set_provider.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::crypto {
namespace {

using ::resguardo::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Mode = FileKeyProvider::Mode;

class KeySetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "resguardo-keysetXXXXXX")
            .string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    chmod(dir_.c_str(), 0700);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<FileKeyProvider> NewMaster(const std::string& name) {
    auto master =
        FileKeyProvider::New(dir_ + "/" + name, Mode::kCreateIfMissing);
    EXPECT_TRUE(master.ok()) << master.status();
    return *std::move(master);
  }

  static KeySet TwoKeys() {
    KeySet set;
    set.Put("database", 1, SecretData(std::string(32, 'd')));
    set.Put("audit-signing", 2, SecretData(std::string(32, 'a')));
    return set;
  }

  std::string dir_;
};

TEST_F(KeySetTest, OpensUnderItsMasterOnly) {
  auto one = NewMaster("one.key");
  auto two = NewMaster("two.key");
  EXPECT_EQ(one->key_id().size(), 16u);
  EXPECT_NE(one->key_id(), two->key_id());
  ASSERT_OK_AND_ASSIGN(std::string file, TwoKeys().Seal({one.get()}));
  EXPECT_EQ(file.find(std::string(32, 'd')), std::string::npos);
  ASSERT_OK_AND_ASSIGN(KeySet opened, KeySet::Open(file, *one));
  ASSERT_NE(opened.Find("database", 1), nullptr);
  EXPECT_EQ(opened.Find("database", 1)->UnsafeRawBytes(), std::string(32, 'd'));
  EXPECT_EQ(opened.Find("database", 2), nullptr);
  EXPECT_THAT(
      KeySet::Open(file, *two),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               AllOf(HasSubstr(one->key_id()), HasSubstr(two->key_id()))));
}

TEST_F(KeySetTest, TwoWrappingsOpenUnderEither) {
  auto one = NewMaster("one.key");
  auto two = NewMaster("two.key");
  ASSERT_OK_AND_ASSIGN(std::string file,
                       TwoKeys().Seal({one.get(), two.get()}));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> ids,
                       KeySet::MasterKeyIds(file));
  EXPECT_THAT(ids, ElementsAre(one->key_id(), two->key_id()));
  for (const FileKeyProvider* m : {one.get(), two.get()}) {
    ASSERT_OK_AND_ASSIGN(KeySet opened, KeySet::Open(file, *m));
    EXPECT_EQ(opened.size(), 2u);
  }
}

TEST_F(KeySetTest, FlippedByteIsDataLoss) {
  auto one = NewMaster("one.key");
  ASSERT_OK_AND_ASSIGN(std::string file, TwoKeys().Seal({one.get()}));
  file[file.size() - 20] ^= 1;
  EXPECT_THAT(KeySet::Open(file, *one), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(KeySet::Open("RGKS\x02", *one),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST_F(KeySetTest, ProviderServesOnlyWhatTheSetHolds) {
  KeySetProvider provider(TwoKeys(), "id");
  ASSERT_OK_AND_ASSIGN(SecretData key,
                       provider.DeriveKey(KeyPurpose::kAuditSigning, 2));
  EXPECT_EQ(key.UnsafeRawBytes(), std::string(32, 'a'));
  EXPECT_THAT(provider.DeriveKey(KeyPurpose::kAuditSigning, 1),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("audit-signing key of generation 1")));
}

TEST_F(KeySetTest, FileIsReplacedWhole) {
  const std::string path = dir_ + "/resguardo.keys";
  ASSERT_OK(ReplaceFileDurably(path, "first"));
  ASSERT_OK(ReplaceFileDurably(path, "second"));
  ASSERT_OK_AND_ASSIGN(std::string read, ReadKeySetFile(path));
  EXPECT_EQ(read, "second");
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  chmod(path.c_str(), 0644);
  EXPECT_THAT(ReadKeySetFile(path),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(ReadKeySetFile(dir_ + "/none"),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace resguardo::crypto
