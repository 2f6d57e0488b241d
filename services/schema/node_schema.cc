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

// Version 3: the audit log's signing keys and signed checkpoints
// (docs/audit-log-format.md). A key generation is the KeyProvider generation
// of the kAuditSigning seed; the highest one signs. Only public keys are
// stored. Checkpoints are the signed notes, verbatim, with their size and
// root copied out for queries. Both tables are append-only.
constexpr char kV3[] = R"sql(
CREATE TABLE audit_signing_keys (
  generation   INTEGER PRIMARY KEY CHECK (generation >= 1),
  public_key   BLOB NOT NULL CHECK (length(public_key) = 32),
  create_time  INTEGER NOT NULL
);
CREATE TRIGGER audit_signing_keys_no_update BEFORE UPDATE ON audit_signing_keys
  BEGIN SELECT RAISE(ABORT, 'audit signing keys are append-only'); END;
CREATE TRIGGER audit_signing_keys_no_delete BEFORE DELETE ON audit_signing_keys
  BEGIN SELECT RAISE(ABORT, 'audit signing keys are append-only'); END;
CREATE TABLE audit_checkpoints (
  seq             INTEGER PRIMARY KEY CHECK (seq >= 0),
  tree_size       INTEGER NOT NULL CHECK (tree_size >= 0),
  root_hash       BLOB NOT NULL CHECK (length(root_hash) = 32),
  note            TEXT NOT NULL,
  key_generation  INTEGER NOT NULL REFERENCES audit_signing_keys(generation),
  create_time     INTEGER NOT NULL
);
CREATE INDEX audit_checkpoints_by_size ON audit_checkpoints(tree_size);
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
  BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
  BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
)sql";

// Version 4: statistics with differential privacy (services/stats). The
// budget ledger: the epsilon each analyst has spent in each release period,
// in millionths (integers, so that sums never drift). The releases: the
// stored answer of every noisy query, keyed by release period and the
// query's canonical encoding, so that the same query in the same release
// gets the same answer and costs nothing (an answer is aggregated counts,
// no personal data).
constexpr char kV4[] = R"sql(
CREATE TABLE stats_budget (
  analyst         TEXT NOT NULL,
  release_period  TEXT NOT NULL,
  spent_micro     INTEGER NOT NULL CHECK (spent_micro >= 0),
  update_time     INTEGER NOT NULL,
  PRIMARY KEY (analyst, release_period)
) WITHOUT ROWID;
CREATE TABLE stats_releases (
  release_period  TEXT NOT NULL,
  query           TEXT NOT NULL,
  answer          BLOB NOT NULL,
  analyst         TEXT NOT NULL,
  epsilon_micro   INTEGER NOT NULL CHECK (epsilon_micro > 0),
  create_time     INTEGER NOT NULL,
  PRIMARY KEY (release_period, query)
) WITHOUT ROWID;
)sql";

