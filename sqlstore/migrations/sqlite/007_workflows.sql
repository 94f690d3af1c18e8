-- Workflows. The definition (trigger, start, nodes) is kept per version, so
-- a run keeps the definition it started with while the workflow is edited;
-- secret node settings (http_request header values) are sealed apart from
-- it. A workflow is backed by one source: deleting the source deletes it.
CREATE TABLE workflows (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    source_id   TEXT NOT NULL UNIQUE REFERENCES sources (id) ON DELETE CASCADE,
    owns_source INTEGER NOT NULL,
    enabled     INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE workflow_versions (
    workflow_id TEXT NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    definition  TEXT NOT NULL,
    secrets     BLOB NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (workflow_id, version)
) STRICT;

-- Runs are queued in the transaction that stores their trigger event and
-- go with it when retention prunes it. A run is claimable when queued,
-- waiting or running, due, and not leased (lease_until NULL or past): a
-- running run whose lease expired lost its runner and is resumed.
CREATE TABLE workflow_runs (
    id          TEXT PRIMARY KEY,
    workflow_id TEXT NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    event_id    TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    rerun_of    TEXT NOT NULL,
    status      TEXT NOT NULL,
    node        TEXT NOT NULL,
    outputs     TEXT NOT NULL,
    error       TEXT NOT NULL,
    failed_node TEXT NOT NULL,
    step_count  INTEGER NOT NULL,
    due_at      INTEGER NOT NULL,
    lease_until INTEGER,
    claims      INTEGER NOT NULL,
    started_at  INTEGER,
    finished_at INTEGER,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX workflow_runs_workflow ON workflow_runs (workflow_id, id);
CREATE INDEX workflow_runs_event ON workflow_runs (event_id);
CREATE INDEX workflow_runs_due ON workflow_runs (due_at) WHERE status IN ('queued', 'waiting', 'running');

CREATE TABLE workflow_steps (
    run_id      TEXT NOT NULL REFERENCES workflow_runs (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    node        TEXT NOT NULL,
    type        TEXT NOT NULL,
    status      TEXT NOT NULL,
    input       TEXT NOT NULL,
    output      TEXT NOT NULL,
    error       TEXT NOT NULL,
    started_at  INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    PRIMARY KEY (run_id, seq)
) STRICT;
