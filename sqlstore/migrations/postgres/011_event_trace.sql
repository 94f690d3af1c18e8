-- The W3C trace context of the span that ingested an event, so the attempts
-- of its deliveries and its workflow runs, made later from the store,
-- continue the ingest's trace. Empty when tracing is off.
ALTER TABLE events ADD COLUMN trace_parent TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN trace_state TEXT NOT NULL DEFAULT '';