// Version 5: referrals between institutions and alerts
// (services/referrals). A referral's descriptors are columns; the
// receiver's copy of the consented data (sealed_shared) and the sender's
// sealed override reason (sealed_sender) are sealed under their own DEKs,
// one per holder institution in referral_keys, each wrapped by that
// institution's KEK: withdrawal deletes the receiver's row
// (crypto-shredding). services is a bit mask (1 << ReferralServiceKind).
// The indexes serve the inbox and outbox (by institution, optionally by
// status, newest first), the overdue lists (by institution, most overdue
// first) and the deadline monitor (by status and deadline). accept_time is 0
// until the referral is accepted.
// The receiver's follow-ups on a referral seal their notes each under its
// own DEK wrapped by the receiver's KEK (so a withdrawal, which shreds the
// shared copy's key, leaves the receiver's own records).
// Alerts carry a per-institution sequence; dedup_key makes the monitor
// raise each (item, kind, institution) alert once, across restarts.
constexpr char kV5[] = R"sql(
CREATE TABLE referrals (
  id                 INTEGER PRIMARY KEY,
  sending            TEXT NOT NULL REFERENCES institutions(id),
  receiving          TEXT NOT NULL REFERENCES institutions(id),
  case_id            INTEGER NOT NULL REFERENCES cases(id),
  case_folio         TEXT NOT NULL,
  services           INTEGER NOT NULL CHECK (services > 0),
  status             INTEGER NOT NULL,
  risk_level         INTEGER NOT NULL,
  scope              INTEGER NOT NULL,
  consent_given_by   INTEGER NOT NULL DEFAULT 0,
  consent_method     INTEGER NOT NULL DEFAULT 0,
  consent_time       INTEGER NOT NULL DEFAULT 0,
  risk_override      INTEGER NOT NULL DEFAULT 0 CHECK (risk_override IN (0, 1)),
  accept_deadline    INTEGER NOT NULL,
  reject_reason      INTEGER NOT NULL DEFAULT 0,
  outcome            INTEGER NOT NULL DEFAULT 0,
  withdrawal_reason  INTEGER NOT NULL DEFAULT 0,
  accept_time        INTEGER NOT NULL DEFAULT 0,
  create_time        INTEGER NOT NULL,
  update_time        INTEGER NOT NULL,
  version            INTEGER NOT NULL DEFAULT 1,
  creator            TEXT NOT NULL,
  request_id         TEXT,
  sealed_shared      BLOB,
  sealed_sender      BLOB,
  CHECK (sending != receiving)
);
CREATE UNIQUE INDEX referrals_request_id ON referrals(sending, request_id)
  WHERE request_id IS NOT NULL;
CREATE INDEX referrals_inbox ON referrals(receiving, id);
CREATE INDEX referrals_inbox_by_status ON referrals(receiving, status, id);
CREATE INDEX referrals_outbox ON referrals(sending, id);
CREATE INDEX referrals_outbox_by_status ON referrals(sending, status, id);
CREATE INDEX referrals_by_deadline ON referrals(status, accept_deadline);
CREATE INDEX referrals_inbox_overdue
  ON referrals(receiving, status, accept_deadline);
CREATE INDEX referrals_outbox_overdue
  ON referrals(sending, status, accept_deadline);
CREATE INDEX referrals_by_case ON referrals(case_id);
CREATE TABLE referral_keys (
  referral_id  INTEGER NOT NULL REFERENCES referrals(id),
  holder       TEXT NOT NULL REFERENCES institutions(id),
  wrapped_dek  BLOB NOT NULL,
  PRIMARY KEY (referral_id, holder)
) WITHOUT ROWID;
CREATE TABLE referral_follow_ups (
  referral_id   INTEGER NOT NULL REFERENCES referrals(id),
  seq           INTEGER NOT NULL CHECK (seq >= 1),
  kind          INTEGER NOT NULL,
  occur_time    INTEGER NOT NULL,
  author        TEXT NOT NULL,
  create_time   INTEGER NOT NULL,
  wrapped_dek   BLOB,
  sealed_notes  BLOB,
  PRIMARY KEY (referral_id, seq)
) WITHOUT ROWID;
CREATE TABLE alerts (
  institution  TEXT NOT NULL REFERENCES institutions(id),
  seq          INTEGER NOT NULL CHECK (seq >= 1),
  kind         INTEGER NOT NULL,
  resource     TEXT NOT NULL,
  due_time     INTEGER NOT NULL DEFAULT 0,
  create_time  INTEGER NOT NULL,
  dedup_key    TEXT,
  PRIMARY KEY (institution, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX alerts_dedup ON alerts(dedup_key)
  WHERE dedup_key IS NOT NULL;
)sql";

// Statistics (services/stats): the allow-listed descriptor columns the
// count queries read, in one narrow covering index, so a scan reads the
// index (~30 bytes a case) instead of the wide cases table, every page of
// which SQLCipher decrypts and authenticates. Institution first: an
// institution's own queries are a range of it. SQLite keeps it in the
// transaction of every case write.
constexpr char kV6[] = R"sql(
CREATE INDEX cases_stats ON cases(institution, reported_date, state_code,
  municipality_code, kind, status, risk_level, victim_position,
  victim_age_band);
)sql";

