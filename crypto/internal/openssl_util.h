// RAII handles for OpenSSL objects and the conversion of OpenSSL's error
// queue into an absl::Status. Internal to crypto/.
#ifndef RESGUARDO_CRYPTO_INTERNAL_OPENSSL_UTIL_H_
#define RESGUARDO_CRYPTO_INTERNAL_OPENSSL_UTIL_H_

#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <memory>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace resguardo::crypto::internal {

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); }
};
struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct KdfDeleter {
  void operator()(EVP_KDF* p) const { EVP_KDF_free(p); }
};
struct KdfCtxDeleter {
  void operator()(EVP_KDF_CTX* p) const { EVP_KDF_CTX_free(p); }
};

using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;
using KdfPtr = std::unique_ptr<EVP_KDF, KdfDeleter>;
using KdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, KdfCtxDeleter>;

// Drains OpenSSL's thread-local error queue and returns a status with `code`,
// whose message is `what` followed by OpenSSL's reasons. OpenSSL's reasons
// name algorithms and failures, never key or data bytes.
absl::Status OpenSslError(absl::StatusCode code, absl::string_view what);

// Discards whatever OpenSSL left in this thread's error queue (after an
// expected failure such as a tag mismatch).
void ClearOpenSslErrors();

}  // namespace resguardo::crypto::internal

#endif  // RESGUARDO_CRYPTO_INTERNAL_OPENSSL_UTIL_H_
