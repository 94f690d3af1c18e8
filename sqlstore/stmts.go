package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStmts bounds the statement cache. Hot statements have fixed text
// (multi-row statements come in a few power-of-two sizes, see sizedChunks),
// so the cache stays small; past the bound a statement is prepared per use.
const maxCachedStmts = 512

// stmtCache keeps statements prepared on a pool, by query text. Preparing a
// multi-row statement costs SQLite as much as running it, and database/sql
// prepares anew for every call unless it is given a prepared statement. A
// statement is prepared on each connection once, when it is first used there.
//
// Preparing on a pool needs one of its connections, which a transaction on
// SQLite's one-connection write pool holds; so a statement first met inside
// a transaction runs unprepared and is prepared before the next transaction
// begins (preparePending), never while one is open.
type stmtCache struct {
	db *sql.DB

	mu      sync.Mutex
	m       map[string]*sql.Stmt
	pending map[string]bool
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: make(map[string]*sql.Stmt), pending: make(map[string]bool)}
}

// lookup returns the prepared statement for query, or nil after noting it
// to be prepared.
func (c *stmtCache) lookup(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, known := c.m[query]
	if !known && len(c.m)+len(c.pending) < maxCachedStmts {
		c.pending[query] = true
	}
	return st
}

// prepare prepares query and caches it; the lock is not held while
// preparing, which waits for a connection.
func (c *stmtCache) prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.pending, query)
	if old := c.m[query]; old != nil {
		st.Close()
		return old, nil
	}
	c.m[query] = st
	return st, nil
}

// preparePending prepares the statements noted by lookup. Call it only
// while holding no connection of the pool.
func (c *stmtCache) preparePending(ctx context.Context) {
	c.mu.Lock()
	if len(c.pending) == 0 {
		c.mu.Unlock()
		return
	}
	queries := make([]string, 0, len(c.pending))
	for q := range c.pending {
		queries = append(queries, q)
	}
	c.mu.Unlock()
	for _, q := range queries {
		if _, err := c.prepare(ctx, q); err != nil {
			// Left to run unprepared; it was noted once and is not retried.
			c.mu.Lock()
			delete(c.pending, q)
			c.m[q] = nil
			c.mu.Unlock()
		}
	}
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		if st != nil {
			st.Close()
		}
		delete(c.m, q)
	}
}

// txStmt returns query prepared for tx: from the write pool's cache when the
// dialect caches, else nil (the caller runs the text).
func (s *Store) txStmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	if s.wstmts == nil {
		return nil, nil
	}
	st := s.wstmts.lookup(query)
	if st == nil {
		return nil, nil
	}
	return tx.StmtContext(ctx, st), nil
}

// txExec runs a change in tx, through the statement cache.
func (s *Store) txExec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	query = s.q(query)
	st, err := s.txStmt(ctx, tx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return tx.ExecContext(ctx, query, args...)
	}
	return st.ExecContext(ctx, args...)
}

// txQuery runs a query in tx, through the statement cache.
func (s *Store) txQuery(ctx context.Context, tx *sql.Tx, query string, args ...any) (*sql.Rows, error) {
	query = s.q(query)
	st, err := s.txStmt(ctx, tx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return tx.QueryContext(ctx, query, args...)
	}
	return st.QueryContext(ctx, args...)
}

// poolQuery runs a query on a pool (s.read or s.write), through that pool's
// statement cache. The caller must hold no connection of the pool.
func (s *Store) poolQuery(ctx context.Context, db *sql.DB, query string, args ...any) (*sql.Rows, error) {
	query = s.q(query)
	c := s.rstmts
	if db == s.write {
		c = s.wstmts
	}
	if c != nil {
		st := c.lookup(query)
		if st == nil {
			c.preparePending(ctx)
			st = c.lookup(query)
		}
		if st != nil {
			return st.QueryContext(ctx, args...)
		}
	}
	return db.QueryContext(ctx, query, args...)
}

// sizedChunks splits n items into runs whose lengths are powers of two no
// larger than max (largest first), so multi-row statements come in a few
// fixed sizes that the statement cache can keep: 100 rows are 64 + 32 + 4.
func sizedChunks(n, max int) []int {
	top := 1
	for top*2 <= max {
		top *= 2
	}
	var out []int
	for size := top; n > 0; {
		if size <= n {
			out = append(out, size)
			n -= size
			continue
		}
		size /= 2
	}
	return out
}
