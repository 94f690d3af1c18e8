package server

import (
	"context"
	"sync"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/verify"
)

// sourceCacheTTL bounds how long another replica's change to a source can go
// unseen; changes made through this process are seen at once.
const sourceCacheTTL = 5 * time.Second

// sourceCache keeps sources and their built verifiers by key, so ingest costs
// no store read per request.
type sourceCache struct {
	store hookhub.Store
	now   func() time.Time
	mu    sync.Mutex
	m     map[string]*cachedSource
}

type cachedSource struct {
	src      *hookhub.Source
	verifier verify.Verifier
	err      error // a source whose verifier cannot be built rejects every request
	expires  time.Time
}

func newSourceCache(store hookhub.Store, now func() time.Time) *sourceCache {
	return &sourceCache{store: store, now: now, m: map[string]*cachedSource{}}
}

// get returns the source with key, or an ENOTFOUND error.
func (c *sourceCache) get(ctx context.Context, key string) (*cachedSource, error) {
	now := c.now()
	c.mu.Lock()
	cs, ok := c.m[key]
	c.mu.Unlock()
	if ok && now.Before(cs.expires) {
		return cs, nil
	}
	src, err := c.store.GetSourceByKey(ctx, key)
	if err != nil {
		return nil, err
	}
	cs = &cachedSource{src: src, expires: now.Add(sourceCacheTTL)}
	cs.verifier, cs.err = verify.New(src.Verification, c.now)
	c.mu.Lock()
	if len(c.m) > 100_000 {
		clear(c.m)
	}
	c.m[key] = cs
	c.mu.Unlock()
	return cs, nil
}

// forget drops a source after it changed.
func (c *sourceCache) forget(key string) {
	c.mu.Lock()
	delete(c.m, key)
	c.mu.Unlock()
}
