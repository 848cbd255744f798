-- Waiting times: measured from the trail, and what a provider says of itself.
-- The measured waiting time of a provider looks up the starts of the last 90
-- days that still stand (not removed by a later report), by their first day.
CREATE INDEX levering_start
    ON levering (begindatum) WHERE soort = 'start' AND removed_by IS NULL;
-- A provider may say it takes no new clients for now (opnamestop); when it last
-- reported its expected wait or its opnamestop is shown beside them.
ALTER TABLE aanbieder ADD COLUMN opnamestop BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE aanbieder ADD COLUMN wachttijd_gemeld_op TIMESTAMPTZ;
