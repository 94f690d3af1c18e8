package server

import (
	"context"
	"sync"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/verify"
)

// sourceCacheTTL bounds how long a change to a source can go unseen when the
// store cannot tell of it (another process on SQLite, or while the
// PostgreSQL change feed reconnects); changes the store reports (see
// hookhub.Store.Watch) are seen at once.
const sourceCacheTTL = 5 * time.Second

// sourceCache keeps sources and their built verifiers by key, so ingest costs
// no store read per request.
type sourceCache struct {
	store hookhub.Store
	now   func() time.Time
	// timeout bounds a read from the store on a miss; a hit costs no
	// timer.
	timeout time.Duration
	mu      sync.Mutex
	m       map[string]*cachedSource
	// gen counts forgets: a source read before one is not kept, since it
	// may predate the change that was forgotten.
	gen uint64
}

type cachedSource struct {
	src      *hookhub.Source
	verifier verify.Verifier
	err      error // a source whose verifier cannot be built rejects every request
	expires  time.Time
}

func newSourceCache(store hookhub.Store, now func() time.Time, timeout time.Duration) *sourceCache {
	return &sourceCache{store: store, now: now, timeout: timeout, m: map[string]*cachedSource{}}
}

// get returns the source with key, or an ENOTFOUND error.
func (c *sourceCache) get(ctx context.Context, key string) (*cachedSource, error) {
	now := c.now()
	c.mu.Lock()
	cs, ok := c.m[key]
	gen := c.gen
	c.mu.Unlock()
	if ok && now.Before(cs.expires) {
		return cs, nil
	}
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	src, err := c.store.GetSourceByKey(ctx, key)
	if err != nil {
		return nil, err
	}
	cs = &cachedSource{src: src, expires: now.Add(sourceCacheTTL)}
	cs.verifier, cs.err = verify.New(src.Verification, c.now)
	c.mu.Lock()
	if c.gen == gen {
		if len(c.m) > 100_000 {
			clear(c.m)
		}
		c.m[key] = cs
	}
	c.mu.Unlock()
	return cs, nil
}

// changed forgets a source that changed (every source on ChangeAll).
func (c *sourceCache) changed(ch hookhub.Change) {
	if !ch.Affects(hookhub.ChangeSource) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if ch.Kind == hookhub.ChangeAll {
		clear(c.m)
		return
	}
	for key, cs := range c.m {
		if cs.src.ID == ch.ID {
			delete(c.m, key)
		}
	}
}
