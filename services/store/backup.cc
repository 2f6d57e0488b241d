#include "services/store/backup.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include "absl/cleanup/cleanup.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "base/status_macros.h"
#include "services/store/internal/connection.h"
#include "services/store/storage_status.h"

namespace resguardo::store {
namespace {

using internal::Connection;
using internal::ConnectionOptions;

// The first 16 bytes of every plaintext SQLite file.
constexpr char kPlaintextMagic[16] = "SQLite format 3";

absl::Status FileError(absl::string_view what, const std::string& path,
                       int err) {
  const std::string message =
      absl::StrCat("store: cannot ", what, " ", path, ": ", std::strerror(err));
  if (err == ENOSPC || err == EDQUOT || err == EIO) {
    return StorageUnavailableError(message);
  }
  if (err == ENOENT) return absl::NotFoundError(message);
  if (err == EEXIST) return absl::AlreadyExistsError(message);
  return absl::FailedPreconditionError(message);
}

std::string Folder(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

absl::Status FsyncPath(const std::string& path, bool directory) {
  const int fd = ::open(path.c_str(),
                        (directory ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
  if (fd < 0) return FileError("open", path, errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return FileError("fsync", path, err);
  return absl::OkStatus();
}

// Copies the database into `out_path`, which exists and is empty, keyed
// with `out_key` (the database's own key when null).
absl::Status Export(const std::string& db_path, const crypto::SecretData& key,
                    const std::string& out_path,
                    const crypto::SecretData* out_key) {
  ConnectionOptions options;
  options.role = ConnectionOptions::Role::kBackup;
  options.cache_size_kib = 2048;
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn,
                   Connection::Open(db_path, key, options));
  if (out_key == nullptr) {
    // ATTACH without KEY: the attached file takes the main database's key.
    ASSIGN_OR_RETURN(Statement attach,
                     conn->Prepare("ATTACH DATABASE ?1 AS backup"));
    RETURN_IF_ERROR(attach.BindText(1, out_path));
    RETURN_IF_ERROR(attach.Run());
  } else {
    // The new raw key as a bound parameter, never SQL text.
    ASSIGN_OR_RETURN(Statement attach,
                     conn->Prepare("ATTACH DATABASE ?1 AS backup KEY ?2"));
    RETURN_IF_ERROR(attach.BindText(1, out_path));
    const crypto::SecretData literal = internal::RawKeyLiteral(*out_key);
    RETURN_IF_ERROR(attach.BindText(2, literal.UnsafeRawBytes()));
    RETURN_IF_ERROR(attach.Run());
  }
  absl::Cleanup detach = [&conn] {
    conn->Exec("DETACH DATABASE backup", "detach the backup").IgnoreError();
  };
  RETURN_IF_ERROR(conn->Exec(
      absl::StrCat("PRAGMA backup.cipher_page_size = ", Connection::kPageSize),
      "set the backup's page size"));
  // One read transaction: every table as of the same commit.
  RETURN_IF_ERROR(conn->Exec("BEGIN", "begin the backup"));
  absl::Status copied =
      conn->Exec("SELECT sqlcipher_export('backup')", "copy the database");
  if (copied.ok()) {
    // The schema version and the application id travel with the copy, so
    // that a node started on it runs the right migrations and accepts it.
    ASSIGN_OR_RETURN(int64_t user_version,
                     conn->QueryInt("PRAGMA main.user_version"));
    ASSIGN_OR_RETURN(int64_t application_id,
                     conn->QueryInt("PRAGMA main.application_id"));
    copied = conn->Exec(
        absl::StrCat("PRAGMA backup.user_version = ", user_version,
                     "; PRAGMA backup.application_id = ", application_id),
        "stamp the backup");
  }
  if (!copied.ok()) {
    conn->Exec("ROLLBACK", "roll back the backup").IgnoreError();
    return copied;
  }
  return conn->Exec("COMMIT", "commit the backup");
}

}  // namespace

absl::StatusOr<BackupFile> DescribeFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return FileError("open", path, errno);
  absl::Cleanup close_fd = [fd] { ::close(fd); };
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                              &EVP_MD_CTX_free);
  if (ctx == nullptr ||
      EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    return absl::InternalError("store: cannot start SHA-256");
  }
  BackupFile file;
  file.path = path;
  char buffer[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return FileError("read", path, errno);
    }
    if (n == 0) break;
    file.bytes += static_cast<uint64_t>(n);
    if (EVP_DigestUpdate(ctx.get(), buffer, static_cast<size_t>(n)) != 1) {
      return absl::InternalError("store: SHA-256 failed");
    }
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest, &length) != 1) {
    return absl::InternalError("store: SHA-256 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned int i = 0; i < length; ++i) {
    file.sha256_hex.push_back(kHex[digest[i] >> 4]);
    file.sha256_hex.push_back(kHex[digest[i] & 0x0f]);
  }
  return file;
}

absl::Status CheckBackupFile(const std::string& path,
                             const crypto::SecretData& key) {
  {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return FileError("open", path, errno);
    char header[sizeof kPlaintextMagic] = {};
    const ssize_t n = ::read(fd, header, sizeof header);
    struct stat st;
    const bool sized = ::fstat(fd, &st) == 0;
    ::close(fd);
    if (n == static_cast<ssize_t>(sizeof header) &&
        std::memcmp(header, kPlaintextMagic, sizeof header) == 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("store: ", path,
                       " is a PLAINTEXT SQLite file, not an encrypted "
                       "backup: destroy it"));
    }
    if (!sized || st.st_size < Connection::kPageSize) {
      return absl::FailedPreconditionError(
          absl::StrCat("store: ", path, " is too short to be a backup"));
    }
  }
  ConnectionOptions options;
  options.role = ConnectionOptions::Role::kBackup;
  options.open_read_only = true;
  options.cache_size_kib = 2048;
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn,
                   Connection::Open(path, key, options));
  ASSIGN_OR_RETURN(std::string verdict,
                   conn->QueryText("PRAGMA integrity_check(1)"));
  if (verdict != "ok") {
    return absl::DataLossError(
        absl::StrCat("store: ", path, " fails its integrity check: ", verdict));
  }
  return absl::OkStatus();
}

