#include "crypto/envelope.h"

#include <openssl/crypto.h>

#include <limits>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "crypto/internal/byte_encoding.h"
#include "crypto/internal/openssl_util.h"

namespace resguardo::crypto {
namespace {

using internal::AppendBigEndian32;
using internal::AppendLengthPrefixed;
using internal::LoadBigEndian32;

using internal::AesGcm256;

constexpr absl::string_view kWrappedDekLabel = "resguardo.wrapped-dek.v1";
constexpr absl::string_view kKekExportLabel = "resguardo.kek-export.v1";
constexpr size_t kVersionedHeaderSize = 1 + 4;

std::string VersionedHeader(uint8_t format, uint32_t version) {
  std::string header(1, static_cast<char>(format));
  AppendBigEndian32(version, &header);
  return header;
}

std::string WrappedDekAd(absl::string_view institution,
                         absl::string_view key_name) {
  std::string ad;
  AppendLengthPrefixed(kWrappedDekLabel, &ad);
  AppendLengthPrefixed(institution, &ad);
  AppendLengthPrefixed(key_name, &ad);
  return ad;
}

std::string KekExportAd(absl::string_view institution, uint32_t version) {
  std::string ad;
  AppendLengthPrefixed(kKekExportLabel, &ad);
  AppendLengthPrefixed(institution, &ad);
  AppendBigEndian32(version, &ad);
  return ad;
}

absl::string_view AsStringView(const uint8_t* p, size_t n) {
  return absl::string_view(reinterpret_cast<const char*>(p), n);
}

absl::Status CheckKeyName(absl::string_view key_name) {
  if (key_name.empty()) {
    return absl::InvalidArgumentError(
        "a data key's name (the case's resource name) must not be empty");
  }
  return absl::OkStatus();
}

absl::Status RandomNonce(uint8_t* out) {
  return internal::RandomNonce(absl::MakeSpan(out, AesGcm256::kNonceSize));
}

}  // namespace

// DataKey ---------------------------------------------------------------

absl::StatusOr<DataKey> DataKey::FromSecret(SecretData key) {
  ASSIGN_OR_RETURN(std::unique_ptr<const AesGcm256> cipher,
                   AesGcm256::New(key));
  return DataKey(std::move(key), std::move(cipher));
}

absl::StatusOr<std::string> DataKey::Seal(absl::string_view plaintext,
                                          const RecordContext& context) const {
  if (destroyed()) {
    return absl::FailedPreconditionError("the data key was destroyed");
  }
  if (plaintext.size() > AesGcm256::kMaxInputSize) {
    return absl::InvalidArgumentError("record is too large to seal");
  }
  const std::string header(1, static_cast<char>(kSealedFormatV1));
  std::string out(kSealedOverhead + plaintext.size(), '\0');
  uint8_t* p = reinterpret_cast<uint8_t*>(&out[0]);
  p[0] = kSealedFormatV1;
  uint8_t* nonce = p + 1;
  RETURN_IF_ERROR(RandomNonce(nonce));
  RETURN_IF_ERROR(cipher_->SealInto(
      AsStringView(nonce, AesGcm256::kNonceSize), plaintext,
      {header, context.Encode()},
      absl::MakeSpan(nonce + AesGcm256::kNonceSize,
                     plaintext.size() + AesGcm256::kTagSize)));
  return out;
}

absl::StatusOr<std::string> DataKey::Open(absl::string_view sealed,
                                          const RecordContext& context) const {
  if (destroyed()) {
    return absl::FailedPreconditionError("the data key was destroyed");
  }
  if (sealed.size() < kSealedOverhead) {
    return absl::InvalidArgumentError(
        absl::StrCat("sealed record is too short: ", sealed.size(),
                     " bytes, the minimum is ", kSealedOverhead));
  }
  if (static_cast<uint8_t>(sealed[0]) != kSealedFormatV1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown sealed record format byte 0x",
        absl::Hex(static_cast<uint8_t>(sealed[0]), absl::kZeroPad2)));
  }
  absl::string_view nonce = sealed.substr(1, AesGcm256::kNonceSize);
  absl::string_view body =
      sealed.substr(1 + AesGcm256::kNonceSize, sealed.size() - kSealedOverhead);
  absl::string_view tag = sealed.substr(sealed.size() - AesGcm256::kTagSize);
  std::string out(body.size(), '\0');
  absl::Status status = cipher_->OpenInto(
      nonce, body, tag, {sealed.substr(0, 1), context.Encode()},
      absl::MakeSpan(reinterpret_cast<uint8_t*>(&out[0]), out.size()));
  if (status.code() == absl::StatusCode::kInvalidArgument) {
    return absl::InvalidArgumentError(
        "sealed record failed to authenticate: wrong data key or record "
        "context, or the record is corrupted");
  }
  RETURN_IF_ERROR(status);
  return out;
}