// Version 7: the multi-valued descriptors whose catalogue codes fit in 63
// bits (violence types, modalities, conducts, self-identification: all
// below 32 in catalogues.proto) also as a bit mask per case, 1 << code,
// written by case_store.cc with the row, in the transaction that writes
// the codes. cases_stats is rebuilt with the masks, so a statistics query over
// one of them is a single scan of the covering index instead of the scan
// plus 1.5 M case_codes rows at a million cases. case_codes stays the
// record (request order, the other dimensions, filters). The unary + on
// code keeps the planner on the primary key (case_id, dimension): through
// case_codes_by_code each subquery would read every code of the dimension,
// hours at a million cases.
constexpr char kV7[] = R"sql(
ALTER TABLE cases ADD COLUMN violence_mask INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN modality_mask INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN conduct_mask INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN self_identification_mask INTEGER NOT NULL
  DEFAULT 0;
UPDATE cases SET
  violence_mask = (SELECT COALESCE(SUM(DISTINCT 1 << code), 0)
    FROM case_codes WHERE case_id = cases.id AND dimension = 1
    AND +code BETWEEN 1 AND 62),
  modality_mask = (SELECT COALESCE(SUM(DISTINCT 1 << code), 0)
    FROM case_codes WHERE case_id = cases.id AND dimension = 2
    AND +code BETWEEN 1 AND 62),
  conduct_mask = (SELECT COALESCE(SUM(DISTINCT 1 << code), 0)
    FROM case_codes WHERE case_id = cases.id AND dimension = 3
    AND +code BETWEEN 1 AND 62),
  self_identification_mask = (SELECT COALESCE(SUM(DISTINCT 1 << code), 0)
    FROM case_codes WHERE case_id = cases.id AND dimension = 5
    AND +code BETWEEN 1 AND 62);
DROP INDEX cases_stats;
CREATE INDEX cases_stats ON cases(institution, reported_date, state_code,
  municipality_code, kind, status, risk_level, victim_position,
  victim_age_band, violence_mask, modality_mask, conduct_mask,
  self_identification_mask);
)sql";

// Version 8: an index every case write kept for nothing:
// cases_by_reported (institution, reported_date) is a prefix of
// cases_stats. Each was a B-tree insert, and a page SQLCipher encrypts at
// commit, per case written. (cases_by_institution stays: it is what gives
// ListCases its cases in id order without a sort.)
constexpr char kV8[] = R"sql(
DROP INDEX cases_by_reported;
)sql";

// Version 9: the audit log's three secondary indexes. No query uses them:
// ListEntries walks an idx range (bounded, services/audit/audit_reader.cc)
// and filters it, the checkpointer and proofs read by idx. Yet every call's
// entry paid for all three, and audit_entries_by_resource put nearly every
// entry on a page of its own (case names arrive in no order), which
// SQLCipher encrypted and the WAL wrote at each commit: the largest part of
// an audited read's cost.
constexpr char kV9[] = R"sql(
DROP INDEX audit_entries_by_institution;
DROP INDEX audit_entries_by_resource;
DROP INDEX audit_entries_by_actor;
)sql";

// Version 10: the statistics ledger (services/stats/stats_engine.h).
// Every charge is one row: what it spent (kind 1: epsilon in millionths;
// kind 2: one distinct query of the suppressed answers' allowance), who
// (analyst and her institution), in which release period, and over which
// quarters of data (from_quarter..to_quarter, year * 4 + quarter - 1; 0
// for an unbounded start). Budgets per analyst and per institution are
// sums over a release period; the lifetime caps are sums over every charge
// that covers a quarter of data, whatever release made it. stats_answers
// stores the answer of every query (noisy or suppressed) per release
// period and canonical query, so that a repeated query gets the same
// answer and costs nothing. The version-4 tables are carried over: the
// budget rows as charges over every quarter (their quarters were not
// recorded), the releases as stored answers.
constexpr char kV10[] = R"sql(
CREATE TABLE stats_charges (
  id              INTEGER PRIMARY KEY,
  kind            INTEGER NOT NULL CHECK (kind IN (1, 2)),
  analyst         TEXT NOT NULL,
  institution     TEXT NOT NULL,
  release_period  TEXT NOT NULL,
  from_quarter    INTEGER NOT NULL CHECK (from_quarter >= 0),
  to_quarter      INTEGER NOT NULL CHECK (to_quarter >= from_quarter),
  amount          INTEGER NOT NULL CHECK (amount > 0),
  create_time     INTEGER NOT NULL
);
CREATE INDEX stats_charges_by_release ON stats_charges(kind, release_period,
  institution, analyst);
