#include "crypto/key_set_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace resguardo::crypto {
namespace {

absl::Status IoError(absl::string_view what, const std::string& path, int err) {
  const std::string message =
      absl::StrCat("cannot ", what, " ", path, ": ", std::strerror(err));
  if (err == ENOENT) return absl::NotFoundError(message);
  if (err == EACCES || err == EPERM) {
    return absl::PermissionDeniedError(message);
  }
  return absl::InternalError(message);
}

std::string Folder(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

absl::StatusOr<std::string> ReadKeySetFile(const std::string& path) {
  const int fd =
      ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ELOOP) {
      return absl::FailedPreconditionError(
          absl::StrCat("key set file ", path, " is a symbolic link"));
    }
    return IoError("open the key set file", path, errno);
  }
  std::string out;
  absl::Status status = [&]() -> absl::Status {
    struct stat st;
    if (::fstat(fd, &st) != 0) return IoError("stat", path, errno);
    if (!S_ISREG(st.st_mode)) {
      return absl::FailedPreconditionError(
          absl::StrCat("key set file ", path, " is not a regular file"));
    }
    if ((st.st_mode & 077) != 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "key set file ", path,
          " lets group or others access it; it must be 0600 (chmod 600)"));
    }
    char buffer[4096];
    while (true) {
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n < 0) {
        if (errno == EINTR) continue;
        return IoError("read", path, errno);
      }
      if (n == 0) return absl::OkStatus();
      out.append(buffer, static_cast<size_t>(n));
    }
  }();
  ::close(fd);
  RETURN_IF_ERROR(status);
  return out;
}

absl::Status FsyncFolderOf(const std::string& path) {
  const std::string folder = Folder(path);
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoError("open the folder", folder, errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return IoError("fsync the folder", folder, err);
  return absl::OkStatus();
}

absl::Status RenameDurably(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    return IoError(absl::StrCat("rename ", from, " to"), to, errno);
  }
  return FsyncFolderOf(to);
}

absl::Status ReplaceFileDurably(const std::string& path,
                                absl::string_view bytes) {
  const std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());
  const int fd = ::open(
      tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return IoError("create", tmp, errno);
  absl::Status status = [&]() -> absl::Status {
    const char* p = bytes.data();
    size_t left = bytes.size();
    while (left > 0) {
      const ssize_t n = ::write(fd, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        return IoError("write", tmp, errno);
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0) return IoError("fsync", tmp, errno);
    return absl::OkStatus();
  }();
  if (::close(fd) != 0 && status.ok()) status = IoError("close", tmp, errno);
  if (!status.ok()) {
    ::unlink(tmp.c_str());
    return status;
  }
  return RenameDurably(tmp, path);
}

}  // namespace resguardo::crypto
