-- How families reach a gemeente and who signs its letters, SQLite dialect. Keep in
-- step with ../postgres/0006_gemeente_contact.sql. (0005 is taken by another change.)
--
-- A row of its own rather than columns on gemeente: a gemeente configured before
-- this migration simply has no contact yet, and its letters are refused with a
-- message naming the gemeente until the region configuration gives one.
CREATE TABLE gemeente_contact (
    cbs_code           TEXT PRIMARY KEY NOT NULL REFERENCES gemeente (cbs_code),
    street             TEXT NOT NULL CHECK (length(street) > 0),
    house_number       TEXT NOT NULL CHECK (length(house_number) > 0),
    postcode           TEXT NOT NULL CHECK (length(postcode) BETWEEN 6 AND 7),
    city               TEXT NOT NULL CHECK (length(city) > 0),
    telefoon           TEXT NOT NULL CHECK (length(telefoon) > 0),
    email              TEXT NOT NULL CHECK (email LIKE '%_@_%'),
    signatory_name     TEXT NOT NULL CHECK (length(signatory_name) > 0),
    signatory_function TEXT NOT NULL CHECK (length(signatory_function) > 0)
) STRICT;
