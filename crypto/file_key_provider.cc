#include "crypto/file_key_provider.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "crypto/hkdf.h"
#include "crypto/internal/byte_encoding.h"
#include "openssl/crypto.h"
#include "openssl/sha.h"

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

std::string Basename(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string ModeText(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof(text), "%04o",
                static_cast<unsigned>(mode & 07777));
  return text;
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

// The key file's directory, opened without following a symbolic link, and
// what fstat says of it. Everything after this goes through `fd`, so a
// directory renamed or replaced after the checks cannot swap the file.
struct KeyDirectory {
  std::unique_ptr<Fd> fd;
  struct stat st;
};

absl::StatusOr<KeyDirectory> OpenKeyDirectory(const std::string& path) {
  const std::string dir = Dirname(path);
  KeyDirectory out;
  out.fd = std::make_unique<Fd>(
      open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (out.fd->get() < 0) {
    const int err = errno;
    struct stat st;
    if ((err == ELOOP || err == ENOTDIR) && lstat(dir.c_str(), &st) == 0 &&
        S_ISLNK(st.st_mode)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the folder ", dir, " of key file ", path,
          " is a symbolic link; point the configuration at the real folder"));
    }
    return ErrnoStatus(err, "cannot open the folder of", path);
  }
  if (fstat(out.fd->get(), &out.st) != 0) {
    return ErrnoStatus(errno, "cannot stat the folder of", path);
  }
  if ((out.st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the folder ", dir, " of key file ", path, " has mode ",
        ModeText(out.st.st_mode),
        ", which lets group or others replace the key; it must not be "
        "writable by group or others (chmod go-w)"));
  }
  return out;
}

// Creates the key file with 32 random bytes. Returns OK if the file already
// exists (another process won the race; it is then read and checked like any
// other).
absl::Status CreateKeyFileIn(const KeyDirectory& dir, const std::string& path) {
  const std::string name = Basename(path);
  Fd fd(openat(dir.fd->get(), name.c_str(),
               O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
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
    unlinkat(dir.fd->get(), name.c_str(), 0);
    return status;
  }
  // Make the new directory entry durable too.
  fsync(dir.fd->get());
  return absl::OkStatus();
}

// Checks what fstat says of the key file and of its folder (see the header).
absl::Status CheckKeyFile(const struct stat& st, const struct stat& dir,
                          const std::string& path,
                          FileKeyProvider::Owner owner) {
  if (!S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat("key file ", path, " is not a regular file"));
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "key file ", path, " has mode ", ModeText(st.st_mode),
        ", which lets group or others access it; it must be 0600 (chmod 600)"));
  }
  if ((st.st_mode & (S_ISUID | S_ISGID | S_ISVTX | S_IXUSR)) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "key file ", path, " has mode ", ModeText(st.st_mode),
        ", with bits beyond read and write by its owner (setuid, setgid, "
        "sticky or execute); it must be 0600 (chmod 600)"));
  }
  const uid_t self = geteuid();
  // Root may run the node's offline commands (a backup) on the key of the
  // node's user, the user who owns the key's folder.
  const bool node_user_for_root =
      owner == FileKeyProvider::Owner::kThisProcessOrFolderOwnerForRoot &&
      self == 0 && dir.st_uid != 0 && st.st_uid == dir.st_uid;
  if (st.st_uid != self && !node_user_for_root) {
    return absl::FailedPreconditionError(
        absl::StrCat("key file ", path, " is owned by uid ", st.st_uid,
                     ", not by the user the node runs as (uid ", self,
                     "); chown it to the node's user"));
  }
  if (dir.st_uid != self && dir.st_uid != 0 && !node_user_for_root) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the folder ", Dirname(path), " of key file ", path,
        " is owned by uid ", dir.st_uid, ", neither the node's user (uid ",
        self,
        ") nor root; keep the key in a folder of the node's user or of root"));
  }
  if (st.st_nlink != 1) {
    return absl::FailedPreconditionError(absl::StrCat(
        "key file ", path, " has ", st.st_nlink,
        " hard links; it must have exactly one (a copy elsewhere escapes "
        "these checks)"));
  }
  if (st.st_size != static_cast<off_t>(kMasterKeySize)) {
    return absl::FailedPreconditionError(
        absl::StrCat("key file ", path, " must hold exactly ", kMasterKeySize,
                     " bytes, it holds ", st.st_size));
  }
  return absl::OkStatus();
}

