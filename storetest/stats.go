package storetest

import (
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

var statsTests = []test{{"Stats", testStats}}

func testStats(t *testing.T, s hookhub.Store) {
	src := newSource(t, s)
	now := time.Now().UTC()
	var batch []*hookhub.NewEvent
	for i := range 3 {
		ev := &hookhub.Event{ID: hookhub.NewID(hookhub.PrefixEvent), SourceID: src.ID, Type: "push", Status: hookhub.EventAccepted,
			ReceivedAt: now.Add(-time.Duration(i) * time.Second), Headers: map[string][]string{}, Body: []byte("{}")}
		batch = append(batch, &hookhub.NewEvent{Event: ev})
	}
	must(t, s.SaveEvents(ctx(t), batch))
	apply(t, s, alertIn(src.ID, "a", hookhub.AlertFiring, now))
	apply(t, s, alertIn(src.ID, "b", hookhub.AlertFiring, now))
	st, err := s.Stats(ctx(t), now.Add(-10*time.Minute))
	must(t, err)
	if got := st.Events(); got != 3 {
		t.Fatalf("Stats counts %d events, want 3 (per minute %v)", got, st.EventsPerMinute)
	}
	if n := len(st.EventsPerMinute); n < 10 || n > 12 {
		t.Fatalf("%d minute buckets for 10 minutes", n)
	}
	if st.OpenIncidents[hookhub.SeverityHigh] != 2 {
		t.Fatalf("open incidents by severity: %v", st.OpenIncidents)
	}
	later, err := s.Stats(ctx(t), now.Add(time.Minute))
	must(t, err)
	if later.Events() != 0 {
		t.Fatalf("events after their time: %v", later.EventsPerMinute)
	}
}
