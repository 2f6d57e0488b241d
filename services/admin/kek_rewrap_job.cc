#include "services/admin/kek_rewrap_job.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "crypto/envelope.h"
#include "resguardo/v1/audit.pb.h"
#include "services/admin/internal/kek_rotation_row.h"
#include "services/api/resource_names.h"
#include "services/schema/wrapped_keys.h"
#include "services/store/statement.h"

namespace resguardo::admin {
namespace {

using internal::KekRotationRow;
using internal::RewrapPhase;

constexpr size_t kMaxNoteSize = 64;

// One wrapped data key of the walk, with what names it (its AEAD binding).
struct KeyRef {
  int64_t id = 0;   // cases.id, or the referral's id
  int64_t seq = 0;  // referral_follow_ups.seq
  std::string key_name;
  std::string wrapped;
};

// The keys of `phase` of `institution` after (cursor_id, cursor_seq), in
// the walk's order, at most `limit` (-1: all), each handed to `fn`.
absl::Status ForEachKey(store::ReadTxn& txn, absl::string_view institution,
                        RewrapPhase phase, int64_t cursor_id,
                        int64_t cursor_seq, int limit,
                        absl::FunctionRef<absl::Status(KeyRef)> fn) {
  const char* sql = nullptr;
  switch (phase) {
    case RewrapPhase::kCases:
      sql =
          "SELECT id, 0, folio, wrapped_dek FROM cases WHERE institution = ?1 "
          "AND id > ?2 AND wrapped_dek IS NOT NULL ORDER BY id LIMIT ?4";
      break;
    case RewrapPhase::kReferralKeys:
      sql =
          "SELECT k.referral_id, 0, r.sending, k.wrapped_dek FROM "
          "referral_keys k JOIN referrals r ON r.id = k.referral_id WHERE "
          "k.holder = ?1 AND k.referral_id > ?2 ORDER BY k.referral_id "
          "LIMIT ?4";
      break;
    case RewrapPhase::kReferralNotes:
      sql =
          "SELECT f.referral_id, f.seq, r.sending, f.wrapped_dek FROM "
          "referral_follow_ups f JOIN referrals r ON r.id = f.referral_id "
          "WHERE r.receiving = ?1 AND f.wrapped_dek IS NOT NULL AND "
          "(f.referral_id > ?2 OR (f.referral_id = ?2 AND f.seq > ?3)) "
          "ORDER BY f.referral_id, f.seq LIMIT ?4";
      break;
    case RewrapPhase::kRegistryEntries:
      sql =
          "SELECT id, 0, seq, wrapped_dek FROM registry_entries WHERE "
          "institution = ?1 AND id > ?2 ORDER BY id LIMIT ?4";
      break;
    case RewrapPhase::kRetire:
      return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(store::Statement s, txn.Prepare(sql));
  RETURN_IF_ERROR(s.BindText(1, institution));
  RETURN_IF_ERROR(s.BindInt64(2, cursor_id));
  if (phase == RewrapPhase::kReferralNotes) {
    RETURN_IF_ERROR(s.BindInt64(3, cursor_seq));
  }
  RETURN_IF_ERROR(s.BindInt64(4, limit));
  while (true) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    KeyRef key;
    ASSIGN_OR_RETURN(key.id, s.ColumnInt64(0));
    ASSIGN_OR_RETURN(key.seq, s.ColumnInt64(1));
    ASSIGN_OR_RETURN(absl::string_view wrapped, s.ColumnBlob(3));
    key.wrapped = std::string(wrapped);
    if (phase == RewrapPhase::kRegistryEntries) {
      ASSIGN_OR_RETURN(int64_t seq, s.ColumnInt64(2));
      key.key_name = api::RegistryEntryResourceName(institution, seq);
      RETURN_IF_ERROR(fn(std::move(key)));
      continue;
    }
    ASSIGN_OR_RETURN(absl::string_view text, s.ColumnText(2));
    switch (phase) {
      case RewrapPhase::kCases:
        key.key_name = api::CaseResourceName(institution, text);
        break;
      case RewrapPhase::kReferralKeys:
        key.key_name = api::ReferralResourceName(text, key.id);
        break;
      default:
        key.key_name = absl::StrCat(api::ReferralResourceName(text, key.id),
                                    "/followUps/", key.seq);
        break;
    }
    RETURN_IF_ERROR(fn(std::move(key)));
  }
  return absl::OkStatus();
}

absl::Status StoreKey(store::WriteTxn& txn, absl::string_view institution,
                      RewrapPhase phase, const KeyRef& key,
                      absl::string_view wrapped) {
  const char* sql =
      phase == RewrapPhase::kCases
          ? "UPDATE cases SET wrapped_dek = ?3 WHERE id = ?1 AND "
            "institution = ?2"
      : phase == RewrapPhase::kRegistryEntries
          ? "UPDATE registry_entries SET wrapped_dek = ?3 WHERE id = ?1 AND "
            "institution = ?2"
      : phase == RewrapPhase::kReferralKeys
          ? "UPDATE referral_keys SET wrapped_dek = ?3 WHERE referral_id = ?1 "
            "AND holder = ?2"
          : "UPDATE referral_follow_ups SET wrapped_dek = ?3 WHERE "
            "referral_id = ?1 AND seq = ?4";
  ASSIGN_OR_RETURN(store::Statement s, txn.Prepare(sql));
  RETURN_IF_ERROR(s.BindInt64(1, key.id));
  if (phase != RewrapPhase::kReferralNotes) {
    RETURN_IF_ERROR(s.BindText(2, institution));
  } else {
    RETURN_IF_ERROR(s.BindInt64(4, key.seq));
  }
  RETURN_IF_ERROR(s.BindBlob(3, wrapped));
  RETURN_IF_ERROR(s.Run());
  if (txn.Changes() != 1) {
    return absl::InternalError("a data key being rewrapped was not updated");
  }
  return absl::OkStatus();
}

// How many data keys of `institution` are under a version other than
// `version` (or do not parse).
// The walk has a phase per place of a data key (schema/wrapped_keys.h).
static_assert(static_cast<int>(RewrapPhase::kRetire) ==
                  schema::kWrappedKeyPlaceCount,
              "a place of data keys without its rewrap phase");

// The institution's data keys not under `version`, counted over the
// schema's list of places rather than the walk's phases: a place the walk
// missed keeps the old version alive instead of losing its records.
absl::StatusOr<int64_t> CountStale(store::ReadTxn& txn,
                                   absl::string_view institution,
                                   uint32_t version) {
  std::vector<std::string> counts;
  for (const schema::WrappedKeyPlace& p : schema::kWrappedKeyPlaces) {
    counts.push_back(absl::StrCat(
        "(SELECT COUNT(*) FROM ", p.from, " WHERE ", p.holder, " = ?1 AND ",
        p.key, " IS NOT NULL AND hex(substr(", p.key, ", 2, 4)) != ?2)"));
  }
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare(absl::StrCat("SELECT ", absl::StrJoin(counts, " + "))));
  RETURN_IF_ERROR(s.BindText(1, institution));
  RETURN_IF_ERROR(s.BindText(2, absl::StrFormat("%08X", version)));
  ASSIGN_OR_RETURN(bool row, s.Step());
  (void)row;
  return s.ColumnInt64(0);
}

RewrapPhase NextPhase(RewrapPhase phase) {
  return static_cast<RewrapPhase>(static_cast<int>(phase) + 1);
}

}  // namespace

