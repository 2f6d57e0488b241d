#include "services/server/registry_service.h"

#include <optional>
#include <string>
#include <vector>

#include "base/status_macros.h"
#include "services/registry/registry_export.h"
#include "services/registry/registry_store.h"
#include "services/registry/registry_validator.h"

namespace resguardo::server {
namespace {

constexpr char kInscribe[] = "/resguardo.v1.RegistryService/Inscribe";
constexpr char kListRegistryEntries[] =
    "/resguardo.v1.RegistryService/ListRegistryEntries";
constexpr char kSearchRegistry[] =
    "/resguardo.v1.RegistryService/SearchRegistry";
constexpr char kDelistRegistryEntry[] =
    "/resguardo.v1.RegistryService/DelistRegistryEntry";
constexpr char kExportRegistry[] =
    "/resguardo.v1.RegistryService/ExportRegistry";

using store::ReadTxn;
using store::WriteTxn;
using Caller = const auth::Principal&;

}  // namespace

RegistryService::RegistryService(CallRunner* runner, MethodTable* methods,
                                 registry::RegistryStore* registry,
                                 const registry::RegistryPublisher* publisher)
    : runner_(runner), registry_(registry), publisher_(publisher) {
  methods->Unary(kInscribe, this, &RegistryService::Inscribe);
  methods->Unary(kListRegistryEntries, this,
                 &RegistryService::ListRegistryEntries);
  methods->Unary(kSearchRegistry, this, &RegistryService::SearchRegistry);
  methods->Unary(kDelistRegistryEntry, this,
                 &RegistryService::DelistRegistryEntry);
  methods->Unary(kExportRegistry, this, &RegistryService::ExportRegistry);
}

void RegistryService::Inscribe(CallRunner::Handle call,
                               const v1::InscribeRequest* request,
                               v1::RegistryEntry* response) {
  // The case on failure (the sanctioned person's own name is deeper than
  // an audited resource goes); the new entry on success.
  AuditFacts facts{
      registry::CaseOfSanctionedPerson(request->sanctioned_person())
          .value_or("")};
  facts.purpose = v1::ACCESS_PURPOSE_LEGAL_PROCEEDING;
  runner_->Write(
      std::move(call), std::move(facts), response,
      [this, request](WriteTxn& txn, Caller caller,
                      AuditFacts& audit) -> absl::StatusOr<v1::RegistryEntry> {
        ASSIGN_OR_RETURN(v1::RegistryEntry entry,
                         registry_->Inscribe(txn, caller, *request));
        audit.resource = entry.name();
        return entry;
      });
}

void RegistryService::ListRegistryEntries(
    CallRunner::Handle call, const v1::ListRegistryEntriesRequest* request,
    v1::ListRegistryEntriesResponse* response) {
  runner_->Read(std::move(call), {request->parent()}, response,
                [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
                  return registry_->ListRegistryEntries(txn, caller, *request);
                });
}

void RegistryService::SearchRegistry(CallRunner::Handle call,
                                     const v1::SearchRegistryRequest* request,
                                     v1::SearchRegistryResponse* response) {
  AuditFacts facts{request->parent()};
  facts.note = registry::RegistryStore::kSearchNote;
  runner_->Read(std::move(call), std::move(facts), response,
                [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
                  return registry_->SearchRegistry(txn, caller, *request);
                });
}

void RegistryService::DelistRegistryEntry(
    CallRunner::Handle call, const v1::DelistRegistryEntryRequest* request,
    v1::RegistryEntry* response) {
  runner_->Write(std::move(call), {request->name()}, response,
                 [this, request](WriteTxn& txn, Caller caller, AuditFacts&) {
                   return registry_->DelistRegistryEntry(txn, caller, *request);
                 });
}

void RegistryService::ExportRegistry(CallRunner::Handle call,
                                     const v1::ExportRegistryRequest* request,
                                     v1::RegistryExport* response) {
  runner_->Read(
      std::move(call), {request->parent()}, response,
      [this, request](ReadTxn& txn, Caller caller,
                      AuditFacts&) -> absl::StatusOr<v1::RegistryExport> {
        ASSIGN_OR_RETURN(std::vector<v1::RegistryEntry> entries,
                         registry_->EntriesInForce(txn, caller, *request));
        return publisher_->Publish(entries);
      });
}

}  // namespace resguardo::server
