#include "services/audit/audit_reader.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/status_macros.h"
#include "services/api/error_catalogue.h"
#include "services/api/field_violations.h"
#include "services/api/page_token.h"
#include "services/api/timestamps.h"
#include "services/audit/audit_log.h"
#include "services/store/page_query.h"
#include "services/store/statement.h"

namespace resguardo::audit {
namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;
constexpr int kDefaultExportPageSize = 1000;
constexpr int kMaxExportPageSize = 10000;
// Keeps an export page under gRPC's default 4 MiB receive limit.
constexpr size_t kMaxExportPageBytes = 3 * 1024 * 1024;
constexpr size_t kMaxFilterSize = 512;
// A ListEntries call examines at most this many indices, so that a filter
// that matches little answers in bounded time: it returns what it found
// (possibly nothing) and a page token to go on from.
constexpr uint64_t kMaxScan = 50000;
constexpr int64_t kMinTimestampSeconds = -62135596800;  // 0001-01-01
constexpr int64_t kMaxTimestampSeconds = 253402300799;  // 9999-12-31
constexpr char kEntryNotFound[] = "audit entry not found";

int64_t Clamp(uint64_t v) {
  return static_cast<int64_t>(
      std::min<uint64_t>(v, std::numeric_limits<int64_t>::max()));
}

bool Visible(const v1::AuditEntry& entry, const auth::Principal& caller,
             bool oversight) {
  if (oversight) return true;
  if (entry.institution() == caller.institution) return true;
  const std::string own = absl::StrCat("institutions/", caller.institution);
  return entry.resource() == own ||
         absl::StartsWith(entry.resource(), absl::StrCat(own, "/"));
}

void AddKeys(const Checkpointer& cp,
             google::protobuf::RepeatedPtrField<v1::AuditSigningKey>* out) {
  for (const AuditKey& k : cp.keys()) {
    v1::AuditSigningKey* key = out->Add();
    key->set_generation(k.generation);
    key->set_verifier_key(k.verifier_key);
    key->set_key_id(absl::StrFormat("%08x", k.key_id));
  }
}

}  // namespace

v1::SignedCheckpoint AuditReader::ToProto(const SignedCheckpoint& cp) {
  v1::SignedCheckpoint out;
  out.set_seq(cp.seq);
  out.set_tree_size(cp.tree_size);
  out.set_note(cp.note);
  out.set_key_generation(cp.key_generation);
  *out.mutable_sign_time() = api::ToTimestamp(absl::ToUnixMicros(cp.time));
  return out;
}

absl::StatusOr<v1::GetCheckpointResponse> AuditReader::GetCheckpoint(
    store::ReadTxn& txn, const auth::Principal&,
    const v1::GetCheckpointRequest& request) const {
  SignedCheckpoint latest;
  if (request.refresh()) {
    ASSIGN_OR_RETURN(latest, checkpointer_->Refresh(txn));
  } else {
    latest = checkpointer_->Latest();
  }
  v1::GetCheckpointResponse response;
  *response.mutable_checkpoint() = ToProto(latest);
  response.set_origin(checkpointer_->origin());
  AddKeys(*checkpointer_, response.mutable_keys());
  return response;
}

