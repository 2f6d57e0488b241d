#include "crypto/aes_gcm_aead.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "base/status_macros.h"
#include "crypto/internal/byte_encoding.h"
#include "crypto/internal/openssl_util.h"

namespace resguardo::crypto {
namespace {

std::string Header(uint32_t key_id) {
  std::string header(1, static_cast<char>(AesGcmAead::kFormatV1));
  internal::AppendBigEndian32(key_id, &header);
  return header;
}

}  // namespace

AesGcmAead::AesGcmAead(std::unique_ptr<const internal::AesGcm256> cipher,
                       uint32_t key_id)
    : cipher_(std::move(cipher)), key_id_(key_id), header_(Header(key_id)) {}

absl::StatusOr<std::unique_ptr<AesGcmAead>> AesGcmAead::New(
    const SecretData& key, uint32_t key_id) {
  ASSIGN_OR_RETURN(std::unique_ptr<const internal::AesGcm256> cipher,
                   internal::AesGcm256::New(key));
  return std::unique_ptr<AesGcmAead>(new AesGcmAead(std::move(cipher), key_id));
}

absl::StatusOr<std::string> AesGcmAead::Encrypt(
    absl::string_view plaintext, absl::string_view associated_data) const {
  if (plaintext.size() > internal::AesGcm256::kMaxInputSize) {
    return absl::InvalidArgumentError("plaintext is too large");
  }
  std::string out(kOverhead + plaintext.size(), '\0');
  uint8_t* p = reinterpret_cast<uint8_t*>(&out[0]);
  std::copy(header_.begin(), header_.end(), out.begin());
  uint8_t* nonce = p + kHeaderSize;
  RETURN_IF_ERROR(internal::RandomNonce(absl::MakeSpan(nonce, kNonceSize)));
  RETURN_IF_ERROR(cipher_->SealInto(
      absl::string_view(reinterpret_cast<const char*>(nonce), kNonceSize),
      plaintext, {header_, associated_data},
      absl::MakeSpan(nonce + kNonceSize, plaintext.size() + kTagSize)));
  return out;
}

absl::StatusOr<uint32_t> AesGcmAead::KeyIdOf(absl::string_view ciphertext) {
  if (ciphertext.size() < kOverhead) {
    return absl::InvalidArgumentError(
        absl::StrCat("AES-GCM ciphertext is too short: ", ciphertext.size(),
                     " bytes, the minimum is ", kOverhead));
  }
  if (static_cast<uint8_t>(ciphertext[0]) != kFormatV1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown AES-GCM ciphertext format byte 0x",
        absl::Hex(static_cast<uint8_t>(ciphertext[0]), absl::kZeroPad2)));
  }
  return internal::LoadBigEndian32(ciphertext.data() + 1);
}

absl::StatusOr<std::string> AesGcmAead::Decrypt(
    absl::string_view ciphertext, absl::string_view associated_data) const {
  ASSIGN_OR_RETURN(uint32_t key_id, KeyIdOf(ciphertext));
  if (key_id != key_id_) {
    return absl::InvalidArgumentError(
        absl::StrCat("ciphertext was made with key id ", key_id,
                     ", this key has id ", key_id_));
  }
  absl::string_view nonce = ciphertext.substr(kHeaderSize, kNonceSize);
  absl::string_view body = ciphertext.substr(kHeaderSize + kNonceSize,
                                             ciphertext.size() - kOverhead);
  absl::string_view tag = ciphertext.substr(ciphertext.size() - kTagSize);
  std::string out(body.size(), '\0');
  absl::Status status = cipher_->OpenInto(
      nonce, body, tag, {header_, associated_data},
      absl::MakeSpan(reinterpret_cast<uint8_t*>(&out[0]), out.size()));
  if (!status.ok()) {
    if (status.code() == absl::StatusCode::kInvalidArgument) {
      return absl::InvalidArgumentError(
          "decryption failed: the ciphertext does not authenticate with this "
          "key and associated data");
    }
    return status;
  }
  return out;
}

}  // namespace resguardo::crypto
