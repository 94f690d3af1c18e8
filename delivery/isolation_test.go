package delivery_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/delivery"
)

// A receiver that takes 5 s per request holds only its own slots: another
// destination's deliveries go through at once.
func TestSlowDestinationDoesNotDelayOthers(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	slow := newReceiver(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		select {
		case <-time.After(5 * time.Second):
		case <-release:
		case <-r.Context().Done():
		}
	})
	fast := newReceiver(t, nil)
	// Small batches and few workers, so that the slow destination's backlog
	// fills whole claims and its lane overflows.
	h := newHub(t, func(o *delivery.Options) {
		o.Workers = 16
		o.BatchSize = 20
	})
	defer close(release) // before the engine stops, so Stop does not wait 5 s
	slowDest := h.destination(slow.url(), func(d *hookhub.Destination) { d.TimeoutSec = 30 })
	fastDest := h.destination(fast.url())
	h.enqueue(slowDest, 500) // more than the engine holds in memory (16 batches)
	fastDs := h.enqueue(fastDest, 100)

	start := time.Now()
	eventually(t, "the fast deliveries", func() bool { return fast.distinct() == len(fastDs) })
	took := time.Since(start)
	if took > 3*time.Second {
		t.Errorf("fast destination took %v behind a slow one", took)
	}
	for _, d := range fastDs {
		eventually(t, "success recorded", func() bool { return h.delivery(d.ID).Status == hookhub.DeliverySucceeded })
	}
	if n := slow.total(); n > slowDest.MaxConcurrency {
		t.Errorf("slow destination has %d requests in flight, limit %d", n, slowDest.MaxConcurrency)
	}
	ds, _, err := h.store.ListDeliveries(context.Background(), hookhub.DeliveryFilter{DestinationID: slowDest.ID, Status: hookhub.DeliverySucceeded})
	if err != nil || len(ds) != 0 {
		t.Errorf("slow deliveries succeeded already: %d (%v)", len(ds), err)
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, nil)
	h := newHub(t)
	dest := h.destination(rc.url(), func(d *hookhub.Destination) { d.RateLimit = 20 })
	ds := h.enqueue(dest, 50)

	start := time.Now()
	eventually(t, "every delivery", func() bool { return rc.distinct() == len(ds) })
	// A burst of 20, then 20 per second: 30 more take at least 1.5 s.
	if took := time.Since(start); took < 1400*time.Millisecond {
		t.Errorf("50 requests at 20/s took only %v", took)
	}
}
