-- Claiming holds a copy back while its original still waits: a small index over
-- the digests of waiting messages answers that with one lookup per candidate,
-- whatever the planner thinks of the queue's size (a batch of thousands arriving
-- at once cost a scan of the waiting queue per candidate). A closed message
-- leaves it.
CREATE INDEX inbox_waiting_digest ON inbox (digest) WHERE state = 'ontvangen';
