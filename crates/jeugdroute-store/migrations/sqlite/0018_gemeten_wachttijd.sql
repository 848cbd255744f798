-- The measured waiting time of a provider looks up the starts of the last 90
-- days that still stand (not removed by a later report), by their first day.
CREATE INDEX levering_start
    ON levering (begindatum) WHERE soort = 'start' AND removed_by IS NULL;
