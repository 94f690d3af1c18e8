package delivery_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/delivery"
)

// A delivery that fails for good is announced once to the destinations that
// ask for delivery.failed; when that announcement fails in turn, it is not
// announced again, so a receiver that fails everything cannot start a loop.
func TestDeliveryFailedIsNotAnnouncedAgain(t *testing.T) {
	t.Parallel()
	h := newHub(t)
	down := newReceiver(t, status(http.StatusInternalServerError))
	alerting := newReceiver(t, status(http.StatusInternalServerError))
	noRetry := func(d *hookhub.Destination) { d.Retry.MaxRetries = hookhub.NoRetries }
	orders := h.destination(down.url(), noRetry, func(d *hookhub.Destination) { d.Filter.EventTypes = []string{"order.*"} })
	watcher := h.destination(alerting.url(), noRetry, func(d *hookhub.Destination) {
		d.Filter.EventTypes = []string{delivery.EventDeliveryFailed}
	})
	d := h.enqueue(orders, 1)[0]
	eventually(t, "the order delivery to fail", func() bool { return h.delivery(d.ID).Status == hookhub.DeliveryFailed })

	ctx := context.Background()
	evs, _, err := h.store.ListEvents(ctx, hookhub.EventFilter{Type: delivery.EventDeliveryFailed})
	if err != nil || len(evs) != 1 {
		t.Fatalf("delivery.failed events after the first failure: %d (%v), want 1", len(evs), err)
	}
	ds, _, err := h.store.ListDeliveries(ctx, hookhub.DeliveryFilter{EventID: evs[0].ID})
	if err != nil || len(ds) != 1 || ds[0].DestinationID != watcher.ID {
		t.Fatalf("deliveries of the announcement: %+v (%v), want one to the watcher", ds, err)
	}
	// The announcement's own failure is committed with any announcement it
	// would make, so once it is failed the count is final.
	eventually(t, "the announcement to fail", func() bool { return h.delivery(ds[0].ID).Status == hookhub.DeliveryFailed })
	evs, _, err = h.store.ListEvents(ctx, hookhub.EventFilter{Type: delivery.EventDeliveryFailed})
	if err != nil || len(evs) != 1 {
		t.Fatalf("delivery.failed events after the announcement failed: %d (%v), want still 1", len(evs), err)
	}
}
