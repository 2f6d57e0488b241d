#include "crypto/key_provider.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "crypto/hkdf.h"

namespace resguardo::crypto {
namespace {

constexpr absl::string_view kSalt = "resguardo.master-key.v1";
constexpr absl::string_view kInfoLabel = "resguardo.purpose-key.v1";

absl::Status CheckGeneration(uint32_t generation) {
  if (generation == 0) {
    return absl::InvalidArgumentError("key generations start at 1");
  }
  return absl::OkStatus();
}

}  // namespace

absl::string_view KeyPurposeLabel(KeyPurpose purpose) {
  switch (purpose) {
    case KeyPurpose::kDatabase:
      return "database";
    case KeyPurpose::kKekWrapping:
      return "kek-wrapping";
    case KeyPurpose::kPseudonym:
      return "pseudonym";
    case KeyPurpose::kAuditSigning:
      return "audit-signing";
    case KeyPurpose::kRequestFingerprint:
      return "request-fingerprint";
    case KeyPurpose::kPublication:
      return "publication";
    case KeyPurpose::kCount:
      break;
  }
  return "unknown";
}

absl::StatusOr<SecretData> KeyProvider::DeriveKey(KeyPurpose purpose,
                                                  uint32_t generation) const {
  RETURN_IF_ERROR(CheckGeneration(generation));
  ASSIGN_OR_RETURN(SecretData key, DoDeriveKey(purpose, generation));
  if (key.size() != kKeySize) {
    return absl::InternalError(
        absl::StrCat("key provider returned a ", key.size(),
                     "-byte key for purpose ", KeyPurposeLabel(purpose)));
  }
  return key;
}

absl::StatusOr<SecretData> DeriveKeyFromMaster(const SecretData& master,
                                               KeyPurpose purpose,
                                               uint32_t generation) {
  RETURN_IF_ERROR(CheckGeneration(generation));
  if (master.size() != KeyProvider::kKeySize) {
    return absl::InvalidArgumentError(
        absl::StrCat("the master key must be ", KeyProvider::kKeySize,
                     " bytes, got ", master.size()));
  }
  std::string info(kInfoLabel);
  info.push_back('\0');
  absl::StrAppend(&info, KeyPurposeLabel(purpose));
  info.push_back('\0');
  for (int shift = 24; shift >= 0; shift -= 8) {
    info.push_back(static_cast<char>((generation >> shift) & 0xff));
  }
  return HkdfSha256(master, kSalt, info, KeyProvider::kKeySize);
}

}  // namespace resguardo::crypto
