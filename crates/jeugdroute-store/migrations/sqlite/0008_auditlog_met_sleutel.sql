-- The audit log made tamper-evident with a key, SQLite dialect.
-- Keep in step with ../postgres/0008_auditlog_met_sleutel.sql.

-- Which MAC a record carries: 0 the unkeyed BLAKE2b hash of records written before
-- this migration, 1 the keyed BLAKE2b MAC (key outside the database).
ALTER TABLE audit_log ADD COLUMN mac_version INTEGER NOT NULL DEFAULT 0;

-- REPLACE deletes the old row without firing the DELETE trigger: refuse any
-- insert whose id is not above the highest (-1 is SQLite's "assign one for me").
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN NEW.id <> -1 AND NEW.id <= (SELECT COALESCE(MAX(id), 0) FROM audit_log)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- The clients a list record names: one record for a whole list shown, its
-- clients here, covered by the record's MAC.
CREATE TABLE audit_log_client (
    audit_id    INTEGER NOT NULL REFERENCES audit_log (id),
    jeugdige_id INTEGER NOT NULL,
    PRIMARY KEY (audit_id, jeugdige_id)
) STRICT;
CREATE INDEX audit_log_client_jeugdige ON audit_log_client (jeugdige_id);

CREATE TRIGGER audit_log_client_no_update BEFORE UPDATE ON audit_log_client
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_client_no_delete BEFORE DELETE ON audit_log_client
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- Clients are added only to the newest record, in the transaction that wrote it.
CREATE TRIGGER audit_log_client_only_newest BEFORE INSERT ON audit_log_client
WHEN NEW.audit_id <> (SELECT MAX(id) FROM audit_log)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- Each verification of the chain: when, how far, and what it found. The newest
-- whole one is the checkpoint start-up verifies from. Not an audit table: it
-- only saves work, the full verification trusts nothing in it.
CREATE TABLE audit_check (
    id           INTEGER PRIMARY KEY,
    checked_at   TEXT NOT NULL,
    whole_chain  INTEGER NOT NULL,
    checked      INTEGER NOT NULL,
    up_to_id     INTEGER,
    up_to_mac    TEXT,
    first_bad_id INTEGER,
    reason       TEXT
) STRICT;
