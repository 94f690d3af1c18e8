package storetest

import (
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

// alertEventTests cover alerts applied in their event's own transaction.
var alertEventTests = []test{
	{"SaveEventsAppliesAlerts", testSaveEventsAppliesAlerts},
	{"SaveEventsDropsAlertsOfDuplicates", testSaveEventsDropsAlertsOfDuplicates},
	{"SaveEventsAlertsAtomic", testSaveEventsAlertsAtomic},
}

// announceTo returns an announcer that makes an incident event with a
// delivery to dst, and the events it made.
func announceTo(dst string) (hookhub.Announcer, *[]*hookhub.NewEvent) {
	var made []*hookhub.NewEvent
	return func(inc *hookhub.Incident, e *hookhub.TimelineEntry) (*hookhub.NewEvent, error) {
		ev := &hookhub.Event{ID: hookhub.NewID(hookhub.PrefixEvent), Type: "incident." + e.Kind, Status: hookhub.EventAccepted,
			ReceivedAt: e.At, Method: "POST", Body: []byte(`{"incident":"` + inc.ID + `"}`)}
		ne := &hookhub.NewEvent{Event: ev, Deliveries: []*hookhub.Delivery{deliveryTo(dst, e.At)}}
		made = append(made, ne)
		return ne, nil
	}, &made
}

// withAlerts returns a new event of src carrying alerts of fingerprint fp,
// announced by announce.
func withAlerts(src, fp string, at time.Time, announce hookhub.Announcer, statuses ...string) *hookhub.NewEvent {
	ne := &hookhub.NewEvent{Event: newEvent(src, at)}
	for i, st := range statuses {
		in := alertIn(src, fp, st, at.Add(time.Duration(i)*time.Millisecond))
		in.EventID = "" // SaveEvents sets it
		in.Announce = announce
		ne.Alerts = append(ne.Alerts, in)
	}
	return ne
}

func testSaveEventsAppliesAlerts(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	announce, made := announceTo(dst.ID)
	ne := withAlerts(src.ID, "disk", t0, announce, hookhub.AlertFiring, hookhub.AlertFiring)
	other := &hookhub.NewEvent{Event: newEvent(src.ID, t0)}
	must(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{other, ne}))
	equal(t, "outcomes", len(ne.AlertOutcomes), 2)
	if other.AlertOutcomes != nil {
		t.Fatalf("an event without alerts has outcomes: %s", dump(other.AlertOutcomes))
	}
	first, second := ne.AlertOutcomes[0], ne.AlertOutcomes[1]
	if !first.Created || first.Change == nil || second.Created || second.Incident == nil || second.Incident.ID != first.Incident.ID {
		t.Fatalf("outcomes: %s, %s", dump(first), dump(second))
	}
	inc, err := s.GetIncident(ctx(t), first.Incident.ID)
	must(t, err)
	equal(t, "alert count", inc.AlertCount, 2)
	entries, _, err := s.ListTimeline(ctx(t), inc.ID, hookhub.Page{Limit: 10})
	must(t, err)
	for _, e := range entries {
		equal(t, "timeline entry's event", e.EventID, ne.Event.ID)
	}
	equal(t, "announcements", len(*made), 1)
	if _, err := s.GetEvent(ctx(t), (*made)[0].Event.ID); err != nil {
		t.Fatalf("announcement not stored: %v", err)
	}
	ds, _, err := s.ListDeliveries(ctx(t), hookhub.DeliveryFilter{EventID: (*made)[0].Event.ID})
	must(t, err)
	equal(t, "announcement deliveries", len(ds), 1)
}

func testSaveEventsDropsAlertsOfDuplicates(t *testing.T, s hookhub.Store) {
	src := newSource(t, s)
	first := withAlerts(src.ID, "dup", t0, nil, hookhub.AlertFiring)
	first.Event.DedupKey, first.DedupWindow = "delivery-1", time.Hour
	must(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{first}))
	again := withAlerts(src.ID, "dup", t0.Add(time.Second), nil, hookhub.AlertFiring)
	again.Event.DedupKey, again.DedupWindow = "delivery-1", time.Hour
	must(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{again}))
	equal(t, "status of the repeat", again.Event.Status, hookhub.EventDuplicate)
	if again.AlertOutcomes != nil {
		t.Fatalf("a duplicate's alerts were applied: %s", dump(again.AlertOutcomes))
	}
	inc, err := s.GetIncident(ctx(t), first.AlertOutcomes[0].Incident.ID)
	must(t, err)
	equal(t, "alert count", inc.AlertCount, 1)
}

// testSaveEventsAlertsAtomic: when an alert cannot be applied, the event is
// not stored either, and a retry of the same request applies it once.
func testSaveEventsAlertsAtomic(t *testing.T, s hookhub.Store) {
	src := newSource(t, s)
	failing := func(*hookhub.Incident, *hookhub.TimelineEntry) (*hookhub.NewEvent, error) {
		return nil, hookhub.Errorf(hookhub.EINTERNAL, "cannot announce")
	}
	ne := withAlerts(src.ID, "atomic", t0, failing, hookhub.AlertFiring)
	bystander := &hookhub.NewEvent{Event: newEvent(src.ID, t0)}
	if err := s.SaveEvents(ctx(t), []*hookhub.NewEvent{bystander, ne}); err == nil {
		t.Fatal("SaveEvents succeeded although an alert could not be applied")
	}
	if _, err := s.GetEvent(ctx(t), ne.Event.ID); hookhub.ErrorCode(err) != hookhub.ENOTFOUND {
		t.Fatalf("the event of a failed alert was stored: %v", err)
	}
	incs, _, err := s.ListIncidents(ctx(t), hookhub.IncidentFilter{SourceID: src.ID, Page: hookhub.Page{Limit: 10}})
	must(t, err)
	equal(t, "incidents after the failure", len(incs), 0)

	for _, in := range ne.Alerts {
		in.Announce = nil
	}
	must(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{ne}))
	incs, _, err = s.ListIncidents(ctx(t), hookhub.IncidentFilter{SourceID: src.ID, Page: hookhub.Page{Limit: 10}})
	must(t, err)
	if len(incs) != 1 || incs[0].AlertCount != 1 {
		t.Fatalf("after the retry: %s", dump(incs))
	}
}
