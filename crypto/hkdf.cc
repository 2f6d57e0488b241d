#include "crypto/hkdf.h"

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "crypto/internal/openssl_util.h"

namespace resguardo::crypto {
namespace {

// OSSL_PARAM wants non-const pointers even for inputs it only reads.
void* Mutable(absl::string_view s) { return const_cast<char*>(s.data()); }

}  // namespace

absl::StatusOr<SecretData> HkdfSha256(const SecretData& ikm,
                                      absl::string_view salt,
                                      absl::string_view info, size_t out_len) {
  if (out_len == 0 || out_len > kHkdfSha256MaxOutputSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("HKDF-SHA-256 output size must be in [1, ",
                     kHkdfSha256MaxOutputSize, "], got ", out_len));
  }
  if (info.size() > kHkdfMaxInfoSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("HKDF info must be at most ", kHkdfMaxInfoSize,
                     " bytes, got ", info.size()));
  }
  internal::KdfPtr kdf(EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_HKDF, nullptr));
  if (kdf == nullptr) {
    return internal::OpenSslError(absl::StatusCode::kInternal,
                                  "HKDF is not available");
  }
  internal::KdfCtxPtr ctx(EVP_KDF_CTX_new(kdf.get()));
  if (ctx == nullptr) {
    return internal::OpenSslError(absl::StatusCode::kInternal,
                                  "HKDF context allocation failed");
  }
  char digest[] = "SHA256";
  // An empty ikm still needs a non-null pointer.
  static const char kEmpty[1] = {0};
  absl::string_view key = ikm.UnsafeRawBytes();
  if (key.empty()) key = absl::string_view(kEmpty, 0);
  OSSL_PARAM params[5];
  int n = 0;
  params[n++] =
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
                                                  Mutable(key), key.size());
  // Absent salt: OpenSSL uses HashLen zero bytes, as RFC 5869 says.
  if (!salt.empty()) {
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
                                                    Mutable(salt), salt.size());
  }
  if (!info.empty()) {
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
                                                    Mutable(info), info.size());
  }
  params[n] = OSSL_PARAM_construct_end();
  SecretData out(std::string(out_len, '\0'));
  if (EVP_KDF_derive(ctx.get(), out.UnsafeMutableData(), out_len, params) !=
      1) {
    return internal::OpenSslError(absl::StatusCode::kInternal,
                                  "HKDF-SHA-256 derivation failed");
  }
  return out;
}

}  // namespace resguardo::crypto