CREATE INDEX stats_charges_by_quarter ON stats_charges(kind, institution,
  to_quarter);
CREATE TABLE stats_answers (
  release_period  TEXT NOT NULL,
  query           TEXT NOT NULL,
  answer          BLOB NOT NULL,
  analyst         TEXT NOT NULL,
  epsilon_micro   INTEGER NOT NULL CHECK (epsilon_micro >= 0),
  create_time     INTEGER NOT NULL,
  PRIMARY KEY (release_period, query)
) WITHOUT ROWID;
INSERT INTO stats_charges(kind, analyst, institution, release_period,
    from_quarter, to_quarter, amount, create_time)
  SELECT 1, analyst,
         substr(analyst, 14, instr(substr(analyst, 14), '/') - 1),
         release_period, 0, 4 * 9999 + 3, spent_micro, update_time
  FROM stats_budget WHERE spent_micro > 0;
INSERT INTO stats_answers SELECT release_period, query, answer, analyst,
    epsilon_micro, create_time FROM stats_releases;
DROP TABLE stats_budget;
DROP TABLE stats_releases;
)sql";

// Version 11: request ids per user (AIP-155; services/cases/request_ids.h):
// until now a request id was unique per institution (per case for follow-ups
// and measures) and was stored in the row it made, so a colleague's reuse of an
// id got the first request's resource. One row per request made with an
// id, keyed by its user; the fingerprint (HMAC-SHA-256 under a key of the
// master key) tells a retry from another request. The old request_id
// columns stay (SQLite 3.15 drops no column) but are no longer written or
// read, and their unique indexes go: an id used before this version is not
// known as one afterwards (a retry of it across the upgrade makes a new
// record).
constexpr char kRequestIds[] = R"sql(
CREATE TABLE request_ids (
  institution  TEXT NOT NULL REFERENCES institutions(id),
  user_id      TEXT NOT NULL,
  request_id   TEXT NOT NULL,
  -- The RPC name, e.g. CreateCase.
  method       TEXT NOT NULL,
  fingerprint  BLOB NOT NULL CHECK (length(fingerprint) = 32),
  -- The resource name the request made.
  resource     TEXT NOT NULL,
  PRIMARY KEY (institution, user_id, request_id)
) WITHOUT ROWID;
DROP INDEX cases_request_id;
DROP INDEX follow_ups_request_id;
DROP INDEX protection_measures_request_id;
DROP INDEX referrals_request_id;
)sql";

// Version 12:
// every role a user has ever held, in the encoding of `roles`, so that role
// separation holds over time (admin/directory.h): who once administered or
// audited never receives a case role, and the reverse. Existing users have
// held their current roles at least.
constexpr char kHeldRoles[] = R"sql(
ALTER TABLE users ADD COLUMN held_roles TEXT NOT NULL DEFAULT '';
UPDATE users SET held_roles = roles;
)sql";

// Version 13: institution KEK rotations (admin/kek_rotations.h). One row
// per rotation, keyed by the version it rotates to; at most one RUNNING
// (state 1) per institution. The rewrap job (admin/kek_rewrap_job.h) keeps
// its place here after every batch, in the batch's own transaction, so a
// restart resumes where the last committed batch ended: phase 0 walks the
// institution's cases by id, 1 its referral copies (referral_keys) by
// referral id, 2 the referral follow-ups it received by (referral id,
// seq), 3 the registry entries it inscribed (registry_entries, version 15)
// by id; 4 retires the older versions. No key material: versions, counts,
// the cursor, who started it and when. (Phase 3 was added to this
// migration the day it was written, before any node ran it.)
constexpr char kKekRotations[] = R"sql(
CREATE TABLE kek_rotations (
  institution   TEXT NOT NULL REFERENCES institutions(id),
  to_version    INTEGER NOT NULL CHECK (to_version >= 2),
  from_version  INTEGER NOT NULL CHECK (from_version >= 1),
  state         INTEGER NOT NULL CHECK (state IN (1, 2)),
  phase         INTEGER NOT NULL DEFAULT 0 CHECK (phase BETWEEN 0 AND 4),
  cursor_id     INTEGER NOT NULL DEFAULT 0,
  cursor_seq    INTEGER NOT NULL DEFAULT 0,
  total         INTEGER NOT NULL CHECK (total >= 0),
  rewrapped     INTEGER NOT NULL DEFAULT 0 CHECK (rewrapped >= 0),
  started_by    TEXT NOT NULL,
  start_time    INTEGER NOT NULL,
  finish_time   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (institution, to_version)
) WITHOUT ROWID;
CREATE UNIQUE INDEX kek_rotations_running ON kek_rotations(institution)
  WHERE state = 1;
)sql";

