// KeySet: the node's purpose keys (key_provider.h), kept wrapped under the
// master key in the key set file, so that a new master key rewraps them
// instead of changing them (person keys, the audit key and the database key
// must outlive any one master key).
//
// File format (version 1; all integers big-endian, lp(x) = 4-byte length ‖ x):
//
//   "RGKS" ‖ 0x01 ‖ n (1 byte, 1 or 2) ‖ n × ( lp(master key id) ‖ lp(W) )
//   W     = FileKeyProvider::Wrap(P, AD) under that master key
//   AD    = lp("resguardo.key-set.v1") ‖ lp(master key id)
//   P     = count (4) ‖ count × ( lp(label) ‖ generation (4) ‖ lp(key) )
//
// Every wrapping holds the same keys. There are two only in the middle of a
// master-key rotation (the old and the new key; see
// services/server/master_key_rotation.h). The labels are those of
// KeyPurposeLabel, plus "database-pending" (a database re-keying's new key,
// before its file is in place). Labels a binary does not know are kept as
// they are, so a key added by a later version survives an older one.
//
// Thread-compatible.
#ifndef RESGUARDO_CRYPTO_KEY_SET_H_
#define RESGUARDO_CRYPTO_KEY_SET_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "crypto/file_key_provider.h"
#include "crypto/secret_data.h"

namespace resguardo::crypto {

class KeySet {
 public:
  // A database re-keying's new key, until the re-keyed file is in place.
  static constexpr absl::string_view kPendingDatabaseLabel = "database-pending";

  KeySet() = default;
  KeySet(KeySet&&) = default;
  KeySet& operator=(KeySet&&) = default;

  // The key of `label` at `generation`, or nullptr.
  const SecretData* Find(absl::string_view label, uint32_t generation) const;
  void Put(absl::string_view label, uint32_t generation, SecretData key);
  void Erase(absl::string_view label, uint32_t generation);
  size_t size() const { return keys_.size(); }
  KeySet Clone() const;
  // Whether both hold the same labels, generations and keys (keys compared
  // in constant time).
  bool SameKeys(const KeySet& other) const;

  // The file's bytes, with one wrapping per master key (1 or 2).
  // INVALID_ARGUMENT for no master or more than 2.
  absl::StatusOr<std::string> Seal(
      absl::Span<const FileKeyProvider* const> masters) const;

  // The keys of `file`, unwrapped from its wrapping under `master`.
  // Errors: FAILED_PRECONDITION when `file` has no wrapping under `master`
  // (the message names the ids it has and this key's); DATA_LOSS for a
  // malformed file or a wrapping that does not authenticate.
  static absl::StatusOr<KeySet> Open(absl::string_view file,
                                     const FileKeyProvider& master);

  // The master key ids `file` is wrapped under, in file order. DATA_LOSS
  // for a malformed file. Does not authenticate.
  static absl::StatusOr<std::vector<std::string>> MasterKeyIds(
      absl::string_view file);

 private:
  std::map<std::pair<std::string, uint32_t>, SecretData> keys_;
};

}  // namespace resguardo::crypto

#endif  // RESGUARDO_CRYPTO_KEY_SET_H_
