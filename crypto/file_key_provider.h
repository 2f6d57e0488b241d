// FileKeyProvider: a KeyProvider whose master key is a 32-byte file.
//
// The file holds exactly 32 random bytes, is a regular file (not a symbolic
// link), and is neither readable nor writable by group or others (mode 0600
// or 0400). Anything else is refused, so a key file left world-readable by a
// copy or a backup restore stops the node instead of running with a leaked
// key. The master key stays in this object (SecretData, wiped on
// destruction); only derived keys leave it (key_provider.h).
//
// Thread safety: DeriveKey may be called concurrently.
#ifndef RESGUARDO_CRYPTO_FILE_KEY_PROVIDER_H_
#define RESGUARDO_CRYPTO_FILE_KEY_PROVIDER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "crypto/key_provider.h"
#include "crypto/secret_data.h"

namespace resguardo::crypto {

class FileKeyProvider final : public KeyProvider {
 public:
  enum class Mode {
    // Production: the file must already exist.
    kMustExist,
    // Development: if `path` does not exist, create it (O_EXCL, mode 0600)
    // with 32 random bytes and fsync it and its directory.
    kCreateIfMissing,
  };

  // Reads the master key from `path`. Messages name the path, never the key.
  // Errors:
  //   NOT_FOUND            the file is missing (kMustExist);
  //   FAILED_PRECONDITION  a symbolic link, not a regular file, a mode that
  //                        lets group or others read or write it, or a size
  //                        other than 32 bytes;
  //   PERMISSION_DENIED    this process may not open it;
  //   INTERNAL             any other I/O failure.
  static absl::StatusOr<std::unique_ptr<FileKeyProvider>> New(std::string path,
                                                              Mode mode);

  const std::string& path() const { return path_; }

 protected:
  absl::StatusOr<SecretData> DoDeriveKey(KeyPurpose purpose,
                                         uint32_t generation) const override;

 private:
  FileKeyProvider(std::string path, SecretData master)
      : path_(std::move(path)), master_(std::move(master)) {}

  const std::string path_;
  const SecretData master_;
};

}  // namespace resguardo::crypto

#endif  // RESGUARDO_CRYPTO_FILE_KEY_PROVIDER_H_
