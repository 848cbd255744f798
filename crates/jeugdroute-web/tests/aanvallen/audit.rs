//! Attacks on the audit log: rewriting, removing and forging records.
