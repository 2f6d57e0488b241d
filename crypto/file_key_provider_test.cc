#include "crypto/file_key_provider.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "base/testing/status_matchers.h"
#include "crypto/hkdf.h"
#include "crypto/key_provider.h"
#include "crypto/secret_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::crypto {
namespace {

using ::resguardo::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using Mode = FileKeyProvider::Mode;

constexpr char kKeyBytes[] = "0123456789abcdef0123456789ABCDEF";  // 32 bytes

class FileKeyProviderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "resguardo-keyXXXXXX")
            .string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  void WriteFile(const std::string& path, const std::string& bytes,
                 mode_t mode) {
    std::ofstream(path, std::ios::binary) << bytes;
    ASSERT_EQ(chmod(path.c_str(), mode), 0);
  }

  std::string dir_;
};

TEST_F(FileKeyProviderTest, AcceptsMode0600) {
  const std::string path = Path("master.key");
  WriteFile(path, kKeyBytes, 0600);
  ASSERT_OK_AND_ASSIGN(auto provider,
                       FileKeyProvider::New(path, Mode::kMustExist));
  EXPECT_EQ(provider->path(), path);
  ASSERT_OK_AND_ASSIGN(SecretData key,
                       provider->DeriveKey(KeyPurpose::kDatabase));
  EXPECT_EQ(key.size(), 32u);
}

TEST_F(FileKeyProviderTest, AcceptsMode0400) {
  const std::string path = Path("master.key");
  WriteFile(path, kKeyBytes, 0400);
  EXPECT_OK(FileKeyProvider::New(path, Mode::kMustExist).status());
}

TEST_F(FileKeyProviderTest, RefusesFileReadableByOthers) {
  const std::string path = Path("master.key");
  WriteFile(path, kKeyBytes, 0644);
  EXPECT_THAT(FileKeyProvider::New(path, Mode::kMustExist),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr(path), HasSubstr("mode 0644"),
                             HasSubstr("chmod 600"))));
}

TEST_F(FileKeyProviderTest, RefusesEveryGroupOrOtherPermissionBit) {
  const std::string path = Path("master.key");
  for (mode_t extra : {0040, 0020, 0010, 0004, 0002, 0001}) {
    WriteFile(path, kKeyBytes, 0600 | extra);
    EXPECT_THAT(FileKeyProvider::New(path, Mode::kMustExist),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         HasSubstr("lets group or others access it")))
        << std::oct << extra;
  }
}

TEST_F(FileKeyProviderTest, CreateIfMissingAlsoRefusesLooseExistingFile) {
  const std::string path = Path("master.key");
  WriteFile(path, kKeyBytes, 0640);
  EXPECT_THAT(
      FileKeyProvider::New(path, Mode::kCreateIfMissing),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("mode 0640")));
}

TEST_F(FileKeyProviderTest, RefusesWrongSize) {
  const std::string path = Path("master.key");
  for (const std::string& bytes :
       {std::string(), std::string(31, 'k'), std::string(33, 'k'),
        std::string(64, 'k')}) {
    WriteFile(path, bytes, 0600);
    EXPECT_THAT(FileKeyProvider::New(path, Mode::kMustExist),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         AllOf(HasSubstr(path),
                               HasSubstr("must hold exactly 32 bytes"))))
        << bytes.size();
  }
}

TEST_F(FileKeyProviderTest, RefusesSymbolicLink) {
  const std::string target = Path("real.key");
  const std::string link = Path("link.key");
  WriteFile(target, kKeyBytes, 0600);
  ASSERT_EQ(symlink(target.c_str(), link.c_str()), 0);
  EXPECT_THAT(FileKeyProvider::New(link, Mode::kMustExist),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr(link), HasSubstr("symbolic link"))));
  EXPECT_THAT(FileKeyProvider::New(link, Mode::kCreateIfMissing),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("symbolic link")));
}

// Each file shape the checks refuse (issue 13, item 6), with the message
// that names the problem; each was accepted before.
TEST_F(FileKeyProviderTest, RefusesSetuidSetgidStickyAndExecuteBits) {
  const std::string path = Path("master.key");
  for (mode_t mode : {04600, 02600, 01600, 0700, 0500}) {
    WriteFile(path, kKeyBytes, mode);
    EXPECT_THAT(
        FileKeyProvider::New(path, Mode::kMustExist),
        StatusIs(absl::StatusCode::kFailedPrecondition,
                 AllOf(HasSubstr(path), HasSubstr("bits beyond read and write"),
                       HasSubstr("chmod 600"))))
        << std::oct << mode;
  }
}

