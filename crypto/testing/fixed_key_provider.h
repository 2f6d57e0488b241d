// Test and benchmark only: a KeyProvider whose master key is 32 copies of
// one byte, so that a test's keys are the same from run to run and two
// providers with other bytes stand for two nodes. Never for a node: its
// master key is no secret.
#ifndef RESGUARDO_CRYPTO_TESTING_FIXED_KEY_PROVIDER_H_
#define RESGUARDO_CRYPTO_TESTING_FIXED_KEY_PROVIDER_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "crypto/key_provider.h"
#include "crypto/secret_data.h"

namespace resguardo::crypto::testing {

class FixedKeyProvider final : public KeyProvider {
 public:
  explicit FixedKeyProvider(char fill = 'm') : fill_(fill) {}

 protected:
  absl::StatusOr<SecretData> DoDeriveKey(KeyPurpose purpose,
                                         uint32_t generation) const override {
    return DeriveKeyFromMaster(SecretData(std::string(32, fill_)), purpose,
                               generation);
  }

 private:
  char fill_;
};

}  // namespace resguardo::crypto::testing

#endif  // RESGUARDO_CRYPTO_TESTING_FIXED_KEY_PROVIDER_H_
