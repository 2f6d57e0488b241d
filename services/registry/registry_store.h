// RegistryStore: the registry of sanctioned persons (RegistryService,
// proto/resguardo/v1/registry_service.proto): inscription of a final
// resolution's sanctioned person, delisting (by a court order, or by the
// node when the term ends), the institution's list, the node-wide search and
// the entries in force for the public export (registry_export.h). The
// domain logic under RegistryService; no gRPC here.
//
// Each operation runs in the caller's store transaction and takes the
// caller's auth::Principal (the server checked the role × method table) and
// the v1 request, validates it first (registry_validator.h) and returns v1
// messages. Every write makes all its checks before its first change
// (store::Database::Isolation::kChecksFirst).
//
// Scoping. Inscribe and DelistRegistryEntry act on the caller's own
// institution only: a case or an entry of another institution is NOT_FOUND
// with the same message as one that does not exist. ListRegistryEntries,
// SearchRegistry and ExportRegistry take the caller's own institution as
// parent (PERMISSION_DENIED otherwise). The search and the export read
// every institution's entries in force, public fields only: never the
// sanctioned_person link, which is the way to a case.
//
// The person's name. It is personal data until inscription: Inscribe reads
// it from the case's sealed personal data (the supervisor chooses which
// aggressor, CaseStore::ReadForInscription), which makes Inscribe a read of
// sealed data for the audit (purpose LEGAL_PROCEEDING). Stored, it is sealed
// under a data key of the entry (internal/registry_row.h); the search
// compares names normalised as the person key does (cases::NormaliseName).
//
// The case's status. The first inscription moves the case to REGISTERED,
// where it stays while any of its entries is in force (case_transitions.h:
// no update moves it out), and the end of its last entry in force to
// DELISTED when it is REGISTERED (CaseStore::SetRegistryStatus: a move by
// the node, bumping the case's version).
//
// Audit (for the server's per-call wrapper): the resource is the returned
// entry's name (Inscribe: the case on failure), request.name for
// DelistRegistryEntry, request.parent for the others; SearchRegistry's note
// is "registry:search" and never holds the terms. The node's own delisting
// (DelistEnded) appends its entry itself, actor kNodeActor.
//
// Errors never contain personal data. Thread safety: thread-safe.
// Ownership: the Directory, the CaseStore and the clock are borrowed and
// must outlive the RegistryStore.
#ifndef RESGUARDO_SERVICES_REGISTRY_REGISTRY_STORE_H_
#define RESGUARDO_SERVICES_REGISTRY_REGISTRY_STORE_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "resguardo/v1/registry_service.pb.h"
#include "services/admin/directory.h"
#include "services/audit/audit_log.h"
#include "services/auth/access_policy.h"
#include "services/cases/case_store.h"
#include "services/store/transaction.h"

namespace resguardo::registry {

class RegistryStore {
 public:
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 500;
  // The actor of the audit entries of the node's own acts.
  static constexpr char kNodeActor[] = "node";
  static constexpr char kDelistMethod[] =
      "/resguardo.v1.RegistryService/DelistRegistryEntry";
  static constexpr char kSearchNote[] = "registry:search";
  static constexpr char kTermEndedNote[] = "node:term-ended";

  // INVALID_ARGUMENT for a null argument.
  static absl::StatusOr<std::unique_ptr<RegistryStore>> New(
      admin::Directory* directory, cases::CaseStore* cases, const Clock* clock);

  RegistryStore(const RegistryStore&) = delete;
  RegistryStore& operator=(const RegistryStore&) = delete;

  // See RegistryService.Inscribe. FAILED_PRECONDITION (api::ErrorId
  // kRegistryCaseNotFinal, kRegistryResolutionNotFinal,
  // kRegistryNoInscriptionOrdered, kRegistryAlreadyInscribed, and the
  // case's erased data); INVALID_ARGUMENT on "entry.start_date" before the
  // final date and on "aggressor_index". request_id as CreateCase's.
  absl::StatusOr<v1::RegistryEntry> Inscribe(
      store::WriteTxn& txn, const auth::Principal& caller,
      const v1::InscribeRequest& request);

  absl::StatusOr<v1::ListRegistryEntriesResponse> ListRegistryEntries(
      store::ReadTxn& txn, const auth::Principal& caller,
      const v1::ListRegistryEntriesRequest& request) const;

  absl::StatusOr<v1::SearchRegistryResponse> SearchRegistry(
      store::ReadTxn& txn, const auth::Principal& caller,
      const v1::SearchRegistryRequest& request) const;

  // Early delisting by a court order. ABORTED for a stale etag;
  // FAILED_PRECONDITION kRegistryEntryDelisted; INVALID_ARGUMENT on
  // "order_date" before the entry's start.
  absl::StatusOr<v1::RegistryEntry> DelistRegistryEntry(
      store::WriteTxn& txn, const auth::Principal& caller,
      const v1::DelistRegistryEntryRequest& request);

  // Every entry in force of the node (public fields, no link), in
  // inscription order. PERMISSION_DENIED for a parent other than the
  // caller's institution.
  absl::StatusOr<std::vector<v1::RegistryEntry>> EntriesInForce(
      store::ReadTxn& txn, const auth::Principal& caller,
      const v1::ExportRegistryRequest& request) const;

  // The node's pass (DeadlineMonitor::AddPass): delists every entry in
  // force whose end_date is the clock's UTC day or earlier — an alert
  // REGISTRY_DELISTED to its institution and an audit entry (actor
  // kNodeActor, note kTermEndedNote) each, in `txn` — and moves the
  // REGISTERED cases left without an entry in force to DELISTED. Returns
  // how many it delisted. The store's errors.
  absl::StatusOr<int> DelistEnded(store::WriteTxn& txn,
                                  const audit::AuditLog& audit) const;

 private:
  RegistryStore(admin::Directory* directory, cases::CaseStore* cases,
                const Clock* clock)
      : directory_(directory), cases_(cases), clock_(clock) {}

  admin::Directory* const directory_;
  cases::CaseStore* const cases_;
  const Clock* const clock_;
};

}  // namespace resguardo::registry

#endif  // RESGUARDO_SERVICES_REGISTRY_REGISTRY_STORE_H_
