package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

var updateTests = []test{
	{"DestinationUpdateKeepsRecordedFailures", testDestinationUpdateKeepsRecordedFailures},
	{"DestinationUpdatesDoNotOverwriteEachOther", testDestinationUpdatesDoNotOverwriteEachOther},
	{"DestinationUpdateAnnounces", testDestinationUpdateAnnounces},
	{"SourceUpdatesDoNotOverwriteEachOther", testSourceUpdatesDoNotOverwriteEachOther},
	{"SaveEventsOfDeletedSource", testSaveEventsOfDeletedSource},
	{"WatchReportsChanges", testWatchReportsChanges},
}

// testDestinationUpdateKeepsRecordedFailures: failures recorded while
// destinations are edited are all counted; an edit never writes back a
// count it read before them.
func testDestinationUpdateKeepsRecordedFailures(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	const n = 20
	var ds []*hookhub.Delivery
	for range n {
		_, d := saveWithDeliveries(t, s, src.ID, t0, dst.ID)
		ds = append(ds, d...)
	}
	var wg sync.WaitGroup
	for i, d := range ds {
		wg.Go(func() {
			err := s.CompleteAttempts(ctx(t), []*hookhub.AttemptResult{{
				Attempt: fullAttempt(d.ID, 1, t0), Status: hookhub.DeliveryFailed}})
			if err != nil {
				t.Error(err)
			}
		})
		wg.Go(func() {
			_, err := s.UpdateDestination(ctx(t), dst.ID, func(d *hookhub.Destination) (*hookhub.NewEvent, error) {
				d.Name = fmt.Sprintf("renamed %d", i)
				time.Sleep(time.Millisecond) // a slow edit, as a user's is
				return nil, nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	equal(t, "consecutive failures after renames", failures(t, s, dst.ID), n)
}

// testDestinationUpdatesDoNotOverwriteEachOther: concurrent edits of
// different settings all take effect, and an edit that fails changes nothing.
func testDestinationUpdatesDoNotOverwriteEachOther(t *testing.T, s hookhub.Store) {
	dst := newDestination(t, s)
	const n = 16
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, err := s.UpdateDestination(ctx(t), dst.ID, func(d *hookhub.Destination) (*hookhub.NewEvent, error) {
				if d.Headers == nil {
					d.Headers = map[string]string{}
				}
				d.Headers[fmt.Sprintf("X-H%d", i)] = "v"
				return nil, nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got, err := s.GetDestination(ctx(t), dst.ID)
	must(t, err)
	equal(t, "headers added by concurrent edits", len(got.Headers), n)

	refused := errors.New("refused")
	_, err = s.UpdateDestination(ctx(t), dst.ID, func(d *hookhub.Destination) (*hookhub.NewEvent, error) {
		d.Name, d.Enabled = "never saved", false
		return nil, refused
	})
	if !errors.Is(err, refused) {
		t.Fatalf("error = %v, want change's own", err)
	}
	after, err := s.GetDestination(ctx(t), dst.ID)
	must(t, err)
	equal(t, "after a refused change", after, got)
}

// testDestinationUpdateAnnounces: the event a change returns is stored with
// it, with its deliveries; the pause state is not the change's to make.
func testDestinationUpdateAnnounces(t *testing.T, s hookhub.Store) {
	dst, other := newDestination(t, s), newDestination(t, s)
	ev := newEvent("", t0)
	ev.Type = "destination.disabled"
	ne := &hookhub.NewEvent{Event: ev, Deliveries: []*hookhub.Delivery{deliveryTo(other.ID, t0)}}
	got, err := s.UpdateDestination(ctx(t), dst.ID, func(d *hookhub.Destination) (*hookhub.NewEvent, error) {
		d.Enabled, d.DisabledReason, d.Paused = false, "gone", true
		return ne, nil
	})
	must(t, err)
	equal(t, "returned", [3]any{got.Enabled, got.DisabledReason, got.Paused}, [3]any{false, "gone", false})
	stored, err := s.GetEvent(ctx(t), ev.ID)
	must(t, err)
	equal(t, "announcement type", stored.Type, "destination.disabled")
	equal(t, "announcement delivered", claimedIDs(t, s, t0, time.Minute, 10), []string{ne.Deliveries[0].ID})
	again, err := s.GetDestination(ctx(t), dst.ID)
	must(t, err)
	equal(t, "stored", again, got)
}

// testSourceUpdatesDoNotOverwriteEachOther: concurrent edits of a source
// all take effect.
func testSourceUpdatesDoNotOverwriteEachOther(t *testing.T, s hookhub.Store) {
	src := newSource(t, s)
	const n = 16
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, err := s.UpdateSource(ctx(t), src.ID, func(x *hookhub.Source) error {
				x.Variables = append(x.Variables, hookhub.Variable{Path: fmt.Sprintf("body.v%d", i)})
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got, err := s.GetSource(ctx(t), src.ID)
	must(t, err)
	equal(t, "variables added by concurrent edits", len(got.Variables), n)
}

// testSaveEventsOfDeletedSource: an event whose source was deleted since it
// was received is refused with ENOTFOUND, and its batch stores nothing, so
// that nobody is told it was stored.
func testSaveEventsOfDeletedSource(t *testing.T, s hookhub.Store) {
	src, gone, dst := newSource(t, s), newSource(t, s), newDestination(t, s)
	must(t, s.DeleteSource(ctx(t), gone.ID))
	kept, lost := newEvent(src.ID, t0), newEvent(gone.ID, t0)
	err := s.SaveEvents(ctx(t), []*hookhub.NewEvent{
		{Event: kept, Deliveries: []*hookhub.Delivery{deliveryTo(dst.ID, t0)}},
		{Event: lost, Deliveries: []*hookhub.Delivery{deliveryTo(dst.ID, t0)}},
	})
	wantCode(t, err, hookhub.ENOTFOUND)
	for _, ev := range []*hookhub.Event{kept, lost} {
		_, err := s.GetEvent(ctx(t), ev.ID)
		wantCode(t, err, hookhub.ENOTFOUND)
	}
	equal(t, "deliveries queued", claimedIDs(t, s, t0, time.Minute, 10), []string(nil))
}

// testWatchReportsChanges: every change to a source or destination is
// reported to the store's watchers before the changing call returns.
func testWatchReportsChanges(t *testing.T, s hookhub.Store) {
	var mu sync.Mutex
	var seen []hookhub.Change
	stop := s.Watch(func(c hookhub.Change) {
		mu.Lock()
		seen = append(seen, c)
		mu.Unlock()
	})
	expect := func(what string, want ...hookhub.Change) {
		t.Helper()
		mu.Lock()
		got := slices.Clone(seen)
		seen = nil
		mu.Unlock()
		equal(t, what, got, want)
	}
	dst := newDestination(t, s)
	dstChange := hookhub.Change{Kind: hookhub.ChangeDestination, ID: dst.ID}
	expect("create destination", dstChange)
	src := &hookhub.Source{ID: hookhub.NewID(hookhub.PrefixSource), Name: "s", Type: hookhub.SourceGeneric,
		Key: "k_" + hookhub.NewID(""), Active: true, DestinationIDs: []string{dst.ID}}
	src.SetDefaults()
	must(t, s.CreateSource(ctx(t), src))
	srcChange := hookhub.Change{Kind: hookhub.ChangeSource, ID: src.ID}
	expect("create source", srcChange)

	_, err := s.UpdateDestination(ctx(t), dst.ID, func(d *hookhub.Destination) (*hookhub.NewEvent, error) {
		d.Signing.Secret = "rotated"
		return nil, nil
	})
	must(t, err)
	expect("update destination", dstChange)
	_, err = s.UpdateDestination(ctx(t), dst.ID, func(*hookhub.Destination) (*hookhub.NewEvent, error) {
		return nil, errors.New("refused")
	})
	if err == nil {
		t.Fatal("a refused change succeeded")
	}
	expect("refused update")
	_, err = s.PauseDestination(ctx(t), dst.ID, true, t0)
	must(t, err)
	expect("pause", dstChange)
	_, err = s.UpdateSource(ctx(t), src.ID, func(x *hookhub.Source) error { x.Active = false; return nil })
	must(t, err)
	expect("update source", srcChange)
	must(t, s.DeleteDestination(ctx(t), dst.ID))
	expect("delete destination, which the source named", dstChange, srcChange)
	must(t, s.DeleteSource(ctx(t), src.ID))
	expect("delete source", srcChange)

	stop()
	newDestination(t, s)
	expect("after stop")
}
