-- Hookhub's schema on SQLite. Times are INTEGER microseconds since the Unix
-- epoch (UTC); booleans are INTEGER 0/1. Nested settings are JSON text in
-- `config`; secret settings are one AES-GCM sealed JSON document in `secrets`.
-- STRICT tables reject values of the wrong type instead of storing them.

CREATE TABLE sources (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    type       TEXT NOT NULL,
    url_key    TEXT NOT NULL UNIQUE,
    active     INTEGER NOT NULL,
    config     TEXT NOT NULL,
    secrets    BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE destinations (
    id                   TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    url                  TEXT NOT NULL,
    enabled              INTEGER NOT NULL,
    disabled_reason      TEXT NOT NULL,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    config               TEXT NOT NULL,
    secrets              BLOB NOT NULL,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
) STRICT;

-- Events keep the request exactly as received: body as bytes, headers,
-- query and extracted variables as JSON. source_id is NULL for events
-- published through the API.
CREATE TABLE events (
    id            TEXT PRIMARY KEY,
    source_id     TEXT REFERENCES sources (id) ON DELETE CASCADE,
    type          TEXT NOT NULL,
    status        TEXT NOT NULL,
    received_at   INTEGER NOT NULL,
    method        TEXT NOT NULL,
    path          TEXT NOT NULL,
    raw_query     TEXT NOT NULL,
    headers       TEXT NOT NULL,
    body          BLOB NOT NULL,
    client_ip     TEXT NOT NULL,
    verify_scheme TEXT NOT NULL,
    verify_result TEXT NOT NULL,
    verify_reason TEXT NOT NULL,
    dedup_key     TEXT NOT NULL,
    duplicate_of  TEXT NOT NULL,
    variables     TEXT NOT NULL
) STRICT;
-- Listing a source's events newest first, and pruning its oldest.
CREATE INDEX events_source_id ON events (source_id, id);
CREATE INDEX events_source_received ON events (source_id, received_at);
-- Rejected requests are kept briefly; this finds the expired ones.
CREATE INDEX events_rejected ON events (received_at) WHERE status = 'rejected';

-- One row per (scope, key) taken: the event that holds the key and since
-- when. It is taken over once its window has passed, and pruned with its
-- event. No foreign key: the key is taken before the event row exists.
CREATE TABLE event_dedup (
    scope      TEXT NOT NULL,
    dedup_key  TEXT NOT NULL,
    event_id   TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (scope, dedup_key)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_dedup_event ON event_dedup (event_id);

-- The delivery queue. A delivery is claimable when pending, due and not
-- leased (lease_until NULL or past).
CREATE TABLE deliveries (
    id              TEXT PRIMARY KEY,
    event_id        TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    destination_id  TEXT NOT NULL REFERENCES destinations (id) ON DELETE CASCADE,
    status          TEXT NOT NULL,
    next_trigger    TEXT NOT NULL,
    attempt_count   INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_until     INTEGER,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;
-- Only pending deliveries are ever claimed, so the claim index holds only them.
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_event ON deliveries (event_id);
CREATE INDEX deliveries_destination ON deliveries (destination_id, id);
CREATE INDEX deliveries_destination_failed ON deliveries (destination_id, created_at) WHERE status = 'failed';

CREATE TABLE attempts (
    id               TEXT PRIMARY KEY,
    delivery_id      TEXT NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    number           INTEGER NOT NULL,
    trigger_kind     TEXT NOT NULL,
    url              TEXT NOT NULL,
    request_headers  TEXT NOT NULL,
    status_code      INTEGER NOT NULL,
    response_headers TEXT NOT NULL,
    response_body    BLOB NOT NULL,
    duration_ms      INTEGER NOT NULL,
    error            TEXT NOT NULL,
    started_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX attempts_delivery ON attempts (delivery_id, number);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    admin         INTEGER NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    user_id      TEXT REFERENCES users (id) ON DELETE CASCADE,
    hash         BLOB NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER
) STRICT;
CREATE INDEX api_keys_user ON api_keys (user_id);

-- Incidents group alerts by fingerprint; an alert joins the open incident
-- (triggered or acknowledged) with its fingerprint.
CREATE TABLE incidents (
    id           TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    severity     TEXT NOT NULL,
    status       TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    source_id    TEXT REFERENCES sources (id) ON DELETE SET NULL,
    alert_count  INTEGER NOT NULL DEFAULT 0,
    labels       TEXT NOT NULL,
    link         TEXT NOT NULL,
    description  TEXT NOT NULL,
    runbook      TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    acknowledged_at INTEGER,
    resolved_at  INTEGER,
    closed_at    INTEGER
) STRICT;
-- At most one open incident per source and fingerprint, whatever races.
CREATE UNIQUE INDEX incidents_open_fingerprint ON incidents (source_id, fingerprint)
    WHERE status IN ('triggered', 'acknowledged');
CREATE INDEX incidents_fingerprint ON incidents (source_id, fingerprint, resolved_at);
CREATE INDEX incidents_activity ON incidents (updated_at, id);
CREATE INDEX incidents_status ON incidents (status, updated_at);

CREATE TABLE incident_timeline (
    id          TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    event_id    TEXT NOT NULL DEFAULT '',
    from_status TEXT NOT NULL DEFAULT '',
    to_status   TEXT NOT NULL DEFAULT '',
    message     TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX incident_timeline_incident ON incident_timeline (incident_id, at);