TEST_F(FileKeyProviderTest, RefusesHardLinkedFile) {
  const std::string path = Path("master.key");
  WriteFile(path, kKeyBytes, 0600);
  const std::string second = Path("copy.key");
  ASSERT_EQ(link(path.c_str(), second.c_str()), 0);
  for (const std::string& p : {path, second}) {
    EXPECT_THAT(FileKeyProvider::New(p, Mode::kMustExist),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         AllOf(HasSubstr(p), HasSubstr("has 2 hard links"))));
  }
  ASSERT_EQ(unlink(second.c_str()), 0);
  EXPECT_OK(FileKeyProvider::New(path, Mode::kMustExist).status());
}

TEST_F(FileKeyProviderTest, RefusesPathThroughSymlinkedFolder) {
  ASSERT_EQ(mkdir(Path("real").c_str(), 0700), 0);
  WriteFile(Path("real/master.key"), kKeyBytes, 0600);
  ASSERT_EQ(symlink(Path("real").c_str(), Path("keys").c_str()), 0);
  const std::string path = Path("keys/master.key");
  for (Mode mode : {Mode::kMustExist, Mode::kCreateIfMissing}) {
    EXPECT_THAT(FileKeyProvider::New(path, mode),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         AllOf(HasSubstr(Path("keys")),
                               HasSubstr("is a symbolic link"))));
  }
  EXPECT_OK(
      FileKeyProvider::New(Path("real/master.key"), Mode::kMustExist).status());
}

TEST_F(FileKeyProviderTest, RefusesFolderWritableByGroupOrOthers) {
  const std::string folder = Path("keys");
  ASSERT_EQ(mkdir(folder.c_str(), 0700), 0);
  const std::string path = folder + "/master.key";
  WriteFile(path, kKeyBytes, 0600);
  // 01777 is /tmp's mode: the sticky bit stops others deleting the file,
  // not creating the key before the node does.
  for (mode_t mode : {0777, 01777, 0770, 0702, 0720}) {
    ASSERT_EQ(chmod(folder.c_str(), mode), 0);
    EXPECT_THAT(
        FileKeyProvider::New(path, Mode::kMustExist),
        StatusIs(absl::StatusCode::kFailedPrecondition,
                 AllOf(HasSubstr(folder), HasSubstr("writable by group or "
                                                    "others"))))
        << std::oct << mode;
  }
  EXPECT_THAT(FileKeyProvider::New(folder + "/new.key", Mode::kCreateIfMissing),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("writable by group or others")));
  EXPECT_FALSE(std::filesystem::exists(folder + "/new.key"));
  // Readable and searchable by others is fine (0755, 0750).
  for (mode_t mode : {0755, 0750}) {
    ASSERT_EQ(chmod(folder.c_str(), mode), 0);
    EXPECT_OK(FileKeyProvider::New(path, Mode::kMustExist).status());
  }
}

// Ownership: the test runs as root (as CI does) to give files away.
class FileKeyProviderOwnerTest : public FileKeyProviderTest {
 protected:
  static constexpr uid_t kNodeUser = 65534;   // nobody
  static constexpr uid_t kOtherUser = 65533;  // another account

  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to chown";
    FileKeyProviderTest::SetUp();
  }
};

TEST_F(FileKeyProviderOwnerTest, RefusesFileOfAnotherUser) {
  const std::string path = Path("master.key");
  WriteFile(path, kKeyBytes, 0600);
  ASSERT_EQ(chown(path.c_str(), kNodeUser, kNodeUser), 0);
  EXPECT_THAT(FileKeyProvider::New(path, Mode::kMustExist),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr(path), HasSubstr("owned by uid 65534"),
                             HasSubstr("not by the user the node runs as "
                                       "(uid 0)"))));
  // An offline command of root's does not take it either: the folder is
  // root's, so nothing says uid 65534 is the node's user.
  EXPECT_THAT(FileKeyProvider::New(
                  path, Mode::kMustExist,
                  FileKeyProvider::Owner::kThisProcessOrFolderOwnerForRoot),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("owned by uid 65534")));
}

