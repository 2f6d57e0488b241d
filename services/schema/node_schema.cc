#include "services/schema/node_schema.h"

#include <vector>

namespace resguardo::schema {
namespace {

// Version 1: institutions, KEKs, users, cases and their children, the audit
// log. Foreign keys are immediate (database.h: deferred ones fail a whole
// group-commit batch).
constexpr char kV1[] = R"sql(
CREATE TABLE institutions (
  id            TEXT PRIMARY KEY,
  display_name  TEXT NOT NULL,
  kind          INTEGER NOT NULL,
  state_code    TEXT NOT NULL DEFAULT '',
  is_operator   INTEGER NOT NULL DEFAULT 0 CHECK (is_operator IN (0, 1)),
  create_time   INTEGER NOT NULL
);
-- At most one operator institution per node.
CREATE UNIQUE INDEX institutions_operator ON institutions(is_operator)
  WHERE is_operator = 1;

-- Each version of an institution's KEK, as KekRing::Export under the node's
-- KEK-wrapping key (never the raw KEK).
CREATE TABLE kek_versions (
  institution   TEXT NOT NULL REFERENCES institutions(id),
  version       INTEGER NOT NULL CHECK (version >= 1),
  exported_kek  BLOB NOT NULL,
  is_primary    INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
  create_time   INTEGER NOT NULL,
  PRIMARY KEY (institution, version)
) WITHOUT ROWID;
CREATE UNIQUE INDEX kek_versions_primary ON kek_versions(institution)
  WHERE is_primary = 1;

CREATE TABLE users (
  institution   TEXT NOT NULL REFERENCES institutions(id),
  user_id       TEXT NOT NULL,
  -- Role enum numbers, ascending, comma-separated ("1,3").
  roles         TEXT NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  version       INTEGER NOT NULL DEFAULT 1,
  create_time   INTEGER NOT NULL,
  update_time   INTEGER NOT NULL,
  PRIMARY KEY (institution, user_id)
) WITHOUT ROWID;

CREATE TABLE folio_counters (
  institution   TEXT NOT NULL REFERENCES institutions(id),
  year          INTEGER NOT NULL,
  next          INTEGER NOT NULL,
  PRIMARY KEY (institution, year)
) WITHOUT ROWID;

-- A case: descriptors in columns (coded, non-identifying), the personal data
-- sealed under the case's DEK, the DEK wrapped under the institution's KEK.
CREATE TABLE cases (
  id                    INTEGER PRIMARY KEY,
  institution           TEXT NOT NULL REFERENCES institutions(id),
  folio                 TEXT NOT NULL,
  kind                  INTEGER NOT NULL,
  status                INTEGER NOT NULL,
  status_before_close   INTEGER NOT NULL DEFAULT 0,
  closure_reason        INTEGER NOT NULL DEFAULT 0,
  state_code            TEXT NOT NULL,
  municipality_code     TEXT NOT NULL DEFAULT '',
  reported_date         INTEGER NOT NULL,
  incident_month        INTEGER NOT NULL DEFAULT 0,
  victim_age_band       INTEGER NOT NULL DEFAULT 0,
  victim_position       INTEGER NOT NULL DEFAULT 0,
  territorial_level     INTEGER NOT NULL DEFAULT 0,
  normative_system      INTEGER NOT NULL DEFAULT 0,
  electoral_stage       INTEGER NOT NULL DEFAULT 0,
  aggressor_relation    INTEGER NOT NULL DEFAULT 0,
  aggressor_count       INTEGER NOT NULL DEFAULT 0,
  risk_level            INTEGER NOT NULL,
  filed_by_third_party  INTEGER NOT NULL DEFAULT 0,
  create_time           INTEGER NOT NULL,
  update_time           INTEGER NOT NULL,
  version               INTEGER NOT NULL DEFAULT 1,
  creator               TEXT NOT NULL,
  wrapped_dek           BLOB,
  sealed_personal_data  BLOB,
  person_key            BLOB,
  personal_data_erased  INTEGER NOT NULL DEFAULT 0
                        CHECK (personal_data_erased IN (0, 1)),
  request_id            TEXT,
  UNIQUE (institution, folio)
);
-- Lists walk an institution's cases in id order; with an equality filter
-- the matching index gives that order directly (SQLite appends the rowid).
CREATE UNIQUE INDEX cases_request_id ON cases(institution, request_id)
  WHERE request_id IS NOT NULL;
CREATE INDEX cases_by_institution ON cases(institution);
CREATE INDEX cases_by_status ON cases(institution, status);
CREATE INDEX cases_by_risk ON cases(institution, risk_level);
CREATE INDEX cases_by_kind ON cases(institution, kind);
CREATE INDEX cases_by_state ON cases(institution, state_code);
CREATE INDEX cases_by_reported ON cases(institution, reported_date);
-- Statistics across institutions (distinct victims, period × state).
CREATE INDEX cases_by_person ON cases(person_key) WHERE person_key IS NOT NULL;
CREATE INDEX cases_by_period ON cases(reported_date, state_code);

-- The multi-valued descriptors (schema::CodeDimension), in request order.
CREATE TABLE case_codes (
  case_id    INTEGER NOT NULL REFERENCES cases(id),
  dimension  INTEGER NOT NULL,
  position   INTEGER NOT NULL,
  code       INTEGER NOT NULL,
  PRIMARY KEY (case_id, dimension, position)
) WITHOUT ROWID;
CREATE INDEX case_codes_by_code ON case_codes(dimension, code);

CREATE TABLE follow_ups (
  id             INTEGER PRIMARY KEY,
  case_id        INTEGER NOT NULL REFERENCES cases(id),
  seq            INTEGER NOT NULL,
  kind           INTEGER NOT NULL,
  occur_time     INTEGER NOT NULL,
  next_due_date  INTEGER NOT NULL DEFAULT 0,
  author         TEXT NOT NULL,
  create_time    INTEGER NOT NULL,
  sealed_notes   BLOB,
  request_id     TEXT,
  UNIQUE (case_id, seq)
);
CREATE UNIQUE INDEX follow_ups_request_id ON follow_ups(case_id, request_id)
  WHERE request_id IS NOT NULL;
-- Deadlines: what is due by a day.
CREATE INDEX follow_ups_due ON follow_ups(next_due_date)
  WHERE next_due_date != 0;

CREATE TABLE protection_measures (
  id                 INTEGER PRIMARY KEY,
  case_id            INTEGER NOT NULL REFERENCES cases(id),
  seq                INTEGER NOT NULL,
  type               INTEGER NOT NULL,
  status             INTEGER NOT NULL,
  issuing_authority  TEXT NOT NULL,
  issue_date         INTEGER NOT NULL,
  expiry_date        INTEGER NOT NULL,
  create_time        INTEGER NOT NULL,
  request_id         TEXT,
  UNIQUE (case_id, seq)
);
CREATE UNIQUE INDEX protection_measures_request_id
  ON protection_measures(case_id, request_id) WHERE request_id IS NOT NULL;
-- Deadlines: measures in force that expire by a day.
CREATE INDEX protection_measures_expiry
  ON protection_measures(status, expiry_date);

-- The audit log: entry = a serialized v1.AuditEntry, verbatim; leaf_hash =
-- SHA-256(0x00 || entry). The other columns copy fields of the entry for
-- filtering. Append-only: the triggers refuse updates, deletes and gaps.
CREATE TABLE audit_entries (
  idx          INTEGER PRIMARY KEY CHECK (idx >= 0),
  entry        BLOB NOT NULL,
  leaf_hash    BLOB NOT NULL CHECK (length(leaf_hash) = 32),
  time         INTEGER NOT NULL,
  institution  TEXT NOT NULL,
  actor        TEXT NOT NULL,
  method       TEXT NOT NULL,
  resource     TEXT NOT NULL,
  outcome      INTEGER NOT NULL
);
CREATE INDEX audit_entries_by_institution ON audit_entries(institution, time);
CREATE INDEX audit_entries_by_resource ON audit_entries(resource)
  WHERE resource != '';
CREATE INDEX audit_entries_by_actor ON audit_entries(actor) WHERE actor != '';
CREATE TRIGGER audit_entries_contiguous BEFORE INSERT ON audit_entries
  WHEN NEW.idx != (SELECT COALESCE(MAX(idx) + 1, 0) FROM audit_entries)
  BEGIN SELECT RAISE(ABORT, 'audit entries are contiguous'); END;
CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
  BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
  BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
)sql";

// Version 2: the audit log stays contiguous through a chain of foreign keys
// instead of a trigger. Any INSERT trigger makes SQLite open a statement
// journal for every insert into the table, and SQLCipher encrypts and
// authenticates each page it journals: that made the audit entry the
// costliest part of every call. Now each entry names its predecessor
// (prev = idx - 1, NULL only for entry 0); the foreign key makes an entry
// whose predecessor is missing fail, the CHECK makes prev exactly idx - 1,
// and idx is the primary key: so the log is always entries 0..n-1, as the
// trigger made it. A single-row INSERT with an immediate foreign key needs
// no statement journal. Existing entries get their prev here (the update
// trigger is dropped for that and recreated); foreign_key_check after the
// step refuses a log that was not contiguous.
constexpr char kV2[] = R"sql(
DROP TRIGGER audit_entries_contiguous;
DROP TRIGGER audit_entries_no_update;
ALTER TABLE audit_entries ADD COLUMN prev INTEGER
  REFERENCES audit_entries(idx)
  CHECK (prev IS idx - 1 OR (idx = 0 AND prev IS NULL));
UPDATE audit_entries SET prev = idx - 1 WHERE idx > 0;
CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
  BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
)sql";

}  // namespace

std::vector<store::Migration> NodeMigrations() { return {{1, kV1}, {2, kV2}}; }

}  // namespace resguardo::schema
