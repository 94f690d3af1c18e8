package routing

import (
	"slices"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

func dest(t *testing.T, id string, mod func(*hookhub.Destination)) Dest {
	t.Helper()
	d := &hookhub.Destination{ID: id, Name: id, Enabled: true}
	if mod != nil {
		mod(d)
	}
	rd, err := Compile(d)
	if err != nil {
		t.Fatal(err)
	}
	return rd
}

func ids(ds []*hookhub.Delivery) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.DestinationID)
	}
	return out
}

func TestInbound(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	dests := []Dest{
		dest(t, "named", nil),
		dest(t, "named-disabled", func(d *hookhub.Destination) { d.Enabled = false }),
		dest(t, "named-narrowed", func(d *hookhub.Destination) { d.Filter.EventTypes = []string{"pull_request"} }),
		dest(t, "by-filter", func(d *hookhub.Destination) { d.Filter.SourceIDs = []string{"src_1"} }),
		dest(t, "other-source", func(d *hookhub.Destination) { d.Filter.SourceIDs = []string{"src_2"} }),
		dest(t, "everything", nil),
		dest(t, "paused", func(d *hookhub.Destination) { d.Paused = true }),
		dest(t, "by-payload", func(d *hookhub.Destination) {
			d.Filter.SourceIDs = []string{"src_1"}
			d.Filter.Expression = `event.payload.ref == "refs/heads/main"`
		}),
	}
	src := &hookhub.Source{ID: "src_1", DestinationIDs: []string{"named", "named-disabled", "named-narrowed", "paused"}}
	ev := &hookhub.Event{ID: "evt_1", SourceID: "src_1", Type: "push", Body: []byte(`{"ref":"refs/heads/main"}`)}
	got := Inbound(dests, ev, src, now)
	if want := []string{"named", "by-filter", "paused", "by-payload"}; !slices.Equal(ids(got), want) {
		t.Fatalf("routed to %v, want %v", ids(got), want)
	}
	for _, d := range got {
		if d.EventID != "evt_1" || d.Status != hookhub.DeliveryPending || d.Trigger != hookhub.TriggerInitial ||
			!d.NextAttemptAt.Equal(now) || d.Held != (d.DestinationID == "paused") {
			t.Errorf("delivery %+v", d)
		}
	}
	ev.Body = []byte(`{"ref":"refs/heads/dev"}`)
	if got := ids(Inbound(dests, ev, src, now)); slices.Contains(got, "by-payload") {
		t.Errorf("payload filter matched a non-matching payload: %v", got)
	}
}

func TestPublished(t *testing.T) {
	t.Parallel()
	dests := []Dest{
		dest(t, "all", nil),
		dest(t, "disabled", func(d *hookhub.Destination) { d.Enabled = false }),
		dest(t, "incidents", func(d *hookhub.Destination) { d.Filter.EventTypes = []string{"incident.*"} }),
		dest(t, "critical", func(d *hookhub.Destination) { d.Filter.Severities = []string{"critical"} }),
		dest(t, "from-src", func(d *hookhub.Destination) { d.Filter.SourceIDs = []string{"src_9"} }),
	}
	ev := &hookhub.Event{ID: "evt_2", Type: "incident.created", Body: []byte(`{}`)}
	if got, want := ids(Published(dests, ev, "critical", "src_9", time.Now())), []string{"all", "incidents", "critical", "from-src"}; !slices.Equal(got, want) {
		t.Fatalf("incident event routed to %v, want %v", got, want)
	}
	ev.Type = "order.created"
	if got, want := ids(Published(dests, ev, "", "", time.Now())), []string{"all"}; !slices.Equal(got, want) {
		t.Fatalf("published event routed to %v, want %v", got, want)
	}
}
