// The node's publication key, for the operator (resguardod
// publication-key): the Ed25519 key that signs the public exports of the
// registry of sanctioned persons (registry/registry_export.h), derived from
// the master key (KeyPurpose::kPublication) and distinct from the audit
// log's signing key. The institution distributes its verifier key so that
// any reader can check an export offline (resguardo registry verify).
//
// Needs only the key file: the node may be running. Errors: as Node::Start
// for the key file. Thread-compatible.
#ifndef RESGUARDO_SERVICES_SERVER_PUBLICATION_KEY_H_
#define RESGUARDO_SERVICES_SERVER_PUBLICATION_KEY_H_

#include <string>

#include "absl/status/statusor.h"
#include "resguardo/config/v1/node_config.pb.h"

namespace resguardo::server {

struct PublicationKeyReport {
  // "<trust domain>/registry", also the key's name.
  std::string origin;
  // The C2SP verifier key "<origin>+<hex id>+<base64>".
  std::string verifier_key;
};

absl::StatusOr<PublicationKeyReport> ShowPublicationKey(
    const config::v1::NodeConfig& config);

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_PUBLICATION_KEY_H_
