package delivery_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/delivery"
)

// An engine that stops without recording its work (as if the process died)
// leaves leases behind; once they expire another engine delivers everything.
func TestRestartDeliversEverything(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		time.Sleep(20 * time.Millisecond)
	})
	h := newHub(t, func(o *delivery.Options) { o.Workers = 8 })
	dest := h.destination(rc.url())
	ds := h.enqueue(dest, 200)

	eventually(t, "some deliveries", func() bool { return rc.total() >= 40 })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h.eng.Stop(ctx) // abandon in-flight requests and queued claims
	seen := rc.distinct()
	if seen == len(ds) {
		t.Fatal("the first engine finished everything; nothing left to recover")
	}

	h.clock.Advance(delivery.DefaultLease + time.Second)
	h.eng = h.start()
	eventually(t, "every delivery", func() bool { return rc.distinct() == len(ds) })
	for _, d := range ds {
		eventually(t, "success recorded", func() bool { return h.delivery(d.ID).Status == hookhub.DeliverySucceeded })
	}
	t.Logf("first engine reached %d of %d; %d requests in all", seen, len(ds), rc.total())
}