absl::StatusOr<v1::ListEntriesResponse> AuditReader::ListEntries(
    store::ReadTxn& txn, const auth::Principal& caller,
    const v1::ListEntriesRequest& request) const {
  api::FieldViolations v;
  if (request.end_index() != 0 && request.end_index() < request.start_index()) {
    v.Add("end_index", api::ErrorId::kEndIndex);
  }
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string&>{"actor", request.actor()},
        {"institution", request.institution()},
        {"method", request.method()},
        {"resource", request.resource()}}) {
    if (value.size() > kMaxFilterSize) {
      v.Add(field, {api::ErrorId::kAtMostBytes,
                    {static_cast<int64_t>(kMaxFilterSize)}});
    }
  }
  if (request.has_outcome() &&
      (request.outcome() < 0 || request.outcome() > 16)) {
    v.Add("outcome", {api::ErrorId::kOutcomeCode, {16}});
  }
  if (request.page_size() < 0) {
    v.Add("page_size", api::ErrorId::kPageSizeNegative);
  }
  for (const auto& [field, has, t] :
       {std::tuple<const char*, bool, const google::protobuf::Timestamp&>{
            "start_time", request.has_start_time(), request.start_time()},
        {"end_time", request.has_end_time(), request.end_time()}}) {
    // Timestamp's own range (years 1-9999): outside it the conversion to
    // microseconds would overflow.
    if (has && (t.seconds() < kMinTimestampSeconds ||
                t.seconds() > kMaxTimestampSeconds || t.nanos() < 0 ||
                t.nanos() > 999999999)) {
      v.Add(field, {api::ErrorId::kValidTimeInRange, {1, 9999}});
    }
  }
  if (!v.empty()) return v.ToStatus();
  const int64_t start_time = request.has_start_time()
                                 ? api::ToMicros(request.start_time())
                                 : INT64_MIN;
  const int64_t end_time =
      request.has_end_time() ? api::ToMicros(request.end_time()) : INT64_MAX;
  if (request.has_start_time() && request.has_end_time() &&
      end_time < start_time) {
    v.Add("end_time", api::ErrorId::kNotBeforeStart);
  }
  const uint64_t end_index = request.end_index() == 0
                                 ? std::numeric_limits<uint64_t>::max()
                                 : request.end_index();
  const std::string scope = absl::StrCat(
      "ListEntries\n", caller.institution, "\n", request.start_index(), "\n",
      request.end_index(), "\n", absl::CEscape(request.actor()), "\n",
      absl::CEscape(request.institution()), "\n",
      absl::CEscape(request.method()), "\n", absl::CEscape(request.resource()),
      "\n", request.has_outcome() ? request.outcome() : -1, "\n", start_time,
      "\n", end_time);
  uint64_t from = request.start_index();
  if (!request.page_token().empty()) {
    std::optional<std::string> position =
        api::DecodePageToken(request.page_token(), scope);
    // Tokens are bound to the query but not signed: a client can forge
    // one, so its position must stay inside the request's own range.
    if (!position) {
      v.Add("page_token", api::PageTokenViolation(request.page_token(), scope));
    } else if (!absl::SimpleAtoi(*position, &from) ||
               from < request.start_index() || from >= end_index) {
      v.Add("page_token", api::ErrorId::kPageTokenOutOfRange);
    }
  }
  RETURN_IF_ERROR(v.ToStatus());
  const int page_size = api::EffectivePageSize(request.page_size(),
                                               kDefaultPageSize, kMaxPageSize);
  ASSIGN_OR_RETURN(bool oversight, auth::IsOversight(txn, caller.institution));

  const std::string own = absl::StrCat("institutions/", caller.institution);
  ASSIGN_OR_RETURN(
      store::Statement q,
      txn.Prepare(
          "SELECT idx, entry FROM audit_entries WHERE idx >= ?1 AND idx < ?2 "
          "AND (?3 = '' OR actor = ?3) AND (?4 = '' OR institution = ?4) "
          "AND (?5 = '' OR method = ?5) AND (?6 = '' OR resource = ?6) "
          "AND (?7 = 0 OR outcome = ?8) AND time >= ?9 AND time < ?10 "
          "AND (?11 = 1 OR institution = ?12 OR resource = ?13 OR "
          "(resource >= ?14 AND resource < ?15)) ORDER BY idx LIMIT ?16"));
  // A page token's position is the client's to forge: keep it in range.
  if (from >= end_index) return v1::ListEntriesResponse();
  const uint64_t scan_end =
      end_index - from > kMaxScan ? from + kMaxScan : end_index;
  RETURN_IF_ERROR(q.BindInt64(1, Clamp(from)));
  RETURN_IF_ERROR(q.BindInt64(2, Clamp(scan_end)));
  RETURN_IF_ERROR(q.BindText(3, request.actor()));
  RETURN_IF_ERROR(q.BindText(4, request.institution()));
  RETURN_IF_ERROR(q.BindText(5, request.method()));
  RETURN_IF_ERROR(q.BindText(6, request.resource()));
  RETURN_IF_ERROR(q.BindInt64(7, request.has_outcome() ? 1 : 0));
  RETURN_IF_ERROR(q.BindInt64(8, request.outcome()));
  RETURN_IF_ERROR(q.BindInt64(9, start_time));
  RETURN_IF_ERROR(q.BindInt64(10, end_time));
  RETURN_IF_ERROR(q.BindInt64(11, oversight ? 1 : 0));
  RETURN_IF_ERROR(q.BindText(12, caller.institution));
  RETURN_IF_ERROR(q.BindText(13, own));
  // '0' follows '/' in ASCII: [own/, own0) is every name under own/.
  RETURN_IF_ERROR(q.BindText(14, absl::StrCat(own, "/")));
  RETURN_IF_ERROR(q.BindText(15, absl::StrCat(own, "0")));

  v1::ListEntriesResponse response;
  uint64_t last = 0;
  auto read_row = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(int64_t idx, q.ColumnInt64(0));
    ASSIGN_OR_RETURN(absl::string_view bytes, q.ColumnBlob(1));
    v1::ListedEntry* listed = response.add_entries();
    listed->set_entry_bytes(std::string(bytes));
    if (!listed->mutable_entry()->ParseFromString(listed->entry_bytes())) {
      return absl::DataLossError(
          absl::StrCat("audit entry ", idx, " does not parse"));
    }
    last = static_cast<uint64_t>(idx);
    return absl::OkStatus();
  };
  ASSIGN_OR_RETURN(const bool more,
                   store::ReadPage(q, 16, page_size, read_row));
  if (more) {
    response.set_next_page_token(
        api::EncodePageToken(scope, absl::StrCat(last + 1)));
  } else if (scan_end < end_index) {
    ASSIGN_OR_RETURN(uint64_t size, AuditLog::Size(txn));
    if (scan_end < size) {
      response.set_next_page_token(
          api::EncodePageToken(scope, absl::StrCat(scan_end)));
    }
  }
  return response;
}

