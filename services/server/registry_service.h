// RegistryService: the handlers of resguardo.v1.RegistryService (the
// registry of sanctioned persons). Each handler names its method and audit
// facts and hands the domain operation (registry::RegistryStore, and the
// registry::RegistryPublisher for the export) to the CallRunner, which
// authenticates, authorises, audits, converts the status and logs
// (call_runner.h). No logic here.
//
// Audit facts: Inscribe is a read of the case's sealed data (the
// sanctioned person's name) and is recorded with purpose LEGAL_PROCEEDING;
// SearchRegistry is recorded with note "registry:search" and never its
// terms.
//
// Thread safety: thread-safe. Ownership: borrows the CallRunner, the
// RegistryStore and the RegistryPublisher, which must outlive the
// transports that serve this service.
#ifndef RESGUARDO_SERVICES_SERVER_REGISTRY_SERVICE_H_
#define RESGUARDO_SERVICES_SERVER_REGISTRY_SERVICE_H_

#include "resguardo/v1/registry_service.pb.h"
#include "services/server/call_runner.h"
#include "services/server/method_table.h"

namespace resguardo::registry {
class RegistryStore;
class RegistryPublisher;
}  // namespace resguardo::registry

namespace resguardo::server {

class RegistryService final {
 public:
  RegistryService(CallRunner* runner, MethodTable* methods,
                  registry::RegistryStore* registry,
                  const registry::RegistryPublisher* publisher);

  void Inscribe(CallRunner::Handle call, const v1::InscribeRequest* request,
                v1::RegistryEntry* response);
  void ListRegistryEntries(CallRunner::Handle call,
                           const v1::ListRegistryEntriesRequest* request,
                           v1::ListRegistryEntriesResponse* response);
  void SearchRegistry(CallRunner::Handle call,
                      const v1::SearchRegistryRequest* request,
                      v1::SearchRegistryResponse* response);
  void DelistRegistryEntry(CallRunner::Handle call,
                           const v1::DelistRegistryEntryRequest* request,
                           v1::RegistryEntry* response);
  void ExportRegistry(CallRunner::Handle call,
                      const v1::ExportRegistryRequest* request,
                      v1::RegistryExport* response);

 private:
  CallRunner* const runner_;
  registry::RegistryStore* const registry_;
  const registry::RegistryPublisher* const publisher_;
};

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_REGISTRY_SERVICE_H_
