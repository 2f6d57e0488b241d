// RequestIds: the idempotency keys of the node's create methods (AIP-155):
// CreateCase, AddFollowUp, AddProtectionMeasure and CreateReferral take an
// optional `request_id`.
//
// A request id belongs to the user who sent it: (institution, user,
// request_id) names one request. A retry — the same user, method and
// content — gets the resource the first request made; a colleague's request
// with the same id is another request; the same user's id reused for
// another request (other content or another method) is INVALID_ARGUMENT
// naming `request_id` (ErrorId::kRequestIdReused), so that a complaint is never
// silently answered with somebody else's case.
//
// "The same content" is a keyed fingerprint: HMAC-SHA-256 under the node's
// request-fingerprint key (KeyPurpose::kRequestFingerprint) of the
// method and the request's deterministic serialization. Keyed, because a
// request holds personal data: whoever holds the database key alone cannot
// test a guess of a follow-up's notes against it.
//
// Rows live in the `request_ids` table (node_schema.cc) and are written in
// the transaction of the resource they name.
//
// Thread-safe (const after New).
#ifndef RESGUARDO_SERVICES_CASES_REQUEST_IDS_H_
#define RESGUARDO_SERVICES_CASES_REQUEST_IDS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "crypto/key_provider.h"
#include "crypto/secret_data.h"
#include "google/protobuf/message.h"
#include "services/auth/access_policy.h"
#include "services/store/transaction.h"

namespace resguardo::cases {

// The description of the request_id field violation of a reused id.
class RequestIds {
 public:
  // What Find learnt of a request; pass it to Record.
  struct Use {
    // Empty when the request has no request id: nothing to look up or
    // record.
    std::string request_id;
    std::string method;
    std::string fingerprint;
    // The resource the first request with this id made; empty if none.
    std::string resource;
  };

  // Derives KeyPurpose::kRequestFingerprint (generation 1). The provider's
  // errors.
  static absl::StatusOr<std::unique_ptr<RequestIds>> New(
      const crypto::KeyProvider& keys);

  // Looks up `request_id` (may be empty) of `caller` for `method` (the RPC
  // name, e.g. "CreateCase") and `request`. Returns the Use (its resource
  // set on a retry of the same request); INVALID_ARGUMENT naming
  // request_id when the caller used the id for another request; INTERNAL
  // if OpenSSL fails; the store's errors.
  absl::StatusOr<Use> Find(store::ReadTxn& txn, const auth::Principal& caller,
                           absl::string_view method,
                           const google::protobuf::Message& request,
                           absl::string_view request_id) const;

  // Records that `use` made `resource`, in the write's transaction. Does
  // nothing for a Use without request id. REQUIRES: `use` from Find in the
  // same transaction, with no resource.
  static absl::Status Record(store::WriteTxn& txn,
                             const auth::Principal& caller, const Use& use,
                             absl::string_view resource);

 private:
  explicit RequestIds(crypto::SecretData key) : key_(std::move(key)) {}
  const crypto::SecretData key_;
};

}  // namespace resguardo::cases

#endif  // RESGUARDO_SERVICES_CASES_REQUEST_IDS_H_
