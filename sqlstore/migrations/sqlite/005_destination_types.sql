-- Destinations have a type: webhook (every existing one) or an event bus. A
-- webhook's URL joins its other settings in `config`, so the table holds
-- what every type has and each type's settings live in `config` (and, when
-- secret, in `secrets`). An attempt's `url` becomes its `target`: a URL, or a
-- broker and its subject, topic or stream.
ALTER TABLE destinations ADD COLUMN type TEXT NOT NULL DEFAULT 'webhook';
UPDATE destinations SET config = json_set(config, '$.url', url);
ALTER TABLE destinations DROP COLUMN url;
ALTER TABLE attempts RENAME COLUMN url TO target;
