package workflow

import (
	"context"
	"sync"
	"time"

	"github.com/hookhub/hookhub"
)

// boundTTL bounds how long another replica's change to a workflow can go
// unseen; changes made through this process are seen at once (Forget).
const boundTTL = 2 * time.Second

// maxCached bounds each cache; past it the cache starts over.
const maxCached = 10_000

// boundCache keeps which workflow each source triggers, compiled, so
// ingest costs no store read per request; sources without one are cached
// too.
type boundCache struct {
	store Store
	now   func() time.Time
	mu    sync.Mutex
	m     map[string]boundEntry
}

type boundEntry struct {
	c       *Compiled // nil: the source triggers no workflow
	expires time.Time
}

func newBoundCache(store Store, now func() time.Time) *boundCache {
	return &boundCache{store: store, now: now, m: map[string]boundEntry{}}
}

func (b *boundCache) get(ctx context.Context, sourceID string, timeout time.Duration) (*Compiled, bool, error) {
	now := b.now()
	b.mu.Lock()
	e, ok := b.m[sourceID]
	b.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.c, e.c != nil, nil
	}
	e = boundEntry{expires: now.Add(boundTTL)}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	w, err := b.store.GetWorkflowBySource(ctx, sourceID)
	switch {
	case hookhub.ErrorCode(err) == hookhub.ENOTFOUND:
	case err != nil:
		return nil, false, err
	default:
		w.SetDefaults()
		if e.c, err = Compile(w); err != nil {
			return nil, false, err
		}
	}
	b.mu.Lock()
	if len(b.m) >= maxCached {
		clear(b.m)
	}
	b.m[sourceID] = e
	b.mu.Unlock()
	return e.c, e.c != nil, nil
}

func (b *boundCache) forget(sourceID string) {
	b.mu.Lock()
	delete(b.m, sourceID)
	b.mu.Unlock()
}

// versionCache keeps compiled workflow versions: a version never changes.
type versionCache struct {
	store Store
	mu    sync.Mutex
	m     map[versionKey]*Compiled
}

type versionKey struct {
	id      string
	version int
}

func newVersionCache(store Store) *versionCache {
	return &versionCache{store: store, m: map[versionKey]*Compiled{}}
}

func (v *versionCache) get(ctx context.Context, id string, version int) (*Compiled, error) {
	k := versionKey{id, version}
	v.mu.Lock()
	c := v.m[k]
	v.mu.Unlock()
	if c != nil {
		return c, nil
	}
	w, err := v.store.GetWorkflowVersion(ctx, id, version)
	if err != nil {
		return nil, err
	}
	w.SetDefaults()
	if c, err = Compile(w); err != nil {
		return nil, err
	}
	v.mu.Lock()
	if len(v.m) >= maxCached {
		clear(v.m)
	}
	v.m[k] = c
	v.mu.Unlock()
	return c, nil
}
