-- Pausing a destination holds its pending deliveries: they stay pending but
-- leave the claim index until the destination is resumed, so a large paused
-- backlog costs the queue nothing.
ALTER TABLE destinations ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
DROP INDEX deliveries_due;
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending' AND held = FALSE;
CREATE INDEX deliveries_held ON deliveries (destination_id) WHERE held = TRUE;
