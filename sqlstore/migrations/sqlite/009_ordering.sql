-- Ordered delivery: a delivery to a destination with ordering "fifo" carries
-- its ordering key (NULL for every other delivery) and a sequence number in
-- the order it was stored. Within one destination and key, only the earliest
-- pending delivery is claimed, and none while another of the key is leased.
-- The sequence copies the rowid at insert, as VACUUM may renumber rowids.
ALTER TABLE deliveries ADD COLUMN ordering_key TEXT;
ALTER TABLE deliveries ADD COLUMN seq INTEGER;
CREATE TRIGGER deliveries_seq AFTER INSERT ON deliveries WHEN NEW.ordering_key IS NOT NULL
BEGIN
    UPDATE deliveries SET seq = NEW.rowid WHERE rowid = NEW.rowid;
END;
CREATE INDEX deliveries_ordered ON deliveries (destination_id, ordering_key, seq)
    WHERE status = 'pending' AND ordering_key IS NOT NULL;
