#include "services/server/internal/stream_round.h"

#include <utility>

namespace resguardo::server::internal {

void StreamRound::Poll(store::ReadTxn& txn, PollRound& round, StreamHost& host,
                       StreamNext& next, const std::string& method,
                       StreamCaller caller, std::string request_id,
                       absl::Status refusal) {
  polled_ = true;
  done_ = false;
  note_.clear();
  batch_.clear();
  caller_ = std::move(caller);
  request_id_ = std::move(request_id);
  status_ = std::move(refusal);
  if (!status_.ok()) return;
  // Checked in the snapshot that is read.
  status_ = host.Reauthorize(txn, caller_, method, &note_);
  if (!status_.ok()) return;
  absl::StatusOr<Messages> got = next(txn, round);
  if (!got.ok()) {
    status_ = got.status();
    return;
  }
  batch_ = *std::move(got);
  done_ = true;
}

std::optional<absl::StatusOr<StreamRound::Messages>> StreamRound::Take(
    const absl::Status& round, StreamHost& host, const std::string& method) {
  if (!polled_) return std::nullopt;
  polled_ = false;
  absl::Status read = std::move(status_);
  status_ = absl::OkStatus();
  if (read.ok() && !done_) read = round;  // the round's read failed
  if (read.ok() && !round.ok()) read = round;
  done_ = false;
  Messages batch = std::move(batch_);
  batch_.clear();
  if (read.ok()) return batch;
  if (!note_.empty()) {
    read = host.AuditStreamRefusal(caller_, method, request_id_, read, note_);
  }
  return read;
}

}  // namespace resguardo::server::internal
