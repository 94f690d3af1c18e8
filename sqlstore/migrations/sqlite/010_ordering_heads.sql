-- The head of an ordering key is its earliest pending delivery: the only one
-- the claim looks at. The due index leaves the others out, so a key with a
-- long queue costs a claim one row, not its whole queue. Triggers keep the
-- flag: a new delivery is its key's head when nothing of the key is pending;
-- a head that finishes, or is deleted, hands the flag to the next; a
-- delivery made pending again (resent) is a head, as it goes first.
ALTER TABLE deliveries ADD COLUMN head INTEGER NOT NULL DEFAULT 0;
UPDATE deliveries SET head = TRUE WHERE ordering_key IS NOT NULL AND status = 'pending'
    AND NOT EXISTS (SELECT 1 FROM deliveries b WHERE b.destination_id = deliveries.destination_id
        AND b.ordering_key = deliveries.ordering_key AND b.status = 'pending' AND b.seq < deliveries.seq);
DROP INDEX deliveries_due;
CREATE INDEX deliveries_due ON deliveries (next_attempt_at)
    WHERE status = 'pending' AND held = FALSE AND (ordering_key IS NULL OR head = TRUE);
CREATE INDEX deliveries_ordered_leased ON deliveries (destination_id, ordering_key)
    WHERE status = 'pending' AND ordering_key IS NOT NULL AND lease_until IS NOT NULL;

DROP TRIGGER deliveries_seq;
CREATE TRIGGER deliveries_seq AFTER INSERT ON deliveries WHEN NEW.ordering_key IS NOT NULL
BEGIN
    UPDATE deliveries SET seq = NEW.rowid,
        head = NOT EXISTS (SELECT 1 FROM deliveries b WHERE b.destination_id = NEW.destination_id
            AND b.ordering_key = NEW.ordering_key AND b.status = 'pending' AND b.rowid <> NEW.rowid)
        WHERE rowid = NEW.rowid;
END;
CREATE TRIGGER deliveries_head_done AFTER UPDATE OF status ON deliveries
    WHEN NEW.ordering_key IS NOT NULL AND OLD.status = 'pending' AND NEW.status <> 'pending'
BEGIN
    UPDATE deliveries SET head = TRUE WHERE id = (SELECT id FROM deliveries
        WHERE destination_id = NEW.destination_id AND ordering_key = NEW.ordering_key AND status = 'pending'
        ORDER BY seq LIMIT 1);
END;
CREATE TRIGGER deliveries_head_again AFTER UPDATE OF status ON deliveries
    WHEN NEW.ordering_key IS NOT NULL AND OLD.status <> 'pending' AND NEW.status = 'pending'
BEGIN
    UPDATE deliveries SET head = TRUE WHERE id = NEW.id;
END;
CREATE TRIGGER deliveries_head_gone AFTER DELETE ON deliveries
    WHEN OLD.ordering_key IS NOT NULL AND OLD.status = 'pending' AND OLD.head
BEGIN
    UPDATE deliveries SET head = TRUE WHERE id = (SELECT id FROM deliveries
        WHERE destination_id = OLD.destination_id AND ordering_key = OLD.ordering_key AND status = 'pending'
        ORDER BY seq LIMIT 1);
END;
-- Deliveries of a key waiting behind its head, by creation: what the
-- repair of keys left without a head reads (see ReleaseHeld).
CREATE INDEX deliveries_ordered_waiting ON deliveries (created_at)
    WHERE status = 'pending' AND ordering_key IS NOT NULL AND head = FALSE;
