package delivery_test

import (
	"context"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

// BenchmarkDeliver measures deliveries per second from a SQLite store to a
// local receiver, from the first claim to the last recorded success.
func BenchmarkDeliver(b *testing.B) {
	rc := newReceiver(b, nil)
	h := &hub{t: b, store: openSQLite(b), clock: newClock(), logs: &logBuffer{}}
	dest := h.destination(rc.url(), func(d *hookhub.Destination) { d.MaxConcurrency = 64 })
	for i := 0; i < b.N; i += 1000 {
		h.save(dest, min(1000, b.N-i), h.clock.Now(), hookhub.TriggerInitial)
	}
	b.ResetTimer()
	start := time.Now()
	h.start().Notify()
	for {
		ds, _, err := h.store.ListDeliveries(context.Background(), hookhub.DeliveryFilter{
			DestinationID: dest.ID, Status: hookhub.DeliveryPending, Page: hookhub.Page{Limit: 1}})
		if err != nil {
			b.Fatal(err)
		}
		if len(ds) == 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
		if time.Since(start) > time.Minute {
			b.Fatalf("receiver %d; logs:\n%s", rc.total(), h.logs.String()[:min(3000, len(h.logs.String()))])
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "deliveries/s")
}