absl::StatusOr<v1::GetInclusionProofResponse> AuditReader::GetInclusionProof(
    store::ReadTxn& txn, const auth::Principal& caller,
    const v1::GetInclusionProofRequest& request) const {
  if (request.index() >= request.tree_size()) {
    api::FieldViolations v;
    v.Add("tree_size", api::ErrorId::kTreeSizeAboveIndex);
    return v.ToStatus();
  }
  ASSIGN_OR_RETURN(
      std::vector<StoredEntry> stored,
      AuditLog::ReadEntries(txn, request.index(), request.index() + 1));
  if (stored.empty()) return absl::NotFoundError(kEntryNotFound);
  v1::AuditEntry entry;
  if (!entry.ParseFromString(stored[0].bytes)) {
    return absl::DataLossError(
        absl::StrCat("audit entry ", request.index(), " does not parse"));
  }
  ASSIGN_OR_RETURN(bool oversight, auth::IsOversight(txn, caller.institution));
  if (!Visible(entry, caller, oversight)) {
    return absl::NotFoundError(kEntryNotFound);
  }
  ASSIGN_OR_RETURN(
      std::vector<std::string> proof,
      checkpointer_->InclusionProof(txn, request.index(), request.tree_size()));
  v1::GetInclusionProofResponse response;
  response.set_index(request.index());
  response.set_tree_size(request.tree_size());
  for (std::string& h : proof) response.add_hashes(std::move(h));
  response.set_entry_bytes(std::move(stored[0].bytes));
  return response;
}

