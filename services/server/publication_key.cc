#include "services/server/publication_key.h"

#include <algorithm>
#include <memory>

#include "base/clock.h"
#include "base/status_macros.h"
#include "crypto/file_key_provider.h"
#include "services/registry/registry_export.h"
#include "services/server/internal/node_keys.h"

namespace resguardo::server {

absl::StatusOr<PublicationKeyReport> ShowPublicationKey(
    const config::v1::NodeConfig& config) {
  ASSIGN_OR_RETURN(internal::NodeKeys keys,
                   internal::OpenNodeKeys(config, internal::Write::kNo));
  // Read-only, a key the key set does not hold yet would be made up in
  // memory: printing it would publish a key the node never signs with.
  for (const char* event : {"key_set_created", "keys_added"}) {
    if (std::find(keys.events.begin(), keys.events.end(), event) !=
        keys.events.end()) {
      return absl::FailedPreconditionError(
          "el nodo aún no guarda su clave de publicación: arránquelo una vez "
          "(resguardod serve) / the node does not hold its publication key "
          "yet: start it once (resguardod serve)");
    }
  }
  ASSIGN_OR_RETURN(
      std::unique_ptr<registry::RegistryPublisher> publisher,
      registry::RegistryPublisher::New(
          *keys.keys, registry::PublicationOrigin(config.trust_domain()),
          Clock::Real()));
  return PublicationKeyReport{publisher->origin(), publisher->VerifierKey()};
}

}  // namespace resguardo::server
