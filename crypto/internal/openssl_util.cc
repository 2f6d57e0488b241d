#include "crypto/internal/openssl_util.h"

#include <openssl/err.h>

#include <string>

#include "absl/strings/str_cat.h"

namespace resguardo::crypto::internal {

absl::Status OpenSslError(absl::StatusCode code, absl::string_view what) {
  std::string message(what);
  unsigned long err;  // NOLINT(runtime/int): OpenSSL's type.
  bool first = true;
  while ((err = ERR_get_error()) != 0) {
    char buf[256];
    ERR_error_string_n(err, buf, sizeof(buf));
    absl::StrAppend(&message, first ? " (OpenSSL: " : "; ", buf);
    first = false;
  }
  if (!first) message += ")";
  return absl::Status(code, message);
}

void ClearOpenSslErrors() { ERR_clear_error(); }

}  // namespace resguardo::crypto::internal
