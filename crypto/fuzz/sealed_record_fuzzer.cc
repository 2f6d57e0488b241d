// Feeds arbitrary bytes to the parsers and Open/Decrypt paths of sealed
// records, wrapped data keys, exported KEKs and AesGcmAead ciphertexts. Keys
// are fixed (made once), so the seed corpus can hold valid inputs:
//
//   input = wrapped DEK (65 bytes, under kKek, key name kKeyName) ‖
//           sealed record (under that DEK and Context())
//
// Every call must return a status; none may crash, leak or read out of
// bounds.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "crypto/aes_gcm_aead.h"
#include "crypto/envelope.h"
#include "crypto/record_context.h"
#include "crypto/secret_data.h"

namespace {

using ::resguardo::crypto::AesGcmAead;
using ::resguardo::crypto::DataKey;
using ::resguardo::crypto::Envelope;
using ::resguardo::crypto::KekRing;
using ::resguardo::crypto::RecordContext;
using ::resguardo::crypto::SecretData;

constexpr char kInstitution[] = "institutions/fuzz";
constexpr char kKeyName[] = "cases/fuzz";

struct Fixture {
  std::shared_ptr<KekRing> ring;
  std::unique_ptr<Envelope> envelope;
  std::unique_ptr<AesGcmAead> aead;  // key id 1, also the KEK-export wrapper
  std::unique_ptr<DataKey> random_dek;
};

const Fixture& GetFixture() {
  static const Fixture* fixture = [] {
    auto* f = new Fixture;
    f->ring = std::move(KekRing::New(kInstitution)).value();
    // Fixed KEK at version 1 ("K" * 32) and fixed AEAD key ("A" * 32).
    if (!f->ring->Add(1, SecretData(std::string(32, 'K')), true).ok()) {
      __builtin_trap();
    }
    f->envelope = std::make_unique<Envelope>(f->ring);
    f->aead =
        std::move(AesGcmAead::New(SecretData(std::string(32, 'A')), 1)).value();
    f->random_dek = std::make_unique<DataKey>(
        std::move(f->envelope->NewDataKey(kKeyName)).value().key);
    return f;
  }();
  return *fixture;
}

RecordContext Context() {
  return RecordContext{"case.sealed", kInstitution, kKeyName, 1};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Fixture& f = GetFixture();
  const absl::string_view input(reinterpret_cast<const char*>(data), size);

  // The whole input as each kind of ciphertext.
  (void)Envelope::KekVersionOf(input);
  (void)f.envelope->Unwrap(input, kKeyName);
  (void)f.envelope->Rewrap(input, kKeyName);
  (void)f.random_dek->Open(input, Context());
  (void)AesGcmAead::KeyIdOf(input);
  (void)f.aead->Decrypt(input, "associated data");
  {
    auto ring = std::move(KekRing::New(kInstitution)).value();
    (void)ring->Import(input, *f.aead, /*primary=*/true);
  }

  // A wrapped DEK followed by a record sealed under it.
  if (size >= Envelope::kWrappedSize) {
    auto key =
        f.envelope->Unwrap(input.substr(0, Envelope::kWrappedSize), kKeyName);
    if (key.ok()) {
      (void)key->Open(input.substr(Envelope::kWrappedSize), Context());
    }
  }
  return 0;
}
