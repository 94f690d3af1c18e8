package delivery

import (
	"context"
	"sync"
	"time"
)

// cache keeps objects read from the store for a short while: destinations and
// sources change rarely, and reading one per delivery would cost a query per
// request. An edit therefore takes effect within ttl; the engine forgets a
// destination at once when it disables it itself.
type cache[T any] struct {
	load func(ctx context.Context, id string) (T, error)
	ttl  time.Duration

	mu sync.Mutex
	m  map[string]cached[T]
}

type cached[T any] struct {
	v       T
	fetched time.Time
}

func newCache[T any](ttl time.Duration, load func(context.Context, string) (T, error)) *cache[T] {
	return &cache[T]{load: load, ttl: ttl, m: make(map[string]cached[T])}
}

// get returns the object, from the cache while it is fresh. The value is shared:
// callers must not modify what it points to.
func (c *cache[T]) get(ctx context.Context, id string) (T, error) {
	c.mu.Lock()
	e, ok := c.m[id]
	c.mu.Unlock()
	if ok && time.Since(e.fetched) < c.ttl {
		return e.v, nil
	}
	v, err := c.load(ctx, id)
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	c.m[id] = cached[T]{v: v, fetched: time.Now()}
	c.mu.Unlock()
	return v, nil
}

// forget drops an object so the next get reads it again.
func (c *cache[T]) forget(id string) {
	c.mu.Lock()
	delete(c.m, id)
	c.mu.Unlock()
}