absl::StatusOr<bool> KekRewrapJob::RunBatch(absl::string_view institution) {
  ASSIGN_OR_RETURN(std::optional<KekRotationRow> current,
                   db_->Read([&](store::ReadTxn& txn) {
                     return internal::FindRunningRotation(txn, institution);
                   }));
  if (!current) return false;
  if (current->phase == RewrapPhase::kRetire) return Retire(institution);
  const int batch = std::max(1, options_.batch_size);
  return db_->Write([&](store::WriteTxn& txn) -> absl::StatusOr<bool> {
    ASSIGN_OR_RETURN(std::optional<KekRotationRow> row,
                     internal::FindRunningRotation(txn, institution));
    if (!row) return false;
    if (row->phase == RewrapPhase::kRetire) return true;
    ASSIGN_OR_RETURN(std::shared_ptr<const crypto::Envelope> envelope,
                     rings_->EnvelopeFor(txn, institution));
    std::vector<KeyRef> keys;
    RETURN_IF_ERROR(ForEachKey(txn, institution, row->phase, row->cursor_id,
                               row->cursor_seq, batch, [&](KeyRef key) {
                                 keys.push_back(std::move(key));
                                 return absl::OkStatus();
                               }));
    for (const KeyRef& key : keys) {
      ASSIGN_OR_RETURN(uint32_t version,
                       crypto::Envelope::KekVersionOf(key.wrapped));
      if (version == row->to_version) continue;
      ASSIGN_OR_RETURN(std::string rewrapped,
                       envelope->Rewrap(key.wrapped, key.key_name));
      RETURN_IF_ERROR(StoreKey(txn, institution, row->phase, key, rewrapped));
      ++row->rewrapped;
    }
    if (static_cast<int>(keys.size()) < batch) {
      row->phase = NextPhase(row->phase);
      row->cursor_id = 0;
      row->cursor_seq = 0;
    } else {
      row->cursor_id = keys.back().id;
      row->cursor_seq = keys.back().seq;
    }
    RETURN_IF_ERROR(internal::UpdateRotation(txn, *row));
    return true;
  });
}