// Version 14: the resolutions of a political-violence proceeding
// (v1.Resolution; services/cases/resolutions.h). About the proceeding, not
// the victim: the coded fields are columns that statistics may count
// (outcome, qualification, repeat offence, sanction types as a bit mask
// 1 << SanctionType, the term, measure kinds and compliance, the dates as
// yyyymmdd, 0 when unset); the authorities' names and file numbers are
// columns too but never a statistic's dimension. Only a resolution's notes
// and a reparation measure's description are sealed under the case's DEK
// (and go with it on erasure). No column names a person: a sanctioned
// person is a number within her resolution. The indexes serve the deadline
// monitor (reparation measures due by a day, by compliance status).
constexpr char kResolutions[] = R"sql(
CREATE TABLE resolutions (
  case_id              INTEGER NOT NULL REFERENCES cases(id),
  seq                  INTEGER NOT NULL CHECK (seq >= 1),
  resolving_authority  TEXT NOT NULL,
  file_number          TEXT NOT NULL,
  resolution_date      INTEGER NOT NULL,
  outcome              INTEGER NOT NULL,
  final_date           INTEGER NOT NULL DEFAULT 0,
  sealed_notes         BLOB,
  create_time          INTEGER NOT NULL,
  update_time          INTEGER NOT NULL,
  PRIMARY KEY (case_id, seq)
) WITHOUT ROWID;
CREATE TABLE sanctioned_persons (
  case_id          INTEGER NOT NULL,
  resolution_seq   INTEGER NOT NULL,
  seq              INTEGER NOT NULL CHECK (seq >= 1),
  qualification    INTEGER NOT NULL,
  repeat_offence   INTEGER NOT NULL CHECK (repeat_offence IN (0, 1)),
  sanction_types   INTEGER NOT NULL CHECK (sanction_types > 0),
  fine_units       INTEGER NOT NULL DEFAULT 0,
  fine_nanos       INTEGER NOT NULL DEFAULT 0,
  term_years       INTEGER NOT NULL DEFAULT 0,
  term_months      INTEGER NOT NULL DEFAULT 0,
  term_days        INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (case_id, resolution_seq, seq),
  FOREIGN KEY (case_id, resolution_seq) REFERENCES resolutions(case_id, seq)
) WITHOUT ROWID;
CREATE TABLE appeals (
  case_id              INTEGER NOT NULL,
  resolution_seq       INTEGER NOT NULL,
  seq                  INTEGER NOT NULL CHECK (seq >= 1),
  filed_date           INTEGER NOT NULL,
  reviewing_authority  TEXT NOT NULL,
  file_number          TEXT NOT NULL DEFAULT '',
  outcome              INTEGER NOT NULL,
  outcome_date         INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (case_id, resolution_seq, seq),
  FOREIGN KEY (case_id, resolution_seq) REFERENCES resolutions(case_id, seq)
) WITHOUT ROWID;
CREATE TABLE reparation_measures (
  case_id                INTEGER NOT NULL,
  resolution_seq         INTEGER NOT NULL,
  seq                    INTEGER NOT NULL CHECK (seq >= 1),
  kind                   INTEGER NOT NULL,
  responsible_authority  TEXT NOT NULL,
  due_date               INTEGER NOT NULL,
  compliance_status      INTEGER NOT NULL,
  sealed_description     BLOB,
  create_time            INTEGER NOT NULL,
  PRIMARY KEY (case_id, resolution_seq, seq),
  FOREIGN KEY (case_id, resolution_seq) REFERENCES resolutions(case_id, seq)
) WITHOUT ROWID;
CREATE INDEX reparation_measures_due
  ON reparation_measures(compliance_status, due_date);
)sql";

