package storetest

import (
	"bytes"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

var eventTests = []test{
	{"EventRoundTrip", testEventRoundTrip},
	{"EventPublished", testEventPublished},
	{"EventEmptyBody", testEventEmptyBody},
	{"EventUntrustedText", testEventUntrustedText},
	{"SaveEventsAtomic", testSaveEventsAtomic},
	{"SaveEventsDeliveries", testSaveEventsDeliveries},
	{"SaveEventsDeletedTargets", testSaveEventsDeletedTargets},
	{"AddDeliveries", testAddDeliveries},
	{"GetEvents", testGetEvents},
	{"ListEvents", testListEvents},
}

func testEventRoundTrip(t *testing.T, s hookhub.Store) {
	src := newSource(t, s)
	want := fullEvent(src.ID)
	allSet(t, want)
	must(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{{Event: want, DedupScope: src.ID}}))
	got, err := s.GetEvent(ctx(t), want.ID)
	must(t, err)
	equal(t, "GetEvent", got, want)
	_, err = s.GetEvent(ctx(t), "evt_missing")
	wantCode(t, err, hookhub.ENOTFOUND)
}

func testEventPublished(t *testing.T, s hookhub.Store) {
	want := fullEvent("") // published through the API: no source
	must(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{{Event: want}}))
	got, err := s.GetEvent(ctx(t), want.ID)
	must(t, err)
	equal(t, "GetEvent", got, want)
}

func testEventEmptyBody(t *testing.T, s hookhub.Store) {
	src := newSource(t, s)
	ev := newEvent(src.ID, t0)
	ev.Body = nil
	ev.Method = "GET"
	must(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{{Event: ev}}))
	got, err := s.GetEvent(ctx(t), ev.ID)
	must(t, err)
	if len(got.Body) != 0 {
		t.Fatalf("body = %q, want empty", got.Body)
	}
}

// testEventUntrustedText stores request text that some databases refuse (NUL,
// invalid UTF-8): the event must be stored, its body byte for byte.
func testEventUntrustedText(t *testing.T, s hookhub.Store) {
	src := newSource(t, s)
	ev := newEvent(src.ID, t0)
	ev.Type = "a\x00b\xffc"
	ev.RawQuery = "q=\xfe"
	ev.Body = []byte("{\"type\":\"a\\u0000b\"}\x00\xff")
	ev.Headers = map[string][]string{"X-Bin": {"\xff"}}
	ev.Variables = map[string]any{"t": "a\x00b"}
	must(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{{Event: ev}}))
	got, err := s.GetEvent(ctx(t), ev.ID)
	must(t, err)
	if !bytes.Equal(got.Body, ev.Body) {
		t.Fatalf("body = %q, want %q", got.Body, ev.Body)
	}
	if strings.ContainsRune(got.Type, 0) || !strings.HasPrefix(got.Type, "a") || !strings.HasSuffix(got.Type, "c") {
		t.Fatalf("type = %q, want the text with NUL and invalid bytes replaced", got.Type)
	}
	if got.Variables["t"] != "a\x00b" {
		t.Fatalf("variable = %q, want NUL kept inside JSON", got.Variables["t"])
	}
}

func testSaveEventsAtomic(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	first := &hookhub.NewEvent{Event: newEvent(src.ID, t0), Deliveries: []*hookhub.Delivery{deliveryTo(dst.ID, t0)}}
	first.Event.DedupKey = "k1"
	clash := &hookhub.NewEvent{Event: newEvent(src.ID, t0)}
	clash.Event.ID = first.Event.ID // the second insert fails
	clash.Event.DedupKey = "k1"
	err := s.SaveEvents(ctx(t), []*hookhub.NewEvent{first, clash})
	if err == nil {
		t.Fatal("a batch with a failing event was saved")
	}
	_, err = s.GetEvent(ctx(t), first.Event.ID)
	wantCode(t, err, hookhub.ENOTFOUND)
	_, err = s.GetDelivery(ctx(t), first.Deliveries[0].ID)
	wantCode(t, err, hookhub.ENOTFOUND)
	if len(first.Deliveries) != 1 || clash.Event.Status != hookhub.EventAccepted {
		t.Fatal("a failed batch changed the caller's events")
	}
	// The failed batch left nothing behind: not even the dedup key.
	must(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{first}))
	if first.Event.Status != hookhub.EventAccepted || len(first.Deliveries) != 1 {
		t.Fatalf("retried event: status %q, %d deliveries", first.Event.Status, len(first.Deliveries))
	}
}

func testSaveEventsDeliveries(t *testing.T, s hookhub.Store) {
	src, a, b := newSource(t, s), newDestination(t, s), newDestination(t, s)
	ev := newEvent(src.ID, t0)
	// Only the destination is set: the store fills in the rest.
	ne := &hookhub.NewEvent{Event: ev, Deliveries: []*hookhub.Delivery{{DestinationID: a.ID}, {DestinationID: b.ID}}}
	must(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{ne}))
	for _, d := range ne.Deliveries {
		got, err := s.GetDelivery(ctx(t), d.ID)
		must(t, err)
		equal(t, "delivery", got, d)
		if got.EventID != ev.ID || got.Status != hookhub.DeliveryPending || got.Trigger != hookhub.TriggerInitial ||
			!got.NextAttemptAt.Equal(t0) || got.AttemptCount != 0 || got.CreatedAt.IsZero() {
			t.Fatalf("delivery defaults: %+v", got)
		}
	}
	list, _, err := s.ListDeliveries(ctx(t), hookhub.DeliveryFilter{EventID: ev.ID})
	must(t, err)
	if len(list) != 2 {
		t.Fatalf("%d deliveries of the event, want 2", len(list))
	}
}

