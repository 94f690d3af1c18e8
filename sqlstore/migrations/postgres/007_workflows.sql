-- Workflows. The definition (trigger, start, nodes) is kept per version, so
-- a run keeps the definition it started with while the workflow is edited;
-- secret node settings (http_request header values) are sealed apart from
-- it. A workflow is backed by one source: deleting the source deletes it.
CREATE TABLE workflows (
    id          TEXT COLLATE "C" PRIMARY KEY,
    name        TEXT NOT NULL,
    source_id   TEXT COLLATE "C" NOT NULL UNIQUE REFERENCES sources (id) ON DELETE CASCADE,
    owns_source BOOLEAN NOT NULL,
    enabled     BOOLEAN NOT NULL,
    version     INTEGER NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE workflow_versions (
    workflow_id TEXT COLLATE "C" NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    definition  TEXT NOT NULL,
    secrets     BYTEA NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (workflow_id, version)
);

-- Runs are queued in the transaction that stores their trigger event and
-- go with it when retention prunes it. A run is claimable when queued,
-- waiting or running, due, and not leased (lease_until NULL or past): a
-- running run whose lease expired lost its runner and is resumed.
CREATE TABLE workflow_runs (
    id          TEXT COLLATE "C" PRIMARY KEY,
    workflow_id TEXT COLLATE "C" NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    event_id    TEXT COLLATE "C" NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    rerun_of    TEXT NOT NULL,
    status      TEXT NOT NULL,
    node        TEXT NOT NULL,
    outputs     TEXT NOT NULL,
    error       TEXT NOT NULL,
    failed_node TEXT NOT NULL,
    step_count  INTEGER NOT NULL,
    due_at      TIMESTAMPTZ NOT NULL,
    lease_until TIMESTAMPTZ,
    claims      INTEGER NOT NULL,
    started_at  TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX workflow_runs_workflow ON workflow_runs (workflow_id, id);
CREATE INDEX workflow_runs_event ON workflow_runs (event_id);
CREATE INDEX workflow_runs_due ON workflow_runs (due_at) WHERE status IN ('queued', 'waiting', 'running');

CREATE TABLE workflow_steps (
    run_id      TEXT COLLATE "C" NOT NULL REFERENCES workflow_runs (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    node        TEXT NOT NULL,
    type        TEXT NOT NULL,
    status      TEXT NOT NULL,
    input       TEXT NOT NULL,
    output      TEXT NOT NULL,
    error       TEXT NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    duration_ms BIGINT NOT NULL,
    PRIMARY KEY (run_id, seq)
);