void DataKey::Destroy() {
  cipher_.reset();  // OpenSSL wipes the key schedule when it frees it.
  key_.Destroy();
}

// KekRing ---------------------------------------------------------------

absl::StatusOr<std::unique_ptr<KekRing>> KekRing::New(std::string institution) {
  if (institution.empty()) {
    return absl::InvalidArgumentError("a KEK ring needs an institution name");
  }
  return std::unique_ptr<KekRing>(new KekRing(std::move(institution)));
}

absl::StatusOr<uint32_t> KekRing::Rotate() {
  ASSIGN_OR_RETURN(SecretData kek, SecretData::Random(kKekSize));
  ASSIGN_OR_RETURN(std::unique_ptr<const AesGcm256> cipher,
                   AesGcm256::New(kek));
  absl::MutexLock lock(&mu_);
  if (highest_ == std::numeric_limits<uint32_t>::max()) {
    return absl::ResourceExhaustedError("no KEK versions are left");
  }
  const uint32_t version = highest_ + 1;
  keks_.emplace(version, Kek{std::move(kek), std::move(cipher)});
  highest_ = version;
  primary_ = version;
  return version;
}

absl::Status KekRing::Add(uint32_t version, SecretData kek, bool primary) {
  if (version == 0) {
    return absl::InvalidArgumentError("KEK versions start at 1");
  }
  if (kek.size() != kKekSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("a KEK must be ", kKekSize, " bytes, got ", kek.size()));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<const AesGcm256> cipher,
                   AesGcm256::New(kek));
  absl::MutexLock lock(&mu_);
  if (keks_.count(version) != 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("KEK version ", version, " is already in the ring"));
  }
  keks_.emplace(version, Kek{std::move(kek), std::move(cipher)});
  if (version > highest_) highest_ = version;
  if (primary || primary_ == 0) primary_ = version;
  return absl::OkStatus();
}

absl::Status KekRing::Retire(uint32_t version) {
  absl::MutexLock lock(&mu_);
  auto it = keks_.find(version);
  if (it == keks_.end()) {
    return absl::NotFoundError(
        absl::StrCat("KEK version ", version, " is not in the ring"));
  }
  if (version == primary_) {
    return absl::FailedPreconditionError(
        absl::StrCat("KEK version ", version,
                     " is the primary and cannot be retired; rotate first"));
  }
  keks_.erase(it);  // SecretData wipes the KEK
  return absl::OkStatus();
}

uint32_t KekRing::primary_version() const {
  absl::ReaderMutexLock lock(&mu_);
  return primary_;
}

std::vector<uint32_t> KekRing::versions() const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<uint32_t> out;
  out.reserve(keks_.size());
  for (const auto& entry : keks_) out.push_back(entry.first);
  return out;
}

absl::StatusOr<std::string> KekRing::Export(uint32_t version,
                                            const Aead& wrapping) const {
  std::string out = VersionedHeader(kExportFormatV1, version);
  absl::StatusOr<std::string> encrypted;
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = keks_.find(version);
    if (it == keks_.end()) {
      return absl::NotFoundError(
          absl::StrCat("KEK version ", version, " is not in the ring"));
    }
    encrypted = wrapping.Encrypt(it->second.key.UnsafeRawBytes(),
                                 KekExportAd(institution_, version));
  }
  RETURN_IF_ERROR(encrypted.status());
  out.append(*encrypted);
  return out;
}

absl::Status KekRing::Import(absl::string_view exported, const Aead& wrapping,
                             bool primary) {
  if (exported.size() <= kVersionedHeaderSize) {
    return absl::InvalidArgumentError("exported KEK is too short");
  }
  if (static_cast<uint8_t>(exported[0]) != kExportFormatV1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown exported KEK format byte 0x",
        absl::Hex(static_cast<uint8_t>(exported[0]), absl::kZeroPad2)));
  }
  const uint32_t version = LoadBigEndian32(exported.data() + 1);
  absl::StatusOr<std::string> kek =
      wrapping.Decrypt(exported.substr(kVersionedHeaderSize),
                       KekExportAd(institution_, version));
  if (!kek.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "exported KEK version ", version,
        " does not decrypt for this institution under this wrapping key (",
        kek.status().message(), ")"));
  }
  SecretData secret(*kek);
  OPENSSL_cleanse(&(*kek)[0], kek->size());
  return Add(version, std::move(secret), primary);
}

