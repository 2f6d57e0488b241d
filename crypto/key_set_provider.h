// KeySetProvider: the node's KeyProvider, serving the purpose keys of its
// key set (key_set.h), unwrapped once at start. It never derives a key: a
// purpose or generation the set does not hold is NOT_FOUND.
//
// Thread safety: DeriveKey may be called concurrently (the set is
// immutable once made).
#ifndef RESGUARDO_CRYPTO_KEY_SET_PROVIDER_H_
#define RESGUARDO_CRYPTO_KEY_SET_PROVIDER_H_

#include <string>
#include <utility>

#include "crypto/key_provider.h"
#include "crypto/key_set.h"

namespace resguardo::crypto {

class KeySetProvider final : public KeyProvider {
 public:
  // `master_key_id`: the id of the master key the set was unwrapped with
  // (FileKeyProvider::key_id), for reports.
  KeySetProvider(KeySet keys, std::string master_key_id)
      : keys_(std::move(keys)), master_key_id_(std::move(master_key_id)) {}

  const std::string& master_key_id() const { return master_key_id_; }

 protected:
  absl::StatusOr<SecretData> DoDeriveKey(KeyPurpose purpose,
                                         uint32_t generation) const override;

 private:
  const KeySet keys_;
  const std::string master_key_id_;
};

}  // namespace resguardo::crypto

#endif  // RESGUARDO_CRYPTO_KEY_SET_PROVIDER_H_
