#include "services/admin/key_rings.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/status_macros.h"
#include "crypto/aes_gcm_aead.h"
#include "services/store/statement.h"

namespace resguardo::admin {
namespace {

constexpr uint32_t kKekWrappingGeneration = 1;

}  // namespace

absl::StatusOr<std::unique_ptr<KeyRings>> KeyRings::New(
    const crypto::KeyProvider &keys, const Clock *clock) {
  ASSIGN_OR_RETURN(
      crypto::SecretData wrapping_key,
      keys.DeriveKey(crypto::KeyPurpose::kKekWrapping, kKekWrappingGeneration));
  ASSIGN_OR_RETURN(
      std::unique_ptr<crypto::AesGcmAead> wrapping,
      crypto::AesGcmAead::New(wrapping_key, kKekWrappingGeneration));
  return std::unique_ptr<KeyRings>(new KeyRings(std::move(wrapping), clock));
}

KeyRings::KeyRings(std::unique_ptr<crypto::Aead> kek_wrapping,
                   const Clock *clock)
    : kek_wrapping_(std::move(kek_wrapping)), clock_(clock) {}

absl::Status KeyRings::Create(store::WriteTxn &txn,
                              absl::string_view institution_id) {
  ASSIGN_OR_RETURN(std::unique_ptr<crypto::KekRing> ring,
                   crypto::KekRing::New(std::string(institution_id)));
  ASSIGN_OR_RETURN(uint32_t version, ring->Rotate());
  ASSIGN_OR_RETURN(std::string exported, ring->Export(version, *kek_wrapping_));
  ASSIGN_OR_RETURN(store::Statement s,
                   txn.Prepare("INSERT INTO kek_versions(institution, version, "
                               "exported_kek, is_primary, create_time) "
                               "VALUES (?1, ?2, ?3, 1, ?4)"));
  RETURN_IF_ERROR(s.BindText(1, institution_id));
  RETURN_IF_ERROR(s.BindInt64(2, version));
  RETURN_IF_ERROR(s.BindBlob(3, exported));
  RETURN_IF_ERROR(s.BindInt64(4, absl::ToUnixMicros(clock_->Now())));
  RETURN_IF_ERROR(s.Run());
  envelopes_.InvalidateAll(txn);
  return absl::OkStatus();
}

absl::StatusOr<KeyRings::NewVersion> KeyRings::AddPrimaryVersion(
    store::WriteTxn &txn, absl::string_view institution_id) {
  NewVersion out;
  uint32_t highest = 0;
  {
    ASSIGN_OR_RETURN(store::Statement s,
                     txn.Prepare("SELECT version, is_primary FROM kek_versions "
                                 "WHERE institution = ?1"));
    RETURN_IF_ERROR(s.BindText(1, institution_id));
    while (true) {
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      ASSIGN_OR_RETURN(int64_t version, s.ColumnInt64(0));
      ASSIGN_OR_RETURN(int64_t is_primary, s.ColumnInt64(1));
      if (version < 1 || version > UINT32_MAX) {
        return absl::DataLossError("a stored KEK has an invalid version");
      }
      highest = std::max(highest, static_cast<uint32_t>(version));
      if (is_primary) out.previous_primary = static_cast<uint32_t>(version);
    }
  }
  if (highest == 0) return absl::NotFoundError("institution has no keys");
  if (highest == UINT32_MAX) {
    return absl::ResourceExhaustedError("no KEK versions are left");
  }
  out.version = highest + 1;
  ASSIGN_OR_RETURN(std::unique_ptr<crypto::KekRing> ring,
                   crypto::KekRing::New(std::string(institution_id)));
  ASSIGN_OR_RETURN(crypto::SecretData kek,
                   crypto::SecretData::Random(crypto::KekRing::kKekSize));
  RETURN_IF_ERROR(ring->Add(out.version, std::move(kek), /*primary=*/true));
  ASSIGN_OR_RETURN(std::string exported,
                   ring->Export(out.version, *kek_wrapping_));
  {
    ASSIGN_OR_RETURN(store::Statement s,
                     txn.Prepare("UPDATE kek_versions SET is_primary = 0 "
                                 "WHERE institution = ?1 AND is_primary = 1"));
    RETURN_IF_ERROR(s.BindText(1, institution_id));
    RETURN_IF_ERROR(s.Run());
  }
  ASSIGN_OR_RETURN(store::Statement s,
                   txn.Prepare("INSERT INTO kek_versions(institution, version, "
                               "exported_kek, is_primary, create_time) "
                               "VALUES (?1, ?2, ?3, 1, ?4)"));
  RETURN_IF_ERROR(s.BindText(1, institution_id));
  RETURN_IF_ERROR(s.BindInt64(2, out.version));
  RETURN_IF_ERROR(s.BindBlob(3, exported));
  RETURN_IF_ERROR(s.BindInt64(4, absl::ToUnixMicros(clock_->Now())));
  RETURN_IF_ERROR(s.Run());
  envelopes_.InvalidateAll(txn);
  return out;
}

absl::StatusOr<std::vector<uint32_t>> KeyRings::DestroyAllBut(
    store::WriteTxn &txn, absl::string_view institution_id, uint32_t keep) {
  std::vector<uint32_t> others;
  bool keep_is_primary = false;
  {
    ASSIGN_OR_RETURN(store::Statement s,
                     txn.Prepare("SELECT version, is_primary FROM kek_versions "
                                 "WHERE institution = ?1 ORDER BY version"));
    RETURN_IF_ERROR(s.BindText(1, institution_id));
    while (true) {
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      ASSIGN_OR_RETURN(int64_t version, s.ColumnInt64(0));
      ASSIGN_OR_RETURN(int64_t is_primary, s.ColumnInt64(1));
      if (version == keep) {
        keep_is_primary = is_primary != 0;
      } else {
        others.push_back(static_cast<uint32_t>(version));
      }
    }
  }
  if (!keep_is_primary) {
    return absl::FailedPreconditionError(
        "only the versions other than the primary KEK may be destroyed");
  }
  ASSIGN_OR_RETURN(store::Statement s,
                   txn.Prepare("DELETE FROM kek_versions WHERE institution = "
                               "?1 AND version != ?2 AND is_primary = 0"));
  RETURN_IF_ERROR(s.BindText(1, institution_id));
  RETURN_IF_ERROR(s.BindInt64(2, keep));
  RETURN_IF_ERROR(s.Run());
  envelopes_.InvalidateAll(txn);
  return others;
}

absl::StatusOr<std::shared_ptr<const crypto::Envelope>> KeyRings::EnvelopeFor(
    store::ReadTxn &txn, absl::string_view institution_id) {
  const std::string key(institution_id);
  if (txn.snapshot_floor().has_value()) {
    if (std::optional<std::shared_ptr<const crypto::Envelope>> hit =
            envelopes_.Get(key)) {
      return *hit;
    }
  }
  ASSIGN_OR_RETURN(store::Statement s,
                   txn.Prepare("SELECT version, exported_kek, is_primary "
                               "FROM kek_versions WHERE institution = ?1 "
                               "ORDER BY version"));
  RETURN_IF_ERROR(s.BindText(1, institution_id));
  std::map<uint32_t, std::string> exported;
  uint32_t primary = 0;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    ASSIGN_OR_RETURN(int64_t version, s.ColumnInt64(0));
    ASSIGN_OR_RETURN(absl::string_view blob, s.ColumnBlob(1));
    ASSIGN_OR_RETURN(int64_t is_primary, s.ColumnInt64(2));
    if (version < 1 || version > UINT32_MAX) {
      return absl::DataLossError("a stored KEK has an invalid version");
    }
    exported.emplace(static_cast<uint32_t>(version), std::string(blob));
    if (is_primary) primary = static_cast<uint32_t>(version);
  }
  if (exported.empty()) {
    return absl::NotFoundError("institution has no keys");
  }
  if (primary == 0) {
    return absl::DataLossError("an institution's key ring has no primary KEK");
  }
  absl::MutexLock lock(&mu_);
  auto it = rings_.find(institution_id);
  if (it != rings_.end() && it->second.primary == primary &&
      it->second.exported == exported) {
    envelopes_.Offer(txn, key, it->second.envelope);
    return it->second.envelope;
  }
  ASSIGN_OR_RETURN(std::shared_ptr<crypto::KekRing> ring,
                   crypto::KekRing::New(std::string(institution_id)));
  for (const auto &[version, blob] : exported) {
    absl::Status imported =
        ring->Import(blob, *kek_wrapping_, /*primary=*/version == primary);
    if (!imported.ok()) {
      return absl::InternalError(absl::StrCat(
          "the key ring of institution ", institution_id,
          " does not open with this node's master key, or was altered"));
    }
  }
  CachedRing cached;
  cached.exported = std::move(exported);
  cached.primary = primary;
  cached.envelope = std::make_shared<const crypto::Envelope>(std::move(ring));
  std::shared_ptr<const crypto::Envelope> envelope = cached.envelope;
  rings_.insert_or_assign(std::string(institution_id), std::move(cached));
  envelopes_.Offer(txn, key, envelope);
  return envelope;
}

}  // namespace resguardo::admin
