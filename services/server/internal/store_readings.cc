#include "services/server/internal/store_readings.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "services/schema/wrapped_keys.h"
#include "services/store/statement.h"

namespace resguardo::server::internal {
namespace {

// One integer from a query of one row.
absl::StatusOr<int64_t> Count(store::ReadTxn& txn, const std::string& sql) {
  ASSIGN_OR_RETURN(store::Statement q, txn.Prepare(sql));
  ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return 0;
  return q.ColumnInt64(0);
}

// The KEK version a wrapped DEK names (crypto/envelope.h: 0x01 ‖ version
// (4, big-endian) ‖ ...), as the hex of its bytes, against the primary
// version's; over the institutions with more than one version only, and
// every place of schema/wrapped_keys.h.
std::string StaleDataKeysSql() {
  std::vector<std::string> counts;
  for (const schema::WrappedKeyPlace& p : schema::kWrappedKeyPlaces) {
    counts.push_back(absl::StrCat(
        "(SELECT COUNT(*) FROM ", p.from,
        " JOIN primaries p ON p.institution = ", p.holder, " WHERE ", p.key,
        " IS NOT NULL AND hex(substr(", p.key, ", 2, 4)) != p.version)"));
  }
  return absl::StrCat(R"sql(
WITH rotating AS (
  SELECT institution FROM kek_versions GROUP BY institution
  HAVING COUNT(*) > 1
), primaries AS (
  SELECT k.institution, printf('%08X', k.version) AS version
  FROM kek_versions k JOIN rotating USING (institution)
  WHERE k.is_primary = 1
)
SELECT )sql",
                      absl::StrJoin(counts, " + "));
}

}  // namespace

absl::StatusOr<StoreReadings> ReadStoreReadings(store::ReadTxn& txn) {
  StoreReadings out;
  ASSIGN_OR_RETURN(
      out.audit_entries,
      Count(txn, "SELECT COALESCE(MAX(idx) + 1, 0) FROM audit_entries"));
  ASSIGN_OR_RETURN(out.rotating_institutions,
                   Count(txn,
                         "SELECT COUNT(*) FROM (SELECT institution FROM "
                         "kek_versions GROUP BY institution HAVING COUNT(*) > "
                         "1)"));
  if (out.rotating_institutions > 0) {
    static const std::string* const kStaleDataKeys =
        new std::string(StaleDataKeysSql());
    ASSIGN_OR_RETURN(out.stale_data_keys, Count(txn, *kStaleDataKeys));
  }
  return out;
}

}  // namespace resguardo::server::internal