// Version 15: the registry of sanctioned persons
// (services/registry/registry_store.h). One row per inscription: its
// public fields as a serialized v1::RegistryEntry without the person's
// name (`entry`), the columns its queries need, and the person's name
// sealed under a data key of the entry's own (wrapped by the institution's
// KEK), so that the name is never stored in the clear.
constexpr char kRegistry[] = R"sql(
CREATE TABLE registry_entries (
  id                  INTEGER PRIMARY KEY,
  institution         TEXT NOT NULL REFERENCES institutions(id),
  seq                 INTEGER NOT NULL CHECK (seq >= 1),
  case_id             INTEGER NOT NULL REFERENCES cases(id),
  sanctioned_person   TEXT NOT NULL UNIQUE,
  status              INTEGER NOT NULL,
  state_code          TEXT NOT NULL,
  start_date          INTEGER NOT NULL,
  end_date            INTEGER NOT NULL,
  entry               BLOB NOT NULL,
  wrapped_dek         BLOB NOT NULL,
  sealed_person_name  BLOB NOT NULL,
  create_time         INTEGER NOT NULL,
  update_time         INTEGER NOT NULL,
  version             INTEGER NOT NULL DEFAULT 1,
  UNIQUE (institution, seq)
);
-- The entries in force by the day their term ends (the deadline monitor),
-- and a case's entries (is any still in force?).
CREATE INDEX registry_entries_by_end ON registry_entries(status, end_date);
CREATE INDEX registry_entries_by_case ON registry_entries(case_id, status);
)sql";

// Version 16: the woman's consent to coordination between institutions on
// a case (cases/related_cases.h), at most one per case. Coded, not
// personal data: who gave it, how and when, and with which institutions
// (all, or the comma-separated ids in `institutions`).
constexpr char kCoordinationConsents[] = R"sql(
CREATE TABLE coordination_consents (
  case_id           INTEGER PRIMARY KEY REFERENCES cases(id),
  given_by          INTEGER NOT NULL,
  method            INTEGER NOT NULL,
  give_time         INTEGER NOT NULL,
  all_institutions  INTEGER NOT NULL CHECK (all_institutions IN (0, 1)),
  institutions      TEXT NOT NULL,
  recorder          TEXT NOT NULL,
  record_time       INTEGER NOT NULL
);
)sql";

// Version 17: the electoral descriptors (territorial level, normative
// system, electoral stage: statistics dimensions since issue 19) join the
// covering index cases_stats. A statistics query reads the index instead
// of the table (INDEXED BY, services/stats/internal/sql_frame.cc); over
// the whole node, with no institution to seek, SQLite could not plan it
// with a column the index lacks ("no query solution"), and an oversight
// analyst's table by one of them failed. services/stats/allow_list_test.cc
// runs every dimension at every scope.
constexpr char kStatsIndexElectoral[] = R"sql(
DROP INDEX cases_stats;
CREATE INDEX cases_stats ON cases(institution, reported_date, state_code,
  municipality_code, kind, status, risk_level, victim_position,
  victim_age_band, violence_mask, modality_mask, conduct_mask,
  self_identification_mask, territorial_level, normative_system,
  electoral_stage);
)sql";

}  // namespace

std::vector<store::Migration> NodeMigrations() {
  return {{1, kV1},
          {2, kV2},
          {3, kV3},
          {4, kV4},
          {5, kV5},
          {6, kV6},
          {7, kV7},
          {8, kV8},
          {9, kV9},
          {10, kV10},
          {11, kRequestIds},
          {12, kHeldRoles},
          {13, kKekRotations},
          {14, kResolutions},
          {15, kRegistry},
          {16, kCoordinationConsents},
          {17, kStatsIndexElectoral}};
}

}  // namespace resguardo::schema
