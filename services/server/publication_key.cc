#include "services/server/publication_key.h"

#include <memory>

#include "base/clock.h"
#include "base/status_macros.h"
#include "services/registry/registry_export.h"
#include "services/server/internal/node_keys.h"

namespace resguardo::server {

absl::StatusOr<PublicationKeyReport> ShowPublicationKey(
    const config::v1::NodeConfig& config) {
  // Read only, as audit-key: may run as root and changes nothing.
  ASSIGN_OR_RETURN(internal::NodeKeys keys,
                   internal::OpenNodeKeys(config, internal::Write::kNo));
  ASSIGN_OR_RETURN(
      std::unique_ptr<registry::RegistryPublisher> publisher,
      registry::RegistryPublisher::New(
          *keys.keys, registry::PublicationOrigin(config.trust_domain()),
          Clock::Real()));
  return PublicationKeyReport{publisher->origin(), publisher->VerifierKey()};
}

}  // namespace resguardo::server
