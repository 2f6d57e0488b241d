#include "crypto/key_set_provider.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace resguardo::crypto {

absl::StatusOr<SecretData> KeySetProvider::DoDeriveKey(
    KeyPurpose purpose, uint32_t generation) const {
  const SecretData* key = keys_.Find(KeyPurposeLabel(purpose), generation);
  if (key == nullptr) {
    return absl::NotFoundError(absl::StrCat("the key set holds no ",
                                            KeyPurposeLabel(purpose),
                                            " key of generation ", generation));
  }
  return key->Clone();
}

}  // namespace resguardo::crypto