// See key_id() in the header.
std::string KeyIdOf(const SecretData& master) {
  std::string input;
  internal::AppendLengthPrefixed("resguardo.master-key-id.v1", &input);
  const absl::string_view raw = master.UnsafeRawBytes();
  input.append(raw.data(), raw.size());
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(),
         digest);
  OPENSSL_cleanse(input.data(), input.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 8; ++i) {
    id.push_back(kHex[digest[i] >> 4]);
    id.push_back(kHex[digest[i] & 0x0f]);
  }
  return id;
}

absl::StatusOr<SecretData> ReadKeyFile(const KeyDirectory& dir,
                                       const std::string& path,
                                       FileKeyProvider::Owner owner) {
  // O_NONBLOCK: opening a FIFO must not hang; it is refused below.
  Fd fd(openat(dir.fd->get(), Basename(path).c_str(),
               O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
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
  RETURN_IF_ERROR(CheckKeyFile(st, dir.st, path, owner));
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
    std::string path, Mode mode, Owner owner) {
  if (path.empty()) {
    return absl::InvalidArgumentError("the key file path is empty");
  }
  if (path.back() == '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("the key file path ", path, " names a folder"));
  }
  ASSIGN_OR_RETURN(KeyDirectory dir, OpenKeyDirectory(path));
  if (mode == Mode::kCreateIfMissing)
    RETURN_IF_ERROR(CreateKeyFileIn(dir, path));
  ASSIGN_OR_RETURN(SecretData master, ReadKeyFile(dir, path, owner));
  ASSIGN_OR_RETURN(SecretData wrapping,
                   HkdfSha256(master, "resguardo.master-key.v1",
                              "resguardo.key-set-wrapping.v1", kMasterKeySize));
  ASSIGN_OR_RETURN(std::unique_ptr<AesGcmAead> wrapper,
                   AesGcmAead::New(wrapping, /*key_id=*/1));
  std::string id = KeyIdOf(master);
  return std::unique_ptr<FileKeyProvider>(new FileKeyProvider(
      std::move(path), std::move(master), std::move(id), std::move(wrapper)));
}

absl::Status FileKeyProvider::CreateKeyFile(const std::string& path) {
  if (path.empty() || path.back() == '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("the key file path ", path, " names no file"));
  }
  ASSIGN_OR_RETURN(KeyDirectory dir, OpenKeyDirectory(path));
  struct stat st;
  if (fstatat(dir.fd->get(), Basename(path).c_str(), &st,
              AT_SYMLINK_NOFOLLOW) == 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("key file ", path, " already exists"));
  }
  return CreateKeyFileIn(dir, path);
}

absl::StatusOr<std::string> FileKeyProvider::Wrap(
    absl::string_view plaintext, absl::string_view associated_data) const {
  return wrapper_->Encrypt(plaintext, associated_data);
}

absl::StatusOr<SecretData> FileKeyProvider::Unwrap(
    absl::string_view ciphertext, absl::string_view associated_data) const {
  ASSIGN_OR_RETURN(std::string plain,
                   wrapper_->Decrypt(ciphertext, associated_data));
  SecretData out(plain);
  OPENSSL_cleanse(plain.data(), plain.size());
  return out;
}

absl::StatusOr<SecretData> FileKeyProvider::DoDeriveKey(
    KeyPurpose purpose, uint32_t generation) const {
  return DeriveKeyFromMaster(master_, purpose, generation);
}

}  // namespace resguardo::crypto