TEST_F(FileKeyProviderOwnerTest, RootsOfflineCommandReadsTheNodeUsersKey) {
  const std::string folder = Path("keys");
  ASSERT_EQ(mkdir(folder.c_str(), 0700), 0);
  const std::string path = folder + "/master.key";
  WriteFile(path, kKeyBytes, 0600);
  ASSERT_EQ(chown(folder.c_str(), kNodeUser, kNodeUser), 0);
  ASSERT_EQ(chown(path.c_str(), kNodeUser, kNodeUser), 0);
  EXPECT_OK(FileKeyProvider::New(
                path, Mode::kMustExist,
                FileKeyProvider::Owner::kThisProcessOrFolderOwnerForRoot)
                .status());
  // The node serving as root does not.
  EXPECT_THAT(FileKeyProvider::New(path, Mode::kMustExist),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("owned by uid 65534")));
  // A file of another user in the node user's folder: refused.
  ASSERT_EQ(chown(path.c_str(), kOtherUser, kOtherUser), 0);
  EXPECT_THAT(FileKeyProvider::New(
                  path, Mode::kMustExist,
                  FileKeyProvider::Owner::kThisProcessOrFolderOwnerForRoot),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("owned by uid 65533")));
}

TEST_F(FileKeyProviderOwnerTest, RefusesFolderOfAnotherUser) {
  const std::string folder = Path("keys");
  ASSERT_EQ(mkdir(folder.c_str(), 0700), 0);
  const std::string path = folder + "/master.key";
  WriteFile(path, kKeyBytes, 0600);
  ASSERT_EQ(chown(folder.c_str(), kNodeUser, kNodeUser), 0);
  EXPECT_THAT(FileKeyProvider::New(path, Mode::kMustExist),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr(folder), HasSubstr("owned by uid 65534"),
                             HasSubstr("neither the node's user"))));
}

TEST_F(FileKeyProviderTest, RefusesDirectory) {
  const std::string path = Path("dir.key");
  ASSERT_EQ(mkdir(path.c_str(), 0700), 0);
  EXPECT_THAT(
      FileKeyProvider::New(path, Mode::kMustExist),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               AllOf(HasSubstr(path), HasSubstr("not a regular file"))));
}

TEST_F(FileKeyProviderTest, RefusesFifoWithoutBlocking) {
  const std::string path = Path("fifo.key");
  ASSERT_EQ(mkfifo(path.c_str(), 0600), 0);
  EXPECT_THAT(FileKeyProvider::New(path, Mode::kMustExist),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("not a regular file")));
}

