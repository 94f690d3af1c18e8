-- Each claim of a delivery takes a fresh lease token, and only a result that
-- carries the current token is recorded: a worker whose lease expired (and
-- whose delivery another worker claimed, or finished) cannot undo what came
-- after it. Completion, holding and requeueing clear the token.
ALTER TABLE deliveries ADD COLUMN lease_token TEXT NOT NULL DEFAULT '';
