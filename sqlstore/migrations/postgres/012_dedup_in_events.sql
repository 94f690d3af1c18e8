-- Dedup keys move into the events table: the event that holds a key (an
-- accepted event with a provider delivery ID or idempotency key, until a
-- later one takes the key over past its window) carries the key's scope in
-- dedup_scope, and a unique index on (dedup_scope, dedup_key) over those
-- events holds each key once. Storing an event is then one row and its own
-- index entries, not one more table and index; a pruned event frees its key
-- with its row. Every other event has dedup_scope NULL and costs the index
-- nothing.
ALTER TABLE events ADD COLUMN dedup_scope TEXT;
UPDATE events e SET dedup_scope = d.scope FROM event_dedup d
    WHERE d.event_id = e.id AND d.dedup_key = e.dedup_key;
DROP TABLE event_dedup;
CREATE UNIQUE INDEX events_dedup ON events (dedup_scope, dedup_key) WHERE dedup_scope IS NOT NULL;
