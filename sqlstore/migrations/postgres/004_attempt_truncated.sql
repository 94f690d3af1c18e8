-- An attempt keeps a bounded part of what the receiver answered; truncated
-- names the parts that were cut (comma-separated), so nobody mistakes a cut
-- answer for the whole one.
ALTER TABLE attempts ADD COLUMN truncated TEXT NOT NULL DEFAULT '';
