package storetest

import (
	"context"
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

// Benchmark measures the hot paths of a store: saving batches of ~1 KB
// events with one delivery each, and claiming and completing deliveries.
// open must return a fresh store and close it in b.Cleanup.
func Benchmark(b *testing.B, open func(b *testing.B) hookhub.Store) {
	for _, batch := range []int{1, 64} {
		b.Run(fmt.Sprintf("SaveEvents/batch=%d", batch), func(b *testing.B) {
			s := open(b)
			src, dst := benchTargets(b, s)
			b.ResetTimer()
			for b.Loop() {
				if err := s.SaveEvents(context.Background(), benchBatch(src, dst, batch, time.Now())); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "events/s")
		})
	}
	// As ingest with no destination: each event with its dedup key only.
	b.Run("SaveEventsNoDeliveries/batch=64", func(b *testing.B) {
		s := open(b)
		src, _ := benchTargets(b, s)
		b.ResetTimer()
		for b.Loop() {
			batch := benchBatch(src, "", 64, time.Now())
			for _, ne := range batch {
				ne.Deliveries = nil
			}
			if err := s.SaveEvents(context.Background(), batch); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N*64)/b.Elapsed().Seconds(), "events/s")
	})
	b.Run("ClaimComplete/batch=64", func(b *testing.B) {
		s := open(b)
		src, dst := benchTargets(b, s)
		b.ResetTimer()
		for b.Loop() {
			b.StopTimer()
			now := time.Now()
			if err := s.SaveEvents(context.Background(), benchBatch(src, dst, 64, now)); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			benchClaimComplete(b, s, now)
		}
		b.ReportMetric(float64(b.N*64)/b.Elapsed().Seconds(), "deliveries/s")
	})
}

func benchTargets(b *testing.B, s hookhub.Store) (src, dst string) {
	ctx := context.Background()
	sc := &hookhub.Source{Name: "bench", Type: hookhub.SourceGeneric, Key: "bench-" + hookhub.NewID(""), Active: true}
	d := &hookhub.Destination{Name: "bench", URL: "https://example.com", Enabled: true}
	if err := s.CreateSource(ctx, sc); err != nil {
		b.Fatal(err)
	}
	if err := s.CreateDestination(ctx, d); err != nil {
		b.Fatal(err)
	}
	return sc.ID, d.ID
}

func benchBatch(src, dst string, n int, now time.Time) []*hookhub.NewEvent {
	batch := make([]*hookhub.NewEvent, n)
	for i := range batch {
		body := make([]byte, 1024)
		rand.Read(body)
		ev := &hookhub.Event{SourceID: src, Type: "bench", ReceivedAt: now, Method: "POST", Path: "/hooks/bench",
			Headers: map[string][]string{"Content-Type": {"application/json"}}, Body: body,
			DedupKey: rand.Text()} // random, as provider delivery ids are
		batch[i] = &hookhub.NewEvent{Event: ev, Deliveries: []*hookhub.Delivery{{DestinationID: dst}},
			DedupScope: src, DedupWindow: time.Hour}
	}
	return batch
}

func benchClaimComplete(b *testing.B, s hookhub.Store, now time.Time) {
	ds, err := s.ClaimDeliveries(context.Background(), now, time.Minute, 64)
	if err != nil {
		b.Fatal(err)
	}
	results := make([]*hookhub.AttemptResult, len(ds))
	for i, d := range ds {
		results[i] = &hookhub.AttemptResult{Status: hookhub.DeliverySucceeded, LeaseToken: d.LeaseToken, Attempt: hookhub.Attempt{
			DeliveryID: d.ID, Trigger: d.Trigger, Target: "https://example.com", StatusCode: 200, StartedAt: now}}
	}
	if err := s.CompleteAttempts(context.Background(), results); err != nil {
		b.Fatal(err)
	}
}