namespace {

// WriteBackup and WriteRekeyedCopy: the copy is keyed with `out_key`.
absl::StatusOr<BackupFile> WriteCopy(const std::string& db_path,
                                     const crypto::SecretData& key,
                                     const crypto::SecretData& out_key,
                                     const std::string& out_path) {
  struct stat st;
  if (::stat(db_path.c_str(), &st) != 0) {
    return FileError("find the database", db_path, errno);
  }
  {
    const int fd =
        ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return FileError("create", out_path, errno);
    ::close(fd);
  }
  bool keep = false;
  absl::Cleanup remove_on_failure = [&] {
    if (!keep) {
      ::unlink(out_path.c_str());
      ::unlink((out_path + "-journal").c_str());
    }
  };
  RETURN_IF_ERROR(
      Export(db_path, key, out_path, &key == &out_key ? nullptr : &out_key));
  RETURN_IF_ERROR(FsyncPath(out_path, /*directory=*/false));
  RETURN_IF_ERROR(FsyncPath(Folder(out_path), /*directory=*/true));
  absl::Status checked = CheckBackupFile(out_path, out_key);
  if (!checked.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("store: the backup failed its check and was removed: ",
                     checked.message()));
  }
  ASSIGN_OR_RETURN(BackupFile file, DescribeFile(out_path));
  keep = true;
  return file;
}

}  // namespace

absl::StatusOr<BackupFile> WriteBackup(const std::string& db_path,
                                       const crypto::SecretData& key,
                                       const std::string& out_path) {
  return WriteCopy(db_path, key, key, out_path);
}

absl::StatusOr<BackupFile> WriteRekeyedCopy(const std::string& db_path,
                                            const crypto::SecretData& key,
                                            const crypto::SecretData& new_key,
                                            const std::string& out_path) {
  return WriteCopy(db_path, key, new_key, out_path);
}

absl::Status RestoreBackupFile(const std::string& backup_path,
                               const crypto::SecretData& key,
                               const std::string& db_path) {
  for (const std::string& p : {db_path, db_path + "-wal", db_path + "-shm"}) {
    struct stat st;
    if (::lstat(p.c_str(), &st) == 0) {
      return absl::AlreadyExistsError(absl::StrCat(
          "store: ", p,
          " exists: a restore never overwrites a database; "
          "stop the node and move the data folder's files aside first"));
    }
  }
  const std::string folder = Folder(db_path);
  if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST) {
    return FileError("create the folder", folder, errno);
  }
  const std::string staging = db_path + ".restoring";
  std::error_code error;
  std::filesystem::remove(staging, error);
  if (!std::filesystem::copy_file(backup_path, staging, error)) {
    return FileError("copy the backup to", staging, error.value());
  }
  absl::Cleanup remove_staging = [&staging] { ::unlink(staging.c_str()); };
  if (::chmod(staging.c_str(), 0600) != 0) {
    return FileError("set the mode of", staging, errno);
  }
  RETURN_IF_ERROR(FsyncPath(staging, /*directory=*/false));
  // The copy is what goes in place: checking it checks the backup too.
  RETURN_IF_ERROR(CheckBackupFile(staging, key));
  if (::rename(staging.c_str(), db_path.c_str()) != 0) {
    return FileError("rename the copy to", db_path, errno);
  }
  return FsyncPath(folder, /*directory=*/true);
}

}  // namespace resguardo::store
