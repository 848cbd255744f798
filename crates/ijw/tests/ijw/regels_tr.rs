//! The technical rules within one message (technische-regels/xslt): one golden invalid message each, with retour code 0001.
