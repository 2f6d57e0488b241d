// The node's mTLS server credentials, from the files named in the
// configuration's TlsConfig.
//
// Client certificates are requested, required and verified against
// client_ca_file (GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
// through grpc::experimental::TlsServerCredentials): a client without a
// certificate, or with one from another CA, fails the handshake and never
// reaches a handler. The verified certificate's URI SAN is the call's
// peer_spiffe_id (call_runner.h).
//
// TLS version: TLS 1.3 only. gRPC 1.51's C++ API has no setting for the
// minimum TLS version, so the floor is a process-wide OpenSSL policy
// (tls_policy.h) that resguardod installs before anything makes a TLS
// context; NewServerCredentials refuses (FAILED_PRECONDITION) to make
// credentials in a process where it is not in force.
//
// The files are checked here, at start-up, so that a wrong path or a key
// that does not match its certificate stops the node with a message naming
// the configuration field, instead of failing every handshake later. The
// private key's bytes are wiped from this process's copies once gRPC has
// its own; no message contains them.
//
// Thread-safe.
#ifndef RESGUARDO_SERVICES_SERVER_SERVER_CREDENTIALS_H_
#define RESGUARDO_SERVICES_SERVER_SERVER_CREDENTIALS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "grpcpp/security/server_credentials.h"

namespace resguardo::config::v1 {
class TlsConfig;
}  // namespace resguardo::config::v1

namespace resguardo::server {

// Errors (each naming the field, e.g. "tls.server_key_file"):
//   NOT_FOUND / PERMISSION_DENIED  a file cannot be read;
//   FAILED_PRECONDITION            not PEM, no certificate, a key that does
//                                  not match the certificate, a key file
//                                  readable or writable by others; or the
//                                  TLS 1.3 floor is not installed
//                                  (CheckTls13Only, message "tls: ...").
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> NewServerCredentials(
    const config::v1::TlsConfig& tls);

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_SERVER_CREDENTIALS_H_
