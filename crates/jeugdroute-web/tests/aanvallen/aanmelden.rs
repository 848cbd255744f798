//! Attacks on signing in and on sessions: guessing, locking others out, flooding, stolen tokens.
