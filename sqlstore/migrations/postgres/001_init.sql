-- Hookhub's schema on PostgreSQL; the same tables as on SQLite. IDs sort by
-- creation time byte-wise, so they use the "C" collation: cursors compare
-- them and the database's own collation might order them differently.
-- Nested settings are JSON text in `config` (text rather than jsonb: nothing
-- queries inside it, and values round-trip exactly); secret settings are one
-- AES-GCM sealed JSON document in `secrets`.

CREATE TABLE sources (
    id         TEXT COLLATE "C" PRIMARY KEY,
    name       TEXT NOT NULL,
    type       TEXT NOT NULL,
    url_key    TEXT NOT NULL UNIQUE,
    active     BOOLEAN NOT NULL,
    config     TEXT NOT NULL,
    secrets    BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE destinations (
    id                   TEXT COLLATE "C" PRIMARY KEY,
    name                 TEXT NOT NULL,
    url                  TEXT NOT NULL,
    enabled              BOOLEAN NOT NULL,
    disabled_reason      TEXT NOT NULL,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    config               TEXT NOT NULL,
    secrets              BYTEA NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);

-- Events keep the request exactly as received: body as bytes, headers,
-- query and extracted variables as JSON. source_id is NULL for events
-- published through the API.
CREATE TABLE events (
    id            TEXT COLLATE "C" PRIMARY KEY,
    source_id     TEXT COLLATE "C" REFERENCES sources (id) ON DELETE CASCADE,
    type          TEXT NOT NULL,
    status        TEXT NOT NULL,
    received_at   TIMESTAMPTZ NOT NULL,
    method        TEXT NOT NULL,
    path          TEXT NOT NULL,
    raw_query     TEXT NOT NULL,
    headers       TEXT NOT NULL,
    body          BYTEA NOT NULL,
    client_ip     TEXT NOT NULL,
    verify_scheme TEXT NOT NULL,
    verify_result TEXT NOT NULL,
    verify_reason TEXT NOT NULL,
    dedup_key     TEXT NOT NULL,
    duplicate_of  TEXT COLLATE "C" NOT NULL,
    variables     TEXT NOT NULL
);
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
    event_id   TEXT COLLATE "C" NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (scope, dedup_key)
);
CREATE INDEX event_dedup_event ON event_dedup (event_id);

-- The delivery queue. A delivery is claimable when pending, due and not
-- leased (lease_until NULL or past).
CREATE TABLE deliveries (
    id              TEXT COLLATE "C" PRIMARY KEY,
    event_id        TEXT COLLATE "C" NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    destination_id  TEXT COLLATE "C" NOT NULL REFERENCES destinations (id) ON DELETE CASCADE,
    status          TEXT NOT NULL,
    next_trigger    TEXT NOT NULL,
    attempt_count   INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    lease_until     TIMESTAMPTZ,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
-- Only pending deliveries are ever claimed, so the claim index holds only them.
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_event ON deliveries (event_id);
CREATE INDEX deliveries_destination ON deliveries (destination_id, id);
CREATE INDEX deliveries_destination_failed ON deliveries (destination_id, created_at) WHERE status = 'failed';

CREATE TABLE attempts (
    id               TEXT COLLATE "C" PRIMARY KEY,
    delivery_id      TEXT COLLATE "C" NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    number           INTEGER NOT NULL,
    trigger_kind     TEXT NOT NULL,
    url              TEXT NOT NULL,
    request_headers  TEXT NOT NULL,
    status_code      INTEGER NOT NULL,
    response_headers TEXT NOT NULL,
    response_body    BYTEA NOT NULL,
    duration_ms      BIGINT NOT NULL,
    error            TEXT NOT NULL,
    started_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX attempts_delivery ON attempts (delivery_id, number);

CREATE TABLE users (
    id            TEXT COLLATE "C" PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    admin         BOOLEAN NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_keys (
    id           TEXT COLLATE "C" PRIMARY KEY,
    name         TEXT NOT NULL,
    user_id      TEXT COLLATE "C" REFERENCES users (id) ON DELETE CASCADE,
    hash         BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ
);
CREATE INDEX api_keys_user ON api_keys (user_id);

-- Incidents group alerts by fingerprint; an alert joins the open incident
-- (triggered or acknowledged) with its fingerprint.
CREATE TABLE incidents (
    id           TEXT COLLATE "C" PRIMARY KEY,
    title        TEXT NOT NULL,
    severity     TEXT NOT NULL,
    status       TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    source_id    TEXT COLLATE "C" REFERENCES sources (id) ON DELETE SET NULL,
    alert_count  INTEGER NOT NULL DEFAULT 0,
    labels       TEXT NOT NULL,
    link         TEXT NOT NULL,
    description  TEXT NOT NULL,
    runbook      TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    acknowledged_at TIMESTAMPTZ,
    resolved_at  TIMESTAMPTZ,
    closed_at    TIMESTAMPTZ
);
-- At most one open incident per source and fingerprint, whatever races.
CREATE UNIQUE INDEX incidents_open_fingerprint ON incidents (source_id, fingerprint)
    WHERE status IN ('triggered', 'acknowledged');
CREATE INDEX incidents_fingerprint ON incidents (source_id, fingerprint, resolved_at);
CREATE INDEX incidents_activity ON incidents (updated_at, id);
CREATE INDEX incidents_status ON incidents (status, updated_at);

CREATE TABLE incident_timeline (
    id          TEXT COLLATE "C" PRIMARY KEY,
    incident_id TEXT COLLATE "C" NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    actor       TEXT NOT NULL,
    event_id    TEXT COLLATE "C" NOT NULL DEFAULT '',
    from_status TEXT NOT NULL DEFAULT '',
    to_status   TEXT NOT NULL DEFAULT '',
    message     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX incident_timeline_incident ON incident_timeline (incident_id, at);
