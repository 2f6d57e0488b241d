#include "services/server/publication_key.h"

#include <memory>

#include "base/clock.h"
#include "base/status_macros.h"
#include "crypto/file_key_provider.h"
#include "services/registry/registry_export.h"
#include "services/server/internal/offline_store.h"

namespace resguardo::server {

absl::StatusOr<PublicationKeyReport> ShowPublicationKey(
    const config::v1::NodeConfig& config) {
  ASSIGN_OR_RETURN(std::unique_ptr<crypto::FileKeyProvider> keys,
                   internal::OpenOfflineKeys(config));
  ASSIGN_OR_RETURN(
      std::unique_ptr<registry::RegistryPublisher> publisher,
      registry::RegistryPublisher::New(
          *keys, registry::PublicationOrigin(config.trust_domain()),
          Clock::Real()));
  return PublicationKeyReport{publisher->origin(), publisher->VerifierKey()};
}

}  // namespace resguardo::server
