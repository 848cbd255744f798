-- Sign-in back-off per source address and per user name, and idle sessions, SQLite dialect.
-- Keep in step with ../postgres/0009_aanmelden_en_sessies.sql.

-- A failed sign-in now names the address it came from ('' when unknown), so failures
-- are limited per source as well as per user name (jeugdroute-app's sign_in_limit.rs).
ALTER TABLE sign_in_failure ADD COLUMN source TEXT NOT NULL DEFAULT '';
CREATE INDEX sign_in_failure_source ON sign_in_failure (source, occurred_at);
-- Old failures are pruned by time.
CREATE INDEX sign_in_failure_occurred ON sign_in_failure (occurred_at);

-- When a session was last used: it ends after 30 minutes idle as well as at expires_at.
ALTER TABLE session ADD COLUMN last_used_at TEXT NOT NULL DEFAULT '';
UPDATE session SET last_used_at = created_at;
