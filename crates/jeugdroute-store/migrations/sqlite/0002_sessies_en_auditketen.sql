-- Sessions, failed sign-ins and the hash chain of the audit log, SQLite dialect.
-- Keep in step with ../postgres/0002_sessies_en_auditketen.sql.

-- A signed-in browser or API client. Only a hash of the cookie's token is kept, so
-- a copy of the database cannot be used to sign in.
CREATE TABLE session (
    token_hash TEXT PRIMARY KEY NOT NULL,
    account_id INTEGER NOT NULL REFERENCES account (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;
CREATE INDEX session_account ON session (account_id);

-- Failed sign-ins per user name, to refuse guessing after a few attempts.
CREATE TABLE sign_in_failure (
    id          INTEGER PRIMARY KEY,
    username    TEXT NOT NULL,
    occurred_at TEXT NOT NULL
) STRICT;
CREATE INDEX sign_in_failure_username ON sign_in_failure (username, occurred_at);

-- Each audit record carries the hash of the record before it and its own, so a
-- changed or removed record breaks the chain from there on.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_log_occurred ON audit_log (occurred_at);

-- How the question of a case came in (the melding).
ALTER TABLE casus ADD COLUMN vindplaats TEXT NOT NULL DEFAULT '';
ALTER TABLE casus ADD COLUMN verwijzer TEXT NOT NULL DEFAULT '06';
ALTER TABLE casus ADD COLUMN verwijzer_naam TEXT;
ALTER TABLE casus ADD COLUMN urgentie TEXT NOT NULL DEFAULT 'regulier';
