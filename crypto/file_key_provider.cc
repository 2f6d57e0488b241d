#include "crypto/file_key_provider.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace resguardo::crypto {
namespace {

constexpr size_t kMasterKeySize = KeyProvider::kKeySize;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now and reports the result (close can report a write error).
  int Close() {
    int rc = close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

absl::Status ErrnoStatus(int err, absl::string_view what,
                         const std::string& path) {
  absl::StatusCode code = absl::StatusCode::kInternal;
  if (err == ENOENT) code = absl::StatusCode::kNotFound;
  if (err == EACCES || err == EPERM) code = absl::StatusCode::kPermissionDenied;
  return absl::Status(
      code, absl::StrCat(what, " key file ", path, ": ", std::strerror(err)));
}

std::string Dirname(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

absl::Status WriteAll(int fd, const uint8_t* p, size_t n,
                      const std::string& path) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "cannot write", path);
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return absl::OkStatus();
}

// Creates `path` with 32 random bytes. Returns OK if the file already exists
// (another process won the race; it is then read and checked like any other).
absl::Status CreateKeyFile(const std::string& path) {
  Fd fd(open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
             S_IRUSR | S_IWUSR));
  if (fd.get() < 0) {
    if (errno == EEXIST) return absl::OkStatus();
    return ErrnoStatus(errno, "cannot create", path);
  }
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(SecretData key, SecretData::Random(kMasterKeySize));
    RETURN_IF_ERROR(
        WriteAll(fd.get(), key.UnsafeMutableData(), key.size(), path));
    if (fsync(fd.get()) != 0) return ErrnoStatus(errno, "cannot fsync", path);
    if (fd.Close() != 0) return ErrnoStatus(errno, "cannot close", path);
    return absl::OkStatus();
  }();
  if (!status.ok()) {
    // Never leave a short key file behind for the next start to refuse.
    unlink(path.c_str());
    return status;
  }
  // Make the new directory entry durable too.
  Fd dir(open(Dirname(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) fsync(dir.get());
  return absl::OkStatus();
}

absl::StatusOr<SecretData> ReadKeyFile(const std::string& path) {
  // O_NONBLOCK: opening a FIFO must not hang; it is refused below.
  Fd fd(open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) {
    if (errno == ELOOP) {
      return absl::FailedPreconditionError(
          absl::StrCat("key file ", path,
                       " is a symbolic link; point the configuration at the "
                       "file itself"));
    }
    return ErrnoStatus(errno, "cannot open", path);
  }
  struct stat st;
  if (fstat(fd.get(), &st) != 0) return ErrnoStatus(errno, "cannot stat", path);
  if (!S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat("key file ", path, " is not a regular file"));
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%04o",
                  static_cast<unsigned>(st.st_mode & 07777));
    return absl::FailedPreconditionError(absl::StrCat(
        "key file ", path, " has mode ", mode,
        ", which lets group or others access it; it must be 0600 (chmod 600)"));
  }
  if (st.st_size != static_cast<off_t>(kMasterKeySize)) {
    return absl::FailedPreconditionError(
        absl::StrCat("key file ", path, " must hold exactly ", kMasterKeySize,
                     " bytes, it holds ", st.st_size));
  }
  SecretData key(std::string(kMasterKeySize, '\0'));
  size_t got = 0;
  while (got < kMasterKeySize) {
    ssize_t r =
        read(fd.get(), key.UnsafeMutableData() + got, kMasterKeySize - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "cannot read", path);
    }
    if (r == 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "key file ", path, " shrank while it was read; it must hold exactly ",
          kMasterKeySize, " bytes"));
    }
    got += static_cast<size_t>(r);
  }
  return key;
}

}  // namespace

absl::StatusOr<std::unique_ptr<FileKeyProvider>> FileKeyProvider::New(
    std::string path, Mode mode) {
  if (path.empty()) {
    return absl::InvalidArgumentError("the key file path is empty");
  }
  if (mode == Mode::kCreateIfMissing) RETURN_IF_ERROR(CreateKeyFile(path));
  ASSIGN_OR_RETURN(SecretData master, ReadKeyFile(path));
  return std::unique_ptr<FileKeyProvider>(
      new FileKeyProvider(std::move(path), std::move(master)));
}

absl::StatusOr<SecretData> FileKeyProvider::DoDeriveKey(
    KeyPurpose purpose, uint32_t generation) const {
  return DeriveKeyFromMaster(master_, purpose, generation);
}

}  // namespace resguardo::crypto
