-- Roles for users and API keys, server-side console sessions and the login
-- failures that rate-limit sign-ins. Existing users keep their power: an
-- admin stays admin, anyone else becomes a viewer; existing keys (the
-- bootstrap key) become admin keys.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'viewer'
    CHECK (role IN ('admin', 'responder', 'viewer'));
UPDATE users SET role = CASE WHEN admin = 1 THEN 'admin' ELSE 'viewer' END;
ALTER TABLE users DROP COLUMN admin;
ALTER TABLE users ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
UPDATE users SET updated_at = created_at;

ALTER TABLE api_keys ADD COLUMN role TEXT NOT NULL DEFAULT 'admin'
    CHECK (role IN ('admin', 'responder', 'viewer'));

-- A session row is the hash of the cookie's token; deleting the row signs
-- the browser out on every replica at once.
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    client_ip    TEXT NOT NULL,
    user_agent   TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_failures (
    failure_key TEXT NOT NULL,
    at          INTEGER NOT NULL
) STRICT;
CREATE INDEX login_failures_key ON login_failures (failure_key, at);
CREATE INDEX login_failures_at ON login_failures (at);
