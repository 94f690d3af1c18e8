package server

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

// sourceStore answers source lookups by key: hung, it never answers before
// its context ends; else it finds a source for any key.
type sourceStore struct {
	hookhub.Store
	hung    bool
	lookups atomic.Int32
}

func (s *sourceStore) GetSourceByKey(ctx context.Context, key string) (*hookhub.Source, error) {
	s.lookups.Add(1)
	if _, ok := ctx.Deadline(); !ok {
		return nil, errors.New("a lookup without the timeout")
	}
	if s.hung {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	src := &hookhub.Source{ID: "src_1", Key: key, Type: hookhub.SourceGeneric, Active: true}
	src.SetDefaults()
	return src, nil
}

// TestSourceCacheTimeout: the store timeout bounds the read of a key the
// cache does not hold, whatever the caller's context.
func TestSourceCacheTimeout(t *testing.T) {
	store := &sourceStore{hung: true}
	c := newSourceCache(store, time.Now, 10*time.Millisecond)
	if _, err := c.get(context.Background(), "k"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("lookup over a hung store: %v, want the deadline", err)
	}
}

// TestSourceCacheHit: a cached key reads nothing from the store.
func TestSourceCacheHit(t *testing.T) {
	store := &sourceStore{}
	c := newSourceCache(store, time.Now, time.Second)
	for range 3 {
		cs, err := c.get(context.Background(), "k")
		if err != nil || cs.src.Key != "k" {
			t.Fatalf("get = %+v, %v", cs, err)
		}
	}
	if n := store.lookups.Load(); n != 1 {
		t.Fatalf("%d store lookups for three gets, want 1", n)
	}
}
