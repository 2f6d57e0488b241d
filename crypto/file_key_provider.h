// FileKeyProvider: a KeyProvider whose master key is a 32-byte file.
//
// Whoever can read, replace or keep a second name of the key file holds
// every record of the node, so the file is checked before it is read, all
// through descriptors (the folder is opened with O_DIRECTORY | O_NOFOLLOW and
// fstat'ed, the file opened from it with openat and O_NOFOLLOW and
// fstat'ed), so that what is checked is what is read:
//   - the file holds exactly 32 random bytes, is a regular file (not a
//     symbolic link), has exactly one link (no hard link elsewhere), and mode
//     0600 or stricter (0400): no bit for group or others, no execute,
//     setuid, setgid or sticky bit;
//   - it is owned by the user this process runs as (Owner says when root may
//     read the key of the node's user);
//   - its folder is not a symbolic link, is owned by the node's user or
//     root, and is not writable by group or others (else another user could
//     replace the key).
// Anything else is refused (FAILED_PRECONDITION, naming the path and the
// problem, never the key), so a key file left loose by a copy or a backup
// restore stops the node instead of running with a leaked key. Only the
// last folder of the path is checked for symbolic links (a link higher up,
// such as /var/run, is the system's). The master key stays in this object
// (SecretData, wiped on destruction); it never leaves it.
//
// What the master key does: it wraps the node's key set (Wrap, Unwrap;
// key_set.h), which holds the purpose keys. As a KeyProvider it derives the
// purpose keys of a node made before the key set (DeriveKeyFromMaster): the
// node uses that only once, to fill its key set with exactly the keys it had
// (services/server/internal/node_keys.h).
//
// Thread safety: DeriveKey may be called concurrently.
#ifndef RESGUARDO_CRYPTO_FILE_KEY_PROVIDER_H_
#define RESGUARDO_CRYPTO_FILE_KEY_PROVIDER_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "crypto/aes_gcm_aead.h"
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

  // Whose key file is accepted.
  enum class Owner {
    // The user this process runs as: the node serving.
    kThisProcess,
    // The same; and when this process runs as root (an operator's offline
    // command, such as a backup or printing the audit key), also the
    // node's user, i.e. the owner of the key's folder when that is not root.
    kThisProcessOrFolderOwnerForRoot,
  };

  // Reads the master key from `path`. Messages name the path, never the key.
  // Errors:
  //   NOT_FOUND            the file (kMustExist) or its folder is missing;
  //   FAILED_PRECONDITION  any shape the header comment refuses: a symbolic
  //                        link (file or folder), not a regular file, more
  //                        than one link, a mode other than 0600 or 0400,
  //                        another owner, a folder of another user or
  //                        writable by group or others, a size other than
  //                        32 bytes;
  //   PERMISSION_DENIED    this process may not open it;
  //   INVALID_ARGUMENT     an empty path, or one ending in '/';
  //   INTERNAL             any other I/O failure.
  static absl::StatusOr<std::unique_ptr<FileKeyProvider>> New(
      std::string path, Mode mode, Owner owner = Owner::kThisProcess);

  // Creates `path` (O_EXCL, mode 0600) with 32 new random bytes, fsyncs it
  // and its folder (a master-key rotation's new key). The folder is checked
  // as New checks it. ALREADY_EXISTS if `path` exists.
  static absl::Status CreateKeyFile(const std::string& path);

  const std::string& path() const { return path_; }

  // A fingerprint of the master key that is not the key: 16 lower-case hex
  // digits, the first 8 bytes of
  //   SHA-256(lp("resguardo.master-key-id.v1") ‖ master key).
  // Printed by the node's start and by rotate-master-key to say which key is
  // current; names the key set's wrapping made under this key.
  const std::string& key_id() const { return key_id_; }

  // AES-256-GCM (AesGcmAead, key id 1) under the key-set wrapping key,
  //   HKDF-SHA-256(master, salt "resguardo.master-key.v1",
  //                info "resguardo.key-set-wrapping.v1"),
  // which no purpose key's info can equal. Unwrap: INVALID_ARGUMENT when the
  // ciphertext or its associated data do not match.
  absl::StatusOr<std::string> Wrap(absl::string_view plaintext,
                                   absl::string_view associated_data) const;
  absl::StatusOr<SecretData> Unwrap(absl::string_view ciphertext,
                                    absl::string_view associated_data) const;

 protected:
  absl::StatusOr<SecretData> DoDeriveKey(KeyPurpose purpose,
                                         uint32_t generation) const override;

 private:
  FileKeyProvider(std::string path, SecretData master, std::string key_id,
                  std::unique_ptr<const AesGcmAead> wrapper)
      : path_(std::move(path)),
        master_(std::move(master)),
        key_id_(std::move(key_id)),
        wrapper_(std::move(wrapper)) {}

  const std::string path_;
  const SecretData master_;
  const std::string key_id_;
  const std::unique_ptr<const AesGcmAead> wrapper_;
};

}  // namespace resguardo::crypto

#endif  // RESGUARDO_CRYPTO_FILE_KEY_PROVIDER_H_
