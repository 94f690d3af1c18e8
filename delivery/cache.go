package delivery

import (
	"context"
	"sync"
	"time"
)

// cache keeps objects read from the store for a short while: destinations and
// sources change rarely, and reading one per delivery would cost a query per
// request. The engine forgets an object as soon as the store reports it
// changed (see hookhub.Store.Watch); ttl bounds how long a change goes unseen
// when the store cannot tell of it.
type cache[T any] struct {
	load func(ctx context.Context, id string) (T, error)
	ttl  time.Duration

	mu  sync.Mutex
	m   map[string]cached[T]
	gen uint64 // counts forgets: what was read before one is not kept
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
	gen := c.gen
	c.mu.Unlock()
	if ok && time.Since(e.fetched) < c.ttl {
		return e.v, nil
	}
	v, err := c.load(ctx, id)
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.gen == gen {
		c.m[id] = cached[T]{v: v, fetched: time.Now()}
	}
	c.mu.Unlock()
	return v, nil
}

// forget drops an object so the next get reads it again.
func (c *cache[T]) forget(id string) {
	c.mu.Lock()
	c.gen++
	delete(c.m, id)
	c.mu.Unlock()
}

// forgetAll drops every object.
func (c *cache[T]) forgetAll() {
	c.mu.Lock()
	c.gen++
	clear(c.m)
	c.mu.Unlock()
}
