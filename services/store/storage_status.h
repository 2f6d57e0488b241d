// Storage conditions: the store cannot write because its file system is full
// or failing (SQLite's FULL and IOERR), not because of the request. Such an
// error is UNAVAILABLE (retry with backoff, once the condition clears) and
// carries a payload that marks it, so that the service edge can answer the
// client with a fixed sentence instead of the store's message, which names
// SQLite codes and the file (SECURITY.md §4: no internal detail to clients),
// while the node's log keeps the cause.
//
// Header-only, so that the service edge (services/server/grpc_status) can
// recognise the condition without linking the store.
#ifndef RESGUARDO_SERVICES_STORE_STORAGE_STATUS_H_
#define RESGUARDO_SERVICES_STORE_STORAGE_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/string_view.h"

namespace resguardo::store {

// Not a type.googleapis.com/ URL: the service edge never forwards it.
inline constexpr absl::string_view kStorageUnavailablePayload =
    "resguardo.store/storage-unavailable";

// What a client is told about a storage condition (English, like every
// message of the node's API; the CLI translates by code).
inline constexpr absl::string_view kStorageUnavailableClientMessage =
    "the node cannot store data at the moment (its storage is full or "
    "failing); nothing was changed; retry with backoff";

// UNAVAILABLE with `message` (for the log), marked as a storage condition.
inline absl::Status StorageUnavailableError(absl::string_view message) {
  absl::Status status = absl::UnavailableError(message);
  status.SetPayload(kStorageUnavailablePayload, absl::Cord("1"));
  return status;
}

inline bool IsStorageUnavailable(const absl::Status& status) {
  return !status.ok() &&
         status.GetPayload(kStorageUnavailablePayload).has_value();
}

}  // namespace resguardo::store

#endif  // RESGUARDO_SERVICES_STORE_STORAGE_STATUS_H_
