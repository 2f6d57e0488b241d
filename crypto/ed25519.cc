#include "crypto/ed25519.h"

#include <openssl/evp.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace resguardo::crypto {
namespace {

const unsigned char* Bytes(absl::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

absl::StatusOr<std::unique_ptr<Ed25519Signer>> Ed25519Signer::New(
    const SecretData& seed) {
  if (seed.size() != kSeedSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Ed25519 seed must be ", kSeedSize, " bytes, got ", seed.size()));
  }
  internal::PkeyPtr key(EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, Bytes(seed.UnsafeRawBytes()), seed.size()));
  if (key == nullptr) {
    return internal::OpenSslError(absl::StatusCode::kInternal,
                                  "cannot load the Ed25519 private key");
  }
  return FromKey(std::move(key));
}

absl::StatusOr<std::unique_ptr<Ed25519Signer>> Ed25519Signer::Generate() {
  ASSIGN_OR_RETURN(SecretData seed, SecretData::Random(kSeedSize));
  return New(seed);
}

absl::StatusOr<std::unique_ptr<Ed25519Signer>> Ed25519Signer::FromKey(
    internal::PkeyPtr key) {
  std::string public_key(kPublicKeySize, '\0');
  size_t len = public_key.size();
  if (EVP_PKEY_get_raw_public_key(
          key.get(), reinterpret_cast<unsigned char*>(public_key.data()),
          &len) != 1 ||
      len != kPublicKeySize) {
    return internal::OpenSslError(absl::StatusCode::kInternal,
                                  "cannot derive the Ed25519 public key");
  }
  return std::unique_ptr<Ed25519Signer>(
      new Ed25519Signer(std::move(key), std::move(public_key)));
}

absl::StatusOr<std::string> Ed25519Signer::Sign(
    absl::string_view message) const {
  internal::MdCtxPtr ctx(EVP_MD_CTX_new());
  if (ctx == nullptr || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr,
                                           key_.get()) != 1) {
    return internal::OpenSslError(absl::StatusCode::kInternal,
                                  "cannot start an Ed25519 signature");
  }
  std::string signature(kSignatureSize, '\0');
  size_t len = signature.size();
  if (EVP_DigestSign(ctx.get(),
                     reinterpret_cast<unsigned char*>(signature.data()), &len,
                     Bytes(message), message.size()) != 1 ||
      len != kSignatureSize) {
    return internal::OpenSslError(absl::StatusCode::kInternal,
                                  "Ed25519 signing failed");
  }
  return signature;
}

absl::StatusOr<std::unique_ptr<Ed25519Verifier>> Ed25519Verifier::New(
    absl::string_view public_key) {
  if (public_key.size() != Ed25519Signer::kPublicKeySize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Ed25519 public key must be ", Ed25519Signer::kPublicKeySize,
        " bytes, got ", public_key.size()));
  }
  internal::PkeyPtr key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, Bytes(public_key), public_key.size()));
  if (key == nullptr) {
    return internal::OpenSslError(absl::StatusCode::kInvalidArgument,
                                  "cannot load the Ed25519 public key");
  }
  return std::unique_ptr<Ed25519Verifier>(
      new Ed25519Verifier(std::move(key), std::string(public_key)));
}

absl::Status Ed25519Verifier::Verify(absl::string_view signature,
                                     absl::string_view message) const {
  if (signature.size() != Ed25519Signer::kSignatureSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Ed25519 signature must be ", Ed25519Signer::kSignatureSize,
        " bytes, got ", signature.size()));
  }
  internal::MdCtxPtr ctx(EVP_MD_CTX_new());
  if (ctx == nullptr || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr,
                                             nullptr, key_.get()) != 1) {
    return internal::OpenSslError(absl::StatusCode::kInternal,
                                  "cannot start an Ed25519 verification");
  }
  int rc = EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(),
                            Bytes(message), message.size());
  if (rc == 1) return absl::OkStatus();
  // 0 is a signature that does not verify; OpenSSL 3 also reports some
  // malformed signatures (S out of range, R not on the curve) as a negative
  // value with an error queued. Both mean "not signed by this key".
  internal::ClearOpenSslErrors();
  return absl::UnauthenticatedError("Ed25519 signature does not verify");
}

}  // namespace resguardo::crypto
