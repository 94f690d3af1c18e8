package storetest

import (
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

var destinationTests = []test{
	{"DestinationRoundTrip", testDestinationRoundTrip},
	{"DestinationUpdate", testDestinationUpdate},
	{"DestinationNotFound", testDestinationNotFound},
	{"DestinationDeleteCascades", testDestinationDeleteCascades},
	{"DestinationDeleteUnnames", testDestinationDeleteUnnames},
	{"DestinationList", testDestinationList},
}

func testDestinationRoundTrip(t *testing.T, s hookhub.Store) {
	want := fullDestination()
	allSet(t, want)
	must(t, s.CreateDestination(ctx(t), want))
	got, err := s.GetDestination(ctx(t), want.ID)
	must(t, err)
	equal(t, "GetDestination", got, want)

	dup := fullDestination()
	dup.ID = want.ID
	wantCode(t, s.CreateDestination(ctx(t), dup), hookhub.ECONFLICT)
}

func testDestinationUpdate(t *testing.T, s hookhub.Store) {
	d := fullDestination()
	must(t, s.CreateDestination(ctx(t), d))
	// An empty retry schedule is not the default schedule (nil); both must
	// survive. The type changes too: the webhook's settings go with it.
	upd := &hookhub.Destination{ID: d.ID, Name: "renamed", Type: hookhub.DestinationNATS,
		NATS:  &hookhub.NATSSettings{URL: "nats://hub:pa55@nats.example.com:4222", Subject: "hooks.{{ event.type }}"},
		Retry: hookhub.RetryPolicy{MaxRetries: 0, ScheduleSeconds: []int{}}, TimeoutSec: 1,
		Enabled: false, DisabledReason: "10 deliveries in a row failed", ConsecutiveFailures: 0,
		CreatedAt: t0.Add(time.Hour), UpdatedAt: t0.Add(2 * time.Hour)}
	replaceDestination(t, s, upd)
	got, err := s.GetDestination(ctx(t), d.ID)
	must(t, err)
	// The pause state moves deliveries, so only PauseDestination changes it.
	upd.CreatedAt, upd.Paused = d.CreatedAt, d.Paused
	equal(t, "after update", got, upd)

	upd.Retry.ScheduleSeconds = nil
	replaceDestination(t, s, upd)
	got, err = s.GetDestination(ctx(t), d.ID)
	must(t, err)
	if got.Retry.ScheduleSeconds != nil {
		t.Fatalf("nil schedule came back as %#v", got.Retry.ScheduleSeconds)
	}
}

// replaceDestination updates upd.ID to hold everything upd holds.
func replaceDestination(t *testing.T, s hookhub.Store, upd *hookhub.Destination) {
	t.Helper()
	_, err := s.UpdateDestination(ctx(t), upd.ID, func(d *hookhub.Destination) (*hookhub.NewEvent, error) {
		*d = *upd
		return nil, nil
	})
	must(t, err)
}

func testDestinationNotFound(t *testing.T, s hookhub.Store) {
	_, err := s.GetDestination(ctx(t), "dst_missing")
	wantCode(t, err, hookhub.ENOTFOUND)
	_, err = s.UpdateDestination(ctx(t), "dst_missing", func(*hookhub.Destination) (*hookhub.NewEvent, error) {
		t.Error("change called for a missing destination")
		return nil, nil
	})
	wantCode(t, err, hookhub.ENOTFOUND)
	wantCode(t, s.DeleteDestination(ctx(t), "dst_missing"), hookhub.ENOTFOUND)
}

func testDestinationDeleteCascades(t *testing.T, s hookhub.Store) {
	src, gone, kept := newSource(t, s), newDestination(t, s), newDestination(t, s)
	ev, ds := saveWithDeliveries(t, s, src.ID, t0, gone.ID, kept.ID)
	must(t, s.DeleteDestination(ctx(t), gone.ID))
	_, err := s.GetDelivery(ctx(t), ds[0].ID)
	wantCode(t, err, hookhub.ENOTFOUND)
	_, err = s.GetDelivery(ctx(t), ds[1].ID)
	must(t, err)
	_, err = s.GetEvent(ctx(t), ev.ID) // events stay: they belong to their source
	must(t, err)
	wantCode(t, s.DeleteDestination(ctx(t), gone.ID), hookhub.ENOTFOUND)
}

// testDestinationDeleteUnnames: a deleted destination leaves the
// destination_ids of the sources that forwarded to it; others keep theirs.
func testDestinationDeleteUnnames(t *testing.T, s hookhub.Store) {
	gone, kept := newDestination(t, s), newDestination(t, s)
	src := &hookhub.Source{ID: hookhub.NewID(hookhub.PrefixSource), Name: "src", Type: hookhub.SourceGeneric,
		Key: "k_" + hookhub.NewID(""), Active: true, DestinationIDs: []string{gone.ID, kept.ID}}
	src.SetDefaults()
	must(t, s.CreateSource(ctx(t), src))
	other := newSource(t, s)
	must(t, s.DeleteDestination(ctx(t), gone.ID))
	got, err := s.GetSource(ctx(t), src.ID)
	must(t, err)
	equal(t, "destination_ids after delete", got.DestinationIDs, []string{kept.ID})
	got, err = s.GetSource(ctx(t), other.ID)
	must(t, err)
	equal(t, "untouched source", len(got.DestinationIDs), 0)
}

func testDestinationList(t *testing.T, s hookhub.Store) {
	var ids []string
	for range 5 {
		ids = append(ids, newDestination(t, s).ID)
	}
	got := pageAll(t, 2, func(p hookhub.Page) ([]string, string, error) {
		list, next, err := s.ListDestinations(ctx(t), p)
		out := make([]string, len(list))
		for i, x := range list {
			out[i] = x.ID
		}
		return out, next, err
	})
	equal(t, "destinations, newest first", got, newest(ids))
}
