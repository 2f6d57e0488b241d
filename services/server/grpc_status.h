// The one conversion of the project's absl::Status into a grpc::Status, at
// the service edge (STYLE.md "Errors are values").
//
// The code maps one to one (both are the canonical google.rpc codes). The
// details travel as a serialized google.rpc.Status (code, message, and one
// google.protobuf.Any per payload of the absl::Status whose type URL is a
// type.googleapis.com/ URL, e.g. the google.rpc.BadRequest of
// services/api/field_violations.h) in grpc::Status::error_details(), which
// gRPC sends as the grpc-status-details-bin trailer.
//
// Every error also carries a google.rpc.LocalizedMessage detail in the
// caller's language (language.h): the text the error names
// (error_catalogue.h WithErrorText), else its code's default; and the
// descriptions of its google.rpc.BadRequest are in that language too
// (field_violations.h LocalizedBadRequest). The message stays English.
//
// Messages of INTERNAL, UNKNOWN and DATA_LOSS errors describe the node's
// own state (files, storage), not the caller's request; they are replaced by
// a fixed sentence with the request id, so that a caller learns nothing of
// the node's insides. So is the message of a storage condition
// (services/store/storage_status.h: the node's disk is full or failing),
// which becomes UNAVAILABLE with a fixed sentence that says so and that
// retrying helps. Every other message is passed on: by the project's
// rule it never contains personal data or key material.
//
// Pure functions; thread-safe.
#ifndef RESGUARDO_SERVICES_SERVER_GRPC_STATUS_H_
#define RESGUARDO_SERVICES_SERVER_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/support/status.h"
#include "services/api/language.h"

namespace resguardo::server {

// The status as a caller sees it, over any transport (the web listener
// encodes it as a Connect error): the code and message as above, and the
// details (for INTERNAL, UNKNOWN and DATA_LOSS only the LocalizedMessage),
// in `language`. An OK status gives code 0 and nothing else.
google::rpc::Status PublicStatus(const absl::Status& status,
                                 absl::string_view request_id,
                                 api::Language language);

// A public status as gRPC sends it (the details in grpc::Status's
// error_details).
grpc::Status ToGrpcStatus(const google::rpc::Status& public_status);

grpc::Status ToGrpcStatus(const absl::Status& status,
                          absl::string_view request_id, api::Language language);

// The canonical name of a code, e.g. "PERMISSION_DENIED".
absl::string_view CodeName(absl::StatusCode code);

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_GRPC_STATUS_H_