absl::StatusOr<std::pair<uint32_t, KekRing::Cipher>> KekRing::Primary() const {
  absl::ReaderMutexLock lock(&mu_);
  if (primary_ == 0) {
    return absl::FailedPreconditionError(
        "the KEK ring is empty; call Rotate() to create a KEK");
  }
  return std::make_pair(primary_, keks_.at(primary_).cipher);
}

absl::StatusOr<KekRing::Cipher> KekRing::Get(uint32_t version) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = keks_.find(version);
  if (it == keks_.end()) {
    return absl::NotFoundError(absl::StrCat(
        "KEK version ", version,
        " is not in the ring (retired or never added); data keys wrapped "
        "under it cannot be unwrapped"));
  }
  return it->second.cipher;
}

// Envelope --------------------------------------------------------------

absl::StatusOr<uint32_t> Envelope::KekVersionOf(absl::string_view wrapped) {
  if (wrapped.size() != kWrappedSize) {
    return absl::InvalidArgumentError(absl::StrCat("wrapped data key must be ",
                                                   kWrappedSize, " bytes, got ",
                                                   wrapped.size()));
  }
  if (static_cast<uint8_t>(wrapped[0]) != kWrappedFormatV1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown wrapped data key format byte 0x",
        absl::Hex(static_cast<uint8_t>(wrapped[0]), absl::kZeroPad2)));
  }
  return LoadBigEndian32(wrapped.data() + 1);
}

absl::StatusOr<Envelope::NewKey> Envelope::NewDataKey(
    absl::string_view key_name) const {
  RETURN_IF_ERROR(CheckKeyName(key_name));
  ASSIGN_OR_RETURN(SecretData dek, SecretData::Random(DataKey::kKeySize));
  ASSIGN_OR_RETURN(DataKey key, DataKey::FromSecret(std::move(dek)));
  ASSIGN_OR_RETURN(std::string wrapped, Wrap(key, key_name));
  return NewKey{std::move(wrapped), std::move(key)};
}

absl::StatusOr<std::string> Envelope::Wrap(const DataKey& key,
                                           absl::string_view key_name) const {
  RETURN_IF_ERROR(CheckKeyName(key_name));
  if (key.destroyed()) {
    return absl::FailedPreconditionError("the data key was destroyed");
  }
  ASSIGN_OR_RETURN(auto primary, ring_->Primary());
  const std::string header = VersionedHeader(kWrappedFormatV1, primary.first);
  std::string out(kWrappedSize, '\0');
  uint8_t* p = reinterpret_cast<uint8_t*>(&out[0]);
  std::copy(header.begin(), header.end(), out.begin());
  uint8_t* nonce = p + kVersionedHeaderSize;
  RETURN_IF_ERROR(RandomNonce(nonce));
  RETURN_IF_ERROR(primary.second->SealInto(
      AsStringView(nonce, AesGcm256::kNonceSize), key.key_.UnsafeRawBytes(),
      {header, WrappedDekAd(ring_->institution(), key_name)},
      absl::MakeSpan(nonce + AesGcm256::kNonceSize,
                     DataKey::kKeySize + AesGcm256::kTagSize)));
  return out;
}

absl::StatusOr<DataKey> Envelope::Unwrap(absl::string_view wrapped,
                                         absl::string_view key_name) const {
  RETURN_IF_ERROR(CheckKeyName(key_name));
  ASSIGN_OR_RETURN(uint32_t version, KekVersionOf(wrapped));
  ASSIGN_OR_RETURN(KekRing::Cipher kek, ring_->Get(version));
  constexpr size_t kBody = kVersionedHeaderSize + AesGcm256::kNonceSize;
  SecretData dek(std::string(DataKey::kKeySize, '\0'));
  absl::Status status =
      kek->OpenInto(wrapped.substr(kVersionedHeaderSize, AesGcm256::kNonceSize),
                    wrapped.substr(kBody, DataKey::kKeySize),
                    wrapped.substr(kBody + DataKey::kKeySize),
                    {wrapped.substr(0, kVersionedHeaderSize),
                     WrappedDekAd(ring_->institution(), key_name)},
                    absl::MakeSpan(dek.UnsafeMutableData(), dek.size()));
  if (status.code() == absl::StatusCode::kInvalidArgument) {
    return absl::InvalidArgumentError(
        "wrapped data key failed to authenticate: it belongs to another case "
        "or institution, or it is corrupted");
  }
  RETURN_IF_ERROR(status);
  return DataKey::FromSecret(std::move(dek));
}

absl::StatusOr<std::string> Envelope::Rewrap(absl::string_view wrapped,
                                             absl::string_view key_name) const {
  ASSIGN_OR_RETURN(DataKey key, Unwrap(wrapped, key_name));
  return Wrap(key, key_name);
}

}  // namespace resguardo::crypto
