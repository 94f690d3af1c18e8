-- The inspector shows which incidents an event opened or joined.
CREATE INDEX incident_timeline_event ON incident_timeline (event_id) WHERE event_id <> '';
-- The inspector lists rejected or duplicate events newest first; these hold
-- only those rows, so accepted events (nearly all of them) cost nothing.
CREATE INDEX events_rejected_id ON events (id) WHERE status = 'rejected';
CREATE INDEX events_duplicate_id ON events (id) WHERE status = 'duplicate';
