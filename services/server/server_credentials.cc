#include "services/server/server_credentials.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_credentials_options.h"
#include "openssl/bio.h"
#include "openssl/crypto.h"
#include "openssl/err.h"
#include "openssl/evp.h"
#include "openssl/pem.h"
#include "openssl/x509.h"
#include "resguardo/config/v1/node_config.pb.h"
#include "services/server/tls_policy.h"

namespace resguardo::server {
namespace {

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

// A string wiped on destruction, for the private key's PEM.
class WipedString {
 public:
  WipedString() = default;
  WipedString(const WipedString&) = delete;
  WipedString& operator=(const WipedString&) = delete;
  ~WipedString() { OPENSSL_cleanse(value.data(), value.size()); }
  std::string value;
};

absl::Status ReadFile(absl::string_view field, const std::string& path,
                      std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int error = errno;
    std::string message =
        absl::StrCat(field, ": cannot read ", path, ": ", std::strerror(error));
    if (error == EACCES) return absl::PermissionDeniedError(message);
    return absl::NotFoundError(message);
  }
  std::ostringstream text;
  text << in.rdbuf();
  *out = text.str();
  return absl::OkStatus();
}

// Every certificate in `pem`; FAILED_PRECONDITION if there is none.
absl::StatusOr<std::vector<X509Ptr>> ParseCertificates(absl::string_view field,
                                                       const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  std::vector<X509Ptr> certs;
  while (true) {
    X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
    if (cert == nullptr) break;
    certs.emplace_back(cert);
  }
  ERR_clear_error();  // the read that ends the loop leaves an error behind
  if (certs.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": no PEM certificate in the file"));
  }
  return certs;
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> NewServerCredentials(
    const config::v1::TlsConfig& tls) {
  RETURN_IF_ERROR(CheckTls13Only());
  // The node's TLS key is as private as its master key file: no permission
  // for group or others (checked before the key is read).
  struct stat st;
  if (stat(tls.server_key_file().c_str(), &st) == 0 &&
      (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("tls.server_key_file: ", tls.server_key_file(),
                     " is open to group or others; chmod 600 it"));
  }
  std::string cert_chain;
  std::string client_ca;
  WipedString key;
  RETURN_IF_ERROR(
      ReadFile("tls.server_cert_file", tls.server_cert_file(), &cert_chain));
  RETURN_IF_ERROR(
      ReadFile("tls.server_key_file", tls.server_key_file(), &key.value));
  RETURN_IF_ERROR(
      ReadFile("tls.client_ca_file", tls.client_ca_file(), &client_ca));

  ASSIGN_OR_RETURN(std::vector<X509Ptr> chain,
                   ParseCertificates("tls.server_cert_file", cert_chain));
  ASSIGN_OR_RETURN(std::vector<X509Ptr> cas,
                   ParseCertificates("tls.client_ca_file", client_ca));
  {
    BioPtr bio(
        BIO_new_mem_buf(key.value.data(), static_cast<int>(key.value.size())));
    PkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    ERR_clear_error();
    if (pkey == nullptr) {
      return absl::FailedPreconditionError(
          "tls.server_key_file: no unencrypted PEM private key in the file");
    }
    if (X509_check_private_key(chain.front().get(), pkey.get()) != 1) {
      ERR_clear_error();
      return absl::FailedPreconditionError(
          "tls.server_key_file: the key does not match the certificate of "
          "tls.server_cert_file");
    }
  }

  std::vector<grpc::experimental::IdentityKeyCertPair> identity = {
      {key.value, cert_chain}};
  auto provider =
      std::make_shared<grpc::experimental::StaticDataCertificateProvider>(
          client_ca, identity);
  for (auto& pair : identity) {
    OPENSSL_cleanse(pair.private_key.data(), pair.private_key.size());
  }
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_root_certs();
  options.watch_identity_key_cert_pairs();
  options.set_cert_request_type(
      GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  std::shared_ptr<grpc::ServerCredentials> credentials =
      grpc::experimental::TlsServerCredentials(options);
  if (credentials == nullptr) {
    return absl::InternalError("gRPC refused the node's TLS credentials");
  }
  return credentials;
}

}  // namespace resguardo::server
