#include "services/server/internal/node_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"

namespace resguardo::server::internal {

absl::StatusOr<NodeLock> NodeLock::Acquire(
    const config::v1::NodeConfig& config) {
  const std::string path = absl::StrCat(config.data_dir(), "/resguardo.lock");
  const int fd =
      ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    const std::string message =
        absl::StrCat("data_dir: cannot open the node's lock ", path, ": ",
                     std::strerror(errno));
    return errno == ENOENT ? absl::NotFoundError(message)
                           : absl::FailedPreconditionError(message);
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return absl::FailedPreconditionError(absl::StrCat(
          "data_dir: el nodo está en marcha (otro proceso tiene ", path,
          "); deténgalo primero / the node is running (another process holds ",
          path, "); stop it first"));
    }
    return absl::FailedPreconditionError(
        absl::StrCat("data_dir: cannot lock ", path, ": ", std::strerror(err)));
  }
  return NodeLock(fd);
}

NodeLock& NodeLock::operator=(NodeLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

NodeLock::~NodeLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace resguardo::server::internal