// testSaveEventsDeletedTargets: routing may race a deletion. A delivery to a
// destination deleted meanwhile is dropped (an event of a deleted source fails its batch: see
// testSaveEventsOfDeletedSource).
func testSaveEventsDeletedTargets(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	ne := &hookhub.NewEvent{Event: newEvent(src.ID, t0),
		Deliveries: []*hookhub.Delivery{deliveryTo(dst.ID, t0), deliveryTo("dst_deleted", t0)}}
	must(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{ne}))
	if len(ne.Deliveries) != 1 || ne.Deliveries[0].DestinationID != dst.ID {
		t.Fatalf("deliveries after save: %+v, want only the one to the existing destination", ne.Deliveries)
	}
	list, _, err := s.ListDeliveries(ctx(t), hookhub.DeliveryFilter{EventID: ne.Event.ID})
	must(t, err)
	if len(list) != 1 {
		t.Fatalf("%d deliveries stored, want 1", len(list))
	}
}

func testAddDeliveries(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	ev, _ := saveWithDeliveries(t, s, src.ID, t0)
	d := &hookhub.Delivery{EventID: ev.ID, DestinationID: dst.ID, Trigger: hookhub.TriggerManual, NextAttemptAt: t0.Add(time.Minute)}
	must(t, s.AddDeliveries(ctx(t), []*hookhub.Delivery{d}))
	got, err := s.GetDelivery(ctx(t), d.ID)
	must(t, err)
	equal(t, "added delivery", got, d)
	if got.Status != hookhub.DeliveryPending || got.Trigger != hookhub.TriggerManual {
		t.Fatalf("added delivery: %+v", got)
	}
	bad := []*hookhub.Delivery{{EventID: ev.ID, DestinationID: dst.ID}, {EventID: "evt_missing", DestinationID: dst.ID}}
	wantCode(t, s.AddDeliveries(ctx(t), bad), hookhub.EINVALID)
	_, err = s.GetDelivery(ctx(t), bad[0].ID)
	wantCode(t, err, hookhub.ENOTFOUND) // the batch is all or nothing
}

func testGetEvents(t *testing.T, s hookhub.Store) {
	src := newSource(t, s)
	var batch []*hookhub.NewEvent
	var ids []string
	for range 3 {
		ev := newEvent(src.ID, t0)
		batch = append(batch, &hookhub.NewEvent{Event: ev})
		ids = append(ids, ev.ID)
	}
	must(t, s.SaveEvents(ctx(t), batch))
	got, err := s.GetEvents(ctx(t), append([]string{"evt_missing"}, ids...))
	must(t, err)
	var gotIDs []string
	for _, ev := range got {
		gotIDs = append(gotIDs, ev.ID)
	}
	sort.Strings(gotIDs)
	sort.Strings(ids)
	equal(t, "GetEvents IDs", gotIDs, ids)
	got, err = s.GetEvents(ctx(t), nil)
	must(t, err)
	if len(got) != 0 {
		t.Fatalf("GetEvents(nil) = %d events", len(got))
	}
}

func testListEvents(t *testing.T, s hookhub.Store) {
	a, b := newSource(t, s), newSource(t, s)
	var batch []*hookhub.NewEvent
	var all, ofA, pushes, rejected, window []string
	for i := range 12 {
		src := a
		if i%3 == 0 {
			src = b
		}
		ev := newEvent(src.ID, t0.Add(time.Duration(i)*time.Minute))
		if i%2 == 0 {
			ev.Type = "push"
			pushes = append(pushes, ev.ID)
		}
		if i == 5 || i == 7 {
			ev.Status = hookhub.EventRejected
			rejected = append(rejected, ev.ID)
		}
		if i >= 4 && i < 8 {
			window = append(window, ev.ID)
		}
		if src == a {
			ofA = append(ofA, ev.ID)
		}
		all = append(all, ev.ID)
		batch = append(batch, &hookhub.NewEvent{Event: ev})
	}
	must(t, s.SaveEvents(ctx(t), batch))
	for _, tc := range []struct {
		name string
		f    hookhub.EventFilter
		want []string
	}{
		{"all", hookhub.EventFilter{}, all},
		{"source", hookhub.EventFilter{SourceID: a.ID}, ofA},
		{"type", hookhub.EventFilter{Type: "push"}, pushes},
		{"status", hookhub.EventFilter{Status: hookhub.EventRejected}, rejected},
		{"since inclusive, until exclusive", hookhub.EventFilter{Since: t0.Add(4 * time.Minute), Until: t0.Add(8 * time.Minute)}, window},
	} {
		got := pageAll(t, 5, func(p hookhub.Page) ([]string, string, error) {
			f := tc.f
			f.Page = p
			list, next, err := s.ListEvents(ctx(t), f)
			out := make([]string, len(list))
			for i, x := range list {
				out[i] = x.ID
			}
			return out, next, err
		})
		equal(t, tc.name, got, newest(tc.want))
	}
	// After lists oldest first, forward from the given ID, with the other
	// filters still applying.
	after := pageAll(t, 2, func(p hookhub.Page) ([]string, string, error) {
		list, next, err := s.ListEvents(ctx(t), hookhub.EventFilter{SourceID: a.ID, After: all[3], Page: p})
		out := make([]string, len(list))
		for i, x := range list {
			out[i] = x.ID
		}
		return out, next, err
	})
	var wantAfter []string
	for _, id := range ofA {
		if id > all[3] {
			wantAfter = append(wantAfter, id)
		}
	}
	equal(t, "after", after, wantAfter)
}
