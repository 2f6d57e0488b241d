#include "services/store/migration.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"

namespace resguardo::store {

absl::Status ValidateMigrations(absl::Span<const Migration> migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    const int expected = static_cast<int>(i) + 1;
    if (migrations[i].version != expected) {
      return absl::InvalidArgumentError(absl::StrCat(
          "store: migration #", i + 1, " has version ", migrations[i].version,
          "; versions must be 1, 2, 3... in order, without gaps"));
    }
    if (absl::StripAsciiWhitespace(migrations[i].sql).empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "store: migration to version ", expected, " has no SQL"));
    }
  }
  return absl::OkStatus();
}

}  // namespace resguardo::store
