// The places of the node's data keys: every column that holds a data key
// (DEK) wrapped under an institution's KEK (crypto/envelope.h), with the
// institution whose KEK wraps it. The KEK rotation counts them
// (services/admin/kek_rotations.cc) and checks that none is left under an
// old version before destroying it (kek_rewrap_job.cc), and the metrics
// count the stale ones (services/server/internal/store_readings.cc), all
// from this one list. node_schema_test checks that every wrapped_dek column
// of the schema is here: a key the rotation did not know of would lose its
// KEK version when the rotation retires it, and the record with it.
//
// A wrapped key's bytes 2-5 are its KEK version, big-endian (format byte
// first): hex(substr(column, 2, 4)) in SQL.
//
// Constant data; thread-safe.
#ifndef RESGUARDO_SERVICES_SCHEMA_WRAPPED_KEYS_H_
#define RESGUARDO_SERVICES_SCHEMA_WRAPPED_KEYS_H_

namespace resguardo::schema {

struct WrappedKeyPlace {
  // The table of the key column.
  const char* table;
  // A FROM clause naming that table `k`, joined to what names the holder.
  const char* from;
  // The SQL expression of the institution whose KEK wraps the key.
  const char* holder;
  // The key column, `k.`-qualified; NULL once the record is erased.
  const char* key;
};

inline constexpr WrappedKeyPlace kWrappedKeyPlaces[] = {
    // A case's DEK, under its institution's KEK (migration 1).
    {"cases", "cases k", "k.institution", "k.wrapped_dek"},
    // A referral's copy held by an institution: the receiver's copy, and
    // the sender's override notes (migration 5).
    {"referral_keys", "referral_keys k", "k.holder", "k.wrapped_dek"},
    // The notes of a follow-up of a referral, under the receiver's KEK
    // (migration 5).
    {"referral_follow_ups",
     "referral_follow_ups k JOIN referrals r ON r.id = k.referral_id",
     "r.receiving", "k.wrapped_dek"},
    // A registry entry's sealed name, under the inscribing institution's
    // KEK (migration 15).
    {"registry_entries", "registry_entries k", "k.institution",
     "k.wrapped_dek"},
};

inline constexpr int kWrappedKeyPlaceCount =
    sizeof(kWrappedKeyPlaces) / sizeof(kWrappedKeyPlaces[0]);

}  // namespace resguardo::schema

#endif  // RESGUARDO_SERVICES_SCHEMA_WRAPPED_KEYS_H_