absl::StatusOr<v1::GetConsistencyProofResponse>
AuditReader::GetConsistencyProof(
    store::ReadTxn& txn, const auth::Principal&,
    const v1::GetConsistencyProofRequest& request) const {
  api::FieldViolations v;
  if (request.old_size() == 0) v.Add("old_size", {api::ErrorId::kAtLeast, {1}});
  if (request.new_size() < request.old_size()) {
    v.Add("new_size", api::ErrorId::kAtLeastOldSize);
  }
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(std::vector<std::string> proof,
                   checkpointer_->ConsistencyProof(txn, request.old_size(),
                                                   request.new_size()));
  v1::GetConsistencyProofResponse response;
  response.set_old_size(request.old_size());
  response.set_new_size(request.new_size());
  for (std::string& h : proof) response.add_hashes(std::move(h));
  return response;
}

absl::StatusOr<v1::ExportLogResponse> AuditReader::ExportLog(
    store::ReadTxn& txn, const auth::Principal& caller,
    const v1::ExportLogRequest& request) const {
  api::FieldViolations v;
  if (request.page_size() < 0) {
    v.Add("page_size", api::ErrorId::kPageSizeNegative);
  }
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(bool oversight, auth::IsOversight(txn, caller.institution));
  if (!oversight) {
    return api::WithErrorText(
        absl::PermissionDeniedError(
            "ExportLog is for auditors of an oversight institution"),
        api::ErrorId::kDeniedExportOversightOnly);
  }
  const uint64_t tree_size = request.tree_size() == 0
                                 ? checkpointer_->Latest().tree_size
                                 : request.tree_size();
  ASSIGN_OR_RETURN(uint64_t log_size, AuditLog::Size(txn));
  if (tree_size > log_size) {
    return absl::OutOfRangeError("tree_size: beyond the end of the log");
  }
  if (request.start_index() > tree_size) {
    api::FieldViolations bad;
    bad.Add("start_index", api::ErrorId::kAtMostTreeSize);
    return bad.ToStatus();
  }
  const int page_size = api::EffectivePageSize(
      request.page_size(), kDefaultExportPageSize, kMaxExportPageSize);
  const uint64_t end =
      std::min<uint64_t>(tree_size, request.start_index() + page_size);
  ASSIGN_OR_RETURN(std::vector<StoredEntry> entries,
                   AuditLog::ReadEntries(txn, request.start_index(), end));
  v1::ExportLogResponse response;
  response.set_tree_size(tree_size);
  response.set_start_index(request.start_index());
  size_t bytes = 0;
  uint64_t next = request.start_index();
  bool cut = false;
  for (StoredEntry& e : entries) {
    if (e.index != next) break;
    if (bytes + e.bytes.size() > kMaxExportPageBytes &&
        response.entries_size() > 0) {
      cut = true;
      break;
    }
    bytes += e.bytes.size();
    response.add_entries(std::move(e.bytes));
    ++next;
  }
  if (!cut && next != end) {
    return absl::DataLossError(
        absl::StrCat("audit entry ", next, " is missing"));
  }
  response.set_next_index(next);
  // The checkpoints this page completes: those whose size falls in
  // (start_index, next] (and the size-0 ones on the first page).
  const uint64_t min_size =
      request.start_index() == 0 ? 0 : request.start_index() + 1;
  ASSIGN_OR_RETURN(std::vector<SignedCheckpoint> checkpoints,
                   Checkpointer::ReadCheckpoints(txn, min_size, next));
  for (const SignedCheckpoint& cp : checkpoints) {
    *response.add_checkpoints() = ToProto(cp);
  }
  response.set_origin(checkpointer_->origin());
  AddKeys(*checkpointer_, response.mutable_keys());
  return response;
}

}  // namespace resguardo::audit