absl::StatusOr<bool> KekRewrapJob::Retire(absl::string_view institution) {
  // The check reads every key of the institution: on a reader, never on
  // the writer.
  ASSIGN_OR_RETURN(std::optional<KekRotationRow> seen,
                   db_->Read([&](store::ReadTxn& txn) {
                     return internal::FindRunningRotation(txn, institution);
                   }));
  if (!seen || seen->phase != RewrapPhase::kRetire) return seen.has_value();
  ASSIGN_OR_RETURN(int64_t stale, db_->Read([&](store::ReadTxn& txn) {
    return CountStale(txn, institution, seen->to_version);
  }));
  return db_->Write([&](store::WriteTxn& txn) -> absl::StatusOr<bool> {
    ASSIGN_OR_RETURN(std::optional<KekRotationRow> row,
                     internal::FindRunningRotation(txn, institution));
    if (!row || row->to_version != seen->to_version ||
        row->phase != RewrapPhase::kRetire) {
      return row.has_value();
    }
    if (stale != 0) {
      // Walk again (see the header): nothing is destroyed.
      row->phase = RewrapPhase::kCases;
      row->cursor_id = 0;
      row->cursor_seq = 0;
      RETURN_IF_ERROR(internal::UpdateRotation(txn, *row));
      return true;
    }
    ASSIGN_OR_RETURN(std::vector<uint32_t> destroyed,
                     rings_->DestroyAllBut(txn, institution, row->to_version));
    row->running = false;
    row->finish_time = absl::ToUnixMicros(clock_->Now());
    RETURN_IF_ERROR(internal::UpdateRotation(txn, *row));
    v1::AuditEntry entry;
    entry.set_actor(kNodeActor);
    entry.set_method(kRetireMethod);
    entry.set_resource(row->name());
    entry.set_outcome(0);
    std::string note =
        absl::StrCat("kek-destroyed:", absl::StrJoin(destroyed, ","));
    if (note.size() > kMaxNoteSize) note.resize(kMaxNoteSize);
    entry.set_note(note);
    RETURN_IF_ERROR(audit_->Append(txn, std::move(entry)).status());
    return false;
  });
}

absl::StatusOr<bool> KekRewrapJob::StepAll() {
  ASSIGN_OR_RETURN(std::vector<std::string> institutions,
                   db_->Read([](store::ReadTxn& txn) {
                     return internal::InstitutionsRotating(txn);
                   }));
  bool more = false;
  absl::Status first_error;
  for (const std::string& institution : institutions) {
    absl::StatusOr<bool> step = RunBatch(institution);
    if (!step.ok()) {
      if (first_error.ok()) first_error = step.status();
      continue;
    }
    more = more || *step;
  }
  if (!first_error.ok()) return first_error;
  return more;
}

absl::Status KekRewrapJob::RunToCompletion() {
  while (true) {
    ASSIGN_OR_RETURN(bool more, StepAll());
    if (!more) return absl::OkStatus();
  }
}

void KekRewrapJob::Start() {
  absl::MutexLock lock(&mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    bool more = true;  // a rotation may have been left running at the stop
    while (true) {
      {
        absl::MutexLock lock(&mu_);
        auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
          return stopping_ || woken_;
        };
        if (!more) {
          mu_.AwaitWithTimeout(absl::Condition(&ready), options_.idle_poll);
        } else if (options_.pause > absl::ZeroDuration()) {
          auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
            return stopping_;
          };
          mu_.AwaitWithTimeout(absl::Condition(&stopping), options_.pause);
        }
        if (stopping_) return;
        woken_ = false;
      }
      absl::StatusOr<bool> step = StepAll();
      if (!step.ok()) {
        if (options_.on_error) options_.on_error(step.status().code());
        more = false;  // retried at the next poll
      } else {
        more = *step;
      }
    }
  });
}

void KekRewrapJob::Wake() {
  absl::MutexLock lock(&mu_);
  woken_ = true;
}

void KekRewrapJob::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

}  // namespace resguardo::admin
