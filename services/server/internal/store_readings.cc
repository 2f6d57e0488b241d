#include "services/server/internal/store_readings.h"

#include "base/status_macros.h"
#include "services/store/statement.h"

namespace resguardo::server::internal {
namespace {

// One integer from a query of one row.
absl::StatusOr<int64_t> Count(store::ReadTxn& txn, const char* sql) {
  ASSIGN_OR_RETURN(store::Statement q, txn.Prepare(sql));
  ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return 0;
  return q.ColumnInt64(0);
}

// The KEK version a wrapped DEK names (crypto/envelope.h: 0x01 ‖ version
// (4, big-endian) ‖ ...), as the hex of its bytes, against the primary
// version's; over the institutions with more than one version only.
constexpr char kStaleDataKeys[] = R"sql(
WITH rotating AS (
  SELECT institution FROM kek_versions GROUP BY institution
  HAVING COUNT(*) > 1
), primaries AS (
  SELECT k.institution, printf('%08X', k.version) AS version
  FROM kek_versions k JOIN rotating USING (institution)
  WHERE k.is_primary = 1
)
SELECT
  (SELECT COUNT(*) FROM cases c JOIN primaries p ON p.institution = c.institution
   WHERE c.wrapped_dek IS NOT NULL
     AND hex(substr(c.wrapped_dek, 2, 4)) != p.version)
+ (SELECT COUNT(*) FROM referral_keys r JOIN primaries p ON p.institution = r.holder
   WHERE hex(substr(r.wrapped_dek, 2, 4)) != p.version)
+ (SELECT COUNT(*) FROM referral_follow_ups f
     JOIN referrals r ON r.id = f.referral_id
     JOIN primaries p ON p.institution = r.receiving
   WHERE f.wrapped_dek IS NOT NULL
     AND hex(substr(f.wrapped_dek, 2, 4)) != p.version)
+ (SELECT COUNT(*) FROM registry_entries e
     JOIN primaries p ON p.institution = e.institution
   WHERE hex(substr(e.wrapped_dek, 2, 4)) != p.version)
)sql";

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
    ASSIGN_OR_RETURN(out.stale_data_keys, Count(txn, kStaleDataKeys));
  }
  return out;
}

}  // namespace resguardo::server::internal
