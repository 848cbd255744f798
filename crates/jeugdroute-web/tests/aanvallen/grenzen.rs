//! Attacks with oversized, malformed or slow input, and what the answers may reveal or leave cached.
