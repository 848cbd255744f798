-- Ending an onderaannemer, PostgreSQL dialect. Keep in step with
-- ../sqlite/0023_onderaannemer_einde.sql.

-- The hoofdaannemer ends an onderaannemer's part of an allocation, or one it
-- registered by mistake: the row stays, with when and why, so the gemeente
-- still sees who delivered; an ended onderaannemer no longer sees the case.
ALTER TABLE onderaannemer
    ADD COLUMN beeindigd_op TIMESTAMPTZ,
    ADD COLUMN einde_reden TEXT CHECK (length(einde_reden) <= 500),
    ADD CHECK ((beeindigd_op IS NULL) = (einde_reden IS NULL));
