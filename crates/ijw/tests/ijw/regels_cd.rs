//! The condities, constraints and restrictions (CD, CS, RS) of the rule texts that the XSD does not enforce: one golden invalid message each.
