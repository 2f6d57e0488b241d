// The node's TLS version floor: TLS 1.3 only (DESIGN.md §4).
//
// gRPC 1.51's C++ API has no minimum-version setting, and gRPC's own TLS
// code calls SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) on every
// context it makes, so a MinProtocol set from outside is overwritten. What
// gRPC does not touch are a context's SSL_OP_NO_TLSv1_2 (and lower) options,
// which OpenSSL applies to every new SSL_CTX from the `system_default`
// section of its `ssl_conf` configuration module. InstallTls13Only loads
// such a section into OpenSSL's default library context:
//
//   - every command of the system configuration's own system_default
//     section (and its other ssl_conf sections), re-emitted as they were, so
//     the host's cipher strings, security level, groups and the like stay in
//     force;
//   - after them: MinProtocol = TLSv1.3 and Protocol = -SSLv3, -TLSv1,
//     -TLSv1.1, -TLSv1.2 (the latter is what survives gRPC's own min-version
//     call).
//
// Then it checks the result on fresh contexts, and fails closed
// (FAILED_PRECONDITION) instead of serving with a weaker policy: the
// re-emitted system section must give the same security level, options,
// versions, cipher list and verify mode as OpenSSL's own loading of the
// system file did; adding the floor must change only the versions; and the
// floor must survive SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION).
//
// The floor applies to every TLS context the process creates afterwards,
// server or client. resguardod installs it at the start of `serve`; it
// opens no TLS connection of its own. The CLI and other clients do not
// install it (they talk to a node that refuses anything below TLS 1.3, and
// TLS 1.3's downgrade protection keeps a man in the middle from pushing a
// connection lower).
//
// Thread safety: InstallTls13Only replaces OpenSSL's process-wide ssl_conf
// state without a lock. REQUIRES: it runs before any thread may create an
// SSL_CTX (first thing in main). CheckTls13Only is thread-safe.
#ifndef RESGUARDO_SERVICES_SERVER_TLS_POLICY_H_
#define RESGUARDO_SERVICES_SERVER_TLS_POLICY_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace resguardo::server {

// What InstallTls13Only found and kept, for the start-up log.
struct TlsPolicyReport {
  // The OpenSSL configuration file whose ssl_conf sections were kept.
  std::string system_config_file;
  // Whether that file had a system_default section (else only OpenSSL's
  // built-in defaults were in force, and still are besides the floor).
  bool system_section_kept = false;
};

// Installs the floor on top of OpenSSL's default configuration file (the
// OPENSSL_CONF environment variable, else OPENSSLDIR/openssl.cnf). Call it
// once per process. Errors (FAILED_PRECONDITION, naming the file): the file
// exists but does not parse, a section OpenSSL would not load, or any check
// above fails.
absl::StatusOr<TlsPolicyReport> InstallTls13Only();

// As above with `system_config_file` standing for the system configuration
// (tests). Skips the comparison with what OpenSSL itself loaded, which is
// only meaningful for the default file. A missing file means no system
// section.
absl::StatusOr<TlsPolicyReport> InstallTls13Only(
    absl::string_view system_config_file);

// OK if a new SSL_CTX of this process refuses every version below TLS 1.3
// even after gRPC's SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
// FAILED_PRECONDITION otherwise.
absl::Status CheckTls13Only();

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_TLS_POLICY_H_
