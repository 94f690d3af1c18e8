package delivery_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/delivery"
)

// TestEngineReleasesHeldLeftovers: a delivery held for a destination that is
// not paused (routed on a stale view of a resume) is released by the engine's
// sweep and delivered, without anyone calling Notify.
func TestEngineReleasesHeldLeftovers(t *testing.T) {
	t.Parallel()
	h := newHub(t, func(o *delivery.Options) { o.ReleaseInterval = 50 * time.Millisecond })
	rc := newReceiver(t, func(http.ResponseWriter, *http.Request, int) {})
	dest := h.destination(rc.url())
	now := h.clock.Now()
	ev := &hookhub.Event{ID: hookhub.NewID(hookhub.PrefixEvent), Type: "order.created", Status: hookhub.EventAccepted,
		ReceivedAt: now, Body: []byte(`{}`), Verification: hookhub.VerificationResult{Result: hookhub.VerifyNone}}
	d := &hookhub.Delivery{ID: hookhub.NewID(hookhub.PrefixDelivery), DestinationID: dest.ID,
		Status: hookhub.DeliveryPending, Trigger: hookhub.TriggerInitial, Held: true, NextAttemptAt: now}
	if err := h.store.SaveEvents(context.Background(), []*hookhub.NewEvent{{Event: ev, Deliveries: []*hookhub.Delivery{d}}}); err != nil {
		t.Fatal(err)
	}
	// The receiver sees the request before the engine records the result:
	// wait for the recorded success itself.
	eventually(t, "the held leftover delivered and recorded", func() bool {
		got := h.delivery(d.ID)
		return !got.Held && got.Status == hookhub.DeliverySucceeded
	})
	if n := rc.total(); n != 1 {
		t.Fatalf("receiver got %d requests, want 1", n)
	}
}