TEST_F(FileKeyProviderTest, MissingFileIsNotFound) {
  const std::string path = Path("absent.key");
  EXPECT_THAT(FileKeyProvider::New(path, Mode::kMustExist),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(path)));
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST_F(FileKeyProviderTest, RefusesEmptyPath) {
  EXPECT_THAT(FileKeyProvider::New("", Mode::kMustExist),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty")));
}

TEST_F(FileKeyProviderTest, CreateIfMissingWrites32ByteFileWithMode0600) {
  const std::string path = Path("new.key");
  ASSERT_OK_AND_ASSIGN(auto first,
                       FileKeyProvider::New(path, Mode::kCreateIfMissing));
  struct stat st;
  ASSERT_EQ(lstat(path.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_EQ(st.st_size, 32);

  // A second open (either mode) reads the same master key.
  ASSERT_OK_AND_ASSIGN(auto second,
                       FileKeyProvider::New(path, Mode::kMustExist));
  ASSERT_OK_AND_ASSIGN(auto third,
                       FileKeyProvider::New(path, Mode::kCreateIfMissing));
  for (KeyPurpose purpose :
       {KeyPurpose::kDatabase, KeyPurpose::kKekWrapping, KeyPurpose::kPseudonym,
        KeyPurpose::kAuditSigning}) {
    ASSERT_OK_AND_ASSIGN(SecretData a, first->DeriveKey(purpose));
    ASSERT_OK_AND_ASSIGN(SecretData b, second->DeriveKey(purpose));
    ASSERT_OK_AND_ASSIGN(SecretData c, third->DeriveKey(purpose));
    EXPECT_TRUE(a.Equals(b)) << KeyPurposeLabel(purpose);
    EXPECT_TRUE(a.Equals(c)) << KeyPurposeLabel(purpose);
  }
}

TEST_F(FileKeyProviderTest, CreateIfMissingFailsWhenDirectoryIsMissing) {
  const std::string path = Path("no/such/dir/new.key");
  EXPECT_THAT(FileKeyProvider::New(path, Mode::kCreateIfMissing),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(path)));
}

TEST_F(FileKeyProviderTest, TwoCreatedFilesHoldDifferentKeys) {
  ASSERT_OK_AND_ASSIGN(
      auto a, FileKeyProvider::New(Path("a.key"), Mode::kCreateIfMissing));
  ASSERT_OK_AND_ASSIGN(
      auto b, FileKeyProvider::New(Path("b.key"), Mode::kCreateIfMissing));
  ASSERT_OK_AND_ASSIGN(SecretData ka, a->DeriveKey(KeyPurpose::kDatabase));
  ASSERT_OK_AND_ASSIGN(SecretData kb, b->DeriveKey(KeyPurpose::kDatabase));
  EXPECT_FALSE(ka.Equals(kb));
}

TEST_F(FileKeyProviderTest, PurposesAndGenerationsDeriveDistinctKeys) {
  const std::string path = Path("master.key");
  WriteFile(path, kKeyBytes, 0600);
  ASSERT_OK_AND_ASSIGN(auto provider,
                       FileKeyProvider::New(path, Mode::kMustExist));
  std::set<std::string> keys;
  int derived = 0;
  for (KeyPurpose purpose :
       {KeyPurpose::kDatabase, KeyPurpose::kKekWrapping, KeyPurpose::kPseudonym,
        KeyPurpose::kAuditSigning}) {
    for (uint32_t generation : {1u, 2u, 3u, 0x01000000u}) {
      ASSERT_OK_AND_ASSIGN(SecretData key,
                           provider->DeriveKey(purpose, generation));
      EXPECT_EQ(key.size(), 32u);
      keys.insert(std::string(key.UnsafeRawBytes()));
      ++derived;
    }
  }
  EXPECT_EQ(keys.size(), static_cast<size_t>(derived));
  // Neither the master key nor a derived key equals the file's bytes.
  EXPECT_EQ(keys.count(kKeyBytes), 0u);
  // The default generation is 1.
  ASSERT_OK_AND_ASSIGN(SecretData d1,
                       provider->DeriveKey(KeyPurpose::kPseudonym));
  ASSERT_OK_AND_ASSIGN(SecretData d1b,
                       provider->DeriveKey(KeyPurpose::kPseudonym, 1));
  EXPECT_TRUE(d1.Equals(d1b));
}

TEST_F(FileKeyProviderTest, RefusesGenerationZero) {
  const std::string path = Path("master.key");
  WriteFile(path, kKeyBytes, 0600);
  ASSERT_OK_AND_ASSIGN(auto provider,
                       FileKeyProvider::New(path, Mode::kMustExist));
  EXPECT_THAT(provider->DeriveKey(KeyPurpose::kDatabase, 0),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("generations start at 1")));
}

// Pins the documented derivation, so that a change of labels (which would
// make every existing database and KEK unreadable) cannot pass unnoticed.
TEST_F(FileKeyProviderTest, DerivationMatchesDocumentedHkdfLabels) {
  const std::string path = Path("master.key");
  WriteFile(path, kKeyBytes, 0600);
  ASSERT_OK_AND_ASSIGN(auto provider,
                       FileKeyProvider::New(path, Mode::kMustExist));
  ASSERT_OK_AND_ASSIGN(SecretData derived,
                       provider->DeriveKey(KeyPurpose::kKekWrapping, 2));
  ASSERT_OK_AND_ASSIGN(
      SecretData expected,
      HkdfSha256(
          SecretData(kKeyBytes), "resguardo.master-key.v1",
          std::string("resguardo.purpose-key.v1\0kek-wrapping\0\0\0\0\x02",
                      24 + 1 + 12 + 1 + 4),
          32));
  EXPECT_TRUE(derived.Equals(expected));
}

TEST(DeriveKeyFromMasterTest, RefusesMasterKeyOfWrongSize) {
  EXPECT_THAT(DeriveKeyFromMaster(SecretData(std::string(16, 'k')),
                                  KeyPurpose::kDatabase, 1),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("master key must be 32 bytes, got 16")));
}

}  // namespace
}  // namespace resguardo::crypto
