// AuditReader: the domain operations of resguardo.v1.AuditService (see
// proto/resguardo/v1/audit_service.proto for the contract and the scoping
// rules), over the stored log and the Checkpointer's tree.
//
// Scoping: an auditor sees an entry if its institution (the caller's
// institution at the time of the call) is hers, or its resource is
// "institutions/{hers}" or under it; an auditor of an institution of kind
// OVERSIGHT sees every entry. An entry she may not see is NOT_FOUND (as one
// that does not exist). ExportLog (the whole log) is for oversight auditors
// only (PERMISSION_DENIED otherwise).
//
// Errors: INVALID_ARGUMENT with field violations for a bad request,
// OUT_OF_RANGE for a tree size beyond the log, the store's errors.
//
// Thread safety: thread-safe. Ownership: the checkpointer is borrowed.
#ifndef RESGUARDO_SERVICES_AUDIT_AUDIT_READER_H_
#define RESGUARDO_SERVICES_AUDIT_AUDIT_READER_H_

#include "absl/status/statusor.h"
#include "resguardo/v1/audit_service.pb.h"
#include "services/audit/checkpointer.h"
#include "services/auth/access_policy.h"
#include "services/store/transaction.h"

namespace resguardo::audit {

class AuditReader {
 public:
  explicit AuditReader(Checkpointer* checkpointer)
      : checkpointer_(checkpointer) {}

  absl::StatusOr<v1::GetCheckpointResponse> GetCheckpoint(
      store::ReadTxn& txn, const auth::Principal& caller,
      const v1::GetCheckpointRequest& request) const;
  absl::StatusOr<v1::ListEntriesResponse> ListEntries(
      store::ReadTxn& txn, const auth::Principal& caller,
      const v1::ListEntriesRequest& request) const;
  absl::StatusOr<v1::GetInclusionProofResponse> GetInclusionProof(
      store::ReadTxn& txn, const auth::Principal& caller,
      const v1::GetInclusionProofRequest& request) const;
  absl::StatusOr<v1::GetConsistencyProofResponse> GetConsistencyProof(
      store::ReadTxn& txn, const auth::Principal& caller,
      const v1::GetConsistencyProofRequest& request) const;
  absl::StatusOr<v1::ExportLogResponse> ExportLog(
      store::ReadTxn& txn, const auth::Principal& caller,
      const v1::ExportLogRequest& request) const;

  // The wire form of a stored checkpoint.
  static v1::SignedCheckpoint ToProto(const SignedCheckpoint& checkpoint);

 private:
  Checkpointer* const checkpointer_;
};

}  // namespace resguardo::audit

#endif  // RESGUARDO_SERVICES_AUDIT_AUDIT_READER_H_
