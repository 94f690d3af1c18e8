package sender

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

type fakeConn struct {
	id     int
	closed atomic.Bool
}

func TestPool(t *testing.T) {
	t.Parallel()
	var dials atomic.Int32
	release := make(chan struct{})
	fail := atomic.Bool{}
	p := NewPool(func(ctx context.Context, d *hookhub.Destination) (*fakeConn, error) {
		n := dials.Add(1)
		<-release
		if fail.Load() {
			return nil, errors.New("connection refused")
		}
		return &fakeConn{id: int(n)}, nil
	}, func(c *fakeConn) { c.closed.Store(true) }, func(c *fakeConn) bool { return !c.closed.Load() })
	d := &hookhub.Destination{ID: "dst_1", Type: hookhub.DestinationNATS, NATS: &hookhub.NATSSettings{URL: "nats://a:4222", Subject: "s"}}

	// Concurrent attempts share one dial.
	var wg sync.WaitGroup
	conns := make([]*fakeConn, 5)
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := p.Get(context.Background(), d)
			if err != nil {
				t.Error(err)
			}
			conns[i] = c
		}()
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	if dials.Load() != 1 {
		t.Fatalf("%d dials for concurrent attempts, want 1", dials.Load())
	}
	for _, c := range conns {
		if c != conns[0] {
			t.Fatal("attempts got different connections")
		}
	}
	// A dropped connection is closed and replaced.
	p.Drop(d, conns[0])
	if !conns[0].closed.Load() {
		t.Fatal("dropped connection not closed")
	}
	c2, err := p.Get(context.Background(), d)
	if err != nil || c2 == conns[0] || dials.Load() != 2 {
		t.Fatalf("after drop: %v, %v, %d dials", c2, err, dials.Load())
	}
	// New settings get a new connection; the old one is closed.
	d2 := *d
	d2.NATS = &hookhub.NATSSettings{URL: "nats://b:4222", Subject: "s"}
	c3, err := p.Get(context.Background(), &d2)
	if err != nil || c3 == c2 {
		t.Fatalf("after settings change: %v, %v", c3, err)
	}
	eventually(t, func() bool { return c2.closed.Load() })
	// A failed dial fails the attempt with its reason.
	p.Drop(&d2, c3)
	fail.Store(true)
	if _, err := p.Get(context.Background(), &d2); err == nil || err.Error() != "connection refused" {
		t.Fatalf("failed dial: %v", err)
	}
	p.Close()
	if _, err := p.Get(context.Background(), &d2); hookhub.ErrorCode(err) != hookhub.EUNAVAILABLE {
		t.Fatalf("after close: %v", err)
	}
}

func eventually(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(time.Millisecond)
	}
}
