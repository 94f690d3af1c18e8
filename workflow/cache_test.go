package workflow

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

// hungStore never answers a workflow lookup before its context ends.
type hungStore struct {
	Store
	lookups atomic.Int32
}

func (h *hungStore) GetWorkflowBySource(ctx context.Context, sourceID string) (*hookhub.Workflow, error) {
	h.lookups.Add(1)
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestBoundTimeout: the timeout bounds the store read of a lookup the cache
// cannot answer, even when the caller's context has no deadline.
func TestBoundTimeout(t *testing.T) {
	store := &hungStore{}
	c := newBoundCache(store, time.Now)
	_, _, err := c.get(context.Background(), "src_1", 10*time.Millisecond)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("lookup over a hung store: %v, want the deadline", err)
	}
	if n := store.lookups.Load(); n != 1 {
		t.Fatalf("%d store lookups, want 1", n)
	}
}

// countingStore answers that no workflow is bound, counting the lookups.
type countingStore struct {
	Store
	lookups atomic.Int32
}

func (c *countingStore) GetWorkflowBySource(ctx context.Context, sourceID string) (*hookhub.Workflow, error) {
	c.lookups.Add(1)
	if _, ok := ctx.Deadline(); !ok {
		return nil, errors.New("a lookup without the timeout")
	}
	return nil, hookhub.Errorf(hookhub.ENOTFOUND, "no workflow")
}

// TestBoundCachesAbsence: a source without a workflow is remembered, so the
// next lookup reads nothing.
func TestBoundCachesAbsence(t *testing.T) {
	store := &countingStore{}
	c := newBoundCache(store, time.Now)
	for range 3 {
		if _, ok, err := c.get(context.Background(), "src_1", time.Second); err != nil || ok {
			t.Fatalf("get = %v, %v; want no workflow", ok, err)
		}
	}
	if n := store.lookups.Load(); n != 1 {
		t.Fatalf("%d store lookups for three gets, want 1", n)
	}
}
