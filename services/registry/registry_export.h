// The public export of the registry of sanctioned persons
// (RegistryService.ExportRegistry): the entries in force as CSV and JSON in
// the shape INE publishes its registry — a column per public field, Spanish
// headers, Spanish labels of the catalogues, ISO 8601 dates (YYYY-MM-DD)
// and terms (P2Y9M0D) — and a signed note (crypto/publication_note.h)
// that vouches for the SHA-256 of both files, signed with the node's
// publication key (KeyPurpose::kPublication; its own key, not the audit
// log's), whose key name is the publication origin
// "<trust domain>/registry".
//
// The columns, in order (kColumns): nombre, sexo, cargo, candidatura,
// ambito_territorial, entidad, autoridad_sancionadora, expediente,
// conductas, calificacion, reincidencia, sanciones, temporalidad,
// fecha_inicio, fecha_fin, categoria_interseccional_victima. Lists inside a
// cell are joined with "; ". Nothing else of an entry is published: not its
// resource name, not its case.
//
// Thread safety: thread-safe (immutable). Ownership: the clock is borrowed.
#ifndef RESGUARDO_SERVICES_REGISTRY_REGISTRY_EXPORT_H_
#define RESGUARDO_SERVICES_REGISTRY_REGISTRY_EXPORT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "base/clock.h"
#include "crypto/key_provider.h"
#include "crypto/signed_note.h"
#include "resguardo/v1/registry_service.pb.h"

namespace resguardo::registry {

// The CSV header and JSON keys, in order.
extern const char* const kColumns[16];

// The publication origin (and key name) of a node of `trust_domain`.
std::string PublicationOrigin(absl::string_view trust_domain);

// The files (each entry's public fields only).
std::string RenderCsv(absl::Span<const v1::RegistryEntry> entries);
std::string RenderJson(absl::Span<const v1::RegistryEntry> entries);

class RegistryPublisher {
 public:
  // The signer of `origin` from the provider's kPublication key
  // (generation 1). The provider's errors; INVALID_ARGUMENT for a null
  // clock or an origin that cannot be a key name.
  static absl::StatusOr<std::unique_ptr<RegistryPublisher>> New(
      const crypto::KeyProvider& keys, absl::string_view origin,
      const Clock* clock);

  const std::string& origin() const { return signer_->name(); }
  // The C2SP verifier key readers need ("<origin>+<id>+<key>").
  std::string VerifierKey() const { return signer_->VerifierKey(); }

  // The export of `entries`, signed now.
  absl::StatusOr<v1::RegistryExport> Publish(
      absl::Span<const v1::RegistryEntry> entries) const;

 private:
  RegistryPublisher(std::unique_ptr<crypto::NoteSigner> signer,
                    const Clock* clock)
      : signer_(std::move(signer)), clock_(clock) {}

  const std::unique_ptr<crypto::NoteSigner> signer_;
  const Clock* const clock_;
};

}  // namespace resguardo::registry

#endif  // RESGUARDO_SERVICES_REGISTRY_REGISTRY_EXPORT_H_
