-- Ordered delivery: a delivery to a destination with ordering "fifo" carries
-- its ordering key (NULL for every other delivery) and a sequence number in
-- the order it was stored. Within one destination and key, only the earliest
-- pending delivery is claimed, and none while another of the key is leased.
-- Existing rows keep a NULL seq (they have no key); new rows take one from
-- the sequence, which costs a cached nextval.
CREATE SEQUENCE deliveries_seq;
ALTER TABLE deliveries ADD COLUMN ordering_key TEXT COLLATE "C";
ALTER TABLE deliveries ADD COLUMN seq BIGINT;
ALTER TABLE deliveries ALTER COLUMN seq SET DEFAULT nextval('deliveries_seq');
CREATE INDEX deliveries_ordered ON deliveries (destination_id, ordering_key, seq)
    WHERE status = 'pending' AND ordering_key IS NOT NULL;
