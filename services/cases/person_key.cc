#include "services/cases/person_key.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "base/status_macros.h"

namespace resguardo::cases {
namespace {

constexpr uint32_t kPseudonymGeneration = 1;

// Folds the accented letters of Spanish (both cases, as UTF-8 C3 xx) to
// their ASCII base letter; 0 for anything else.
char FoldLatin1Supplement(unsigned char second) {
  switch (second) {
    case 0x80:
    case 0x81:
    case 0x82:
    case 0x83:
    case 0x84:  // À-Ä
    case 0xA0:
    case 0xA1:
    case 0xA2:
    case 0xA3:
    case 0xA4:  // à-ä
      return 'A';
    case 0x88:
    case 0x89:
    case 0x8A:
    case 0x8B:  // È-Ë
    case 0xA8:
    case 0xA9:
    case 0xAA:
    case 0xAB:  // è-ë
      return 'E';
    case 0x8C:
    case 0x8D:
    case 0x8E:
    case 0x8F:  // Ì-Ï
    case 0xAC:
    case 0xAD:
    case 0xAE:
    case 0xAF:  // ì-ï
      return 'I';
    case 0x92:
    case 0x93:
    case 0x94:
    case 0x95:
    case 0x96:  // Ò-Ö
    case 0xB2:
    case 0xB3:
    case 0xB4:
    case 0xB5:
    case 0xB6:  // ò-ö
      return 'O';
    case 0x99:
    case 0x9A:
    case 0x9B:
    case 0x9C:  // Ù-Ü
    case 0xB9:
    case 0xBA:
    case 0xBB:
    case 0xBC:  // ù-ü
      return 'U';
    case 0x91:
    case 0xB1:  // Ñ ñ
      return 'N';
    default:
      return 0;
  }
}

}  // namespace

std::string NormaliseName(absl::string_view name) {
  std::string out;
  bool pending_space = false;
  for (size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = name[i];
    char folded = 0;
    size_t width = 1;
    if (absl::ascii_isspace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (c < 0x80) {
      folded = absl::ascii_toupper(c);
    } else if (c == 0xC3 && i + 1 < name.size()) {
      folded = FoldLatin1Supplement(static_cast<unsigned char>(name[i + 1]));
      width = 2;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    if (folded != 0) {
      out.push_back(folded);
    } else {
      out.append(name.data() + i, width);
    }
    i += width - 1;
  }
  return out;
}

absl::StatusOr<std::unique_ptr<PersonKeys>> PersonKeys::New(
    const crypto::KeyProvider& keys) {
  ASSIGN_OR_RETURN(
      crypto::SecretData key,
      keys.DeriveKey(crypto::KeyPurpose::kPseudonym, kPseudonymGeneration));
  return std::unique_ptr<PersonKeys>(new PersonKeys(std::move(key)));
}

std::optional<std::string> PersonKeys::NormalisedIdentifier(
    const v1::CasePersonalData& data) {
  std::string curp;
  for (char c : data.victim_curp()) {
    if (!absl::ascii_isspace(static_cast<unsigned char>(c))) {
      curp.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
    }
  }
  if (!curp.empty()) return "curp:" + curp;
  const google::type::Date& birth = data.victim_birth_date();
  const std::string name = NormaliseName(data.victim_name());
  if (name.empty() || birth.year() == 0 || birth.month() == 0 ||
      birth.day() == 0) {
    return std::nullopt;
  }
  return absl::StrFormat("name:%s|%04d-%02d-%02d", name, birth.year(),
                         birth.month(), birth.day());
}

absl::StatusOr<std::optional<std::string>> PersonKeys::Of(
    const v1::CasePersonalData& data) const {
  std::optional<std::string> id = NormalisedIdentifier(data);
  if (!id) return std::optional<std::string>();
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  const absl::string_view key = key_.UnsafeRawBytes();
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(id->data()), id->size(), mac,
           &mac_size) == nullptr ||
      mac_size != 32) {
    return absl::InternalError("could not compute a person key");
  }
  return std::optional<std::string>(
      std::string(reinterpret_cast<const char*>(mac), mac_size));
}

}  // namespace resguardo::cases
