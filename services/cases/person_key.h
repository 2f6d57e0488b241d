// PersonKeys: the node's pseudonym of a victim (DESIGN.md §3),
//   person key = HMAC-SHA-256(pseudonym key, normalised identifier)
// where the identifier is "curp:" ‖ the CURP (upper case, without spaces)
// when she has one, else "name:" ‖ the name (upper case, Spanish accents and
// ñ folded to ASCII, runs of spaces collapsed, trimmed) ‖ "|" ‖ birth date
// (YYYY-MM-DD). With neither a CURP nor a birth date there is no key.
//
// The same woman gets the same key in every institution of the node, so that
// statistics count distinct victims and a related case can be signalled
// without revealing her identity. The key is 32 bytes, not reversible
// without the pseudonym key; it is still derived from personal data, so it
// is erased with the case's personal data.
//
// Thread-safe. The pseudonym key is kept in a SecretData.
#ifndef RESGUARDO_SERVICES_CASES_PERSON_KEY_H_
#define RESGUARDO_SERVICES_CASES_PERSON_KEY_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "crypto/key_provider.h"
#include "crypto/secret_data.h"
#include "resguardo/v1/case.pb.h"

namespace resguardo::cases {

// A name as the person key and the registry's search compare it: upper
// case, the accented letters of Spanish and ñ folded to ASCII, runs of white
// space collapsed, trimmed. Personal data in, personal data out.
std::string NormaliseName(absl::string_view name);

class PersonKeys {
 public:
  // Derives KeyPurpose::kPseudonym (generation 1). The provider's errors.
  static absl::StatusOr<std::unique_ptr<PersonKeys>> New(
      const crypto::KeyProvider& keys);

  // The 32-byte person key of `data`, nullopt when it has neither a CURP nor
  // a (name and) birth date. INTERNAL if OpenSSL fails.
  absl::StatusOr<std::optional<std::string>> Of(
      const v1::CasePersonalData& data) const;

  // The normalised identifier hashed by Of (exposed for tests; personal
  // data: never log it).
  static std::optional<std::string> NormalisedIdentifier(
      const v1::CasePersonalData& data);

 private:
  explicit PersonKeys(crypto::SecretData key) : key_(std::move(key)) {}
  const crypto::SecretData key_;
};

}  // namespace resguardo::cases

#endif  // RESGUARDO_SERVICES_CASES_PERSON_KEY_H_
