//! Attacks on scope and on what is kept: access after a withdrawn allocation, search wildcards, malformed XML.
