package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

var incidentTests = []test{
	{"IncidentOpenJoinResolve", testIncidentOpenJoinResolve},
	{"IncidentIgnoresResolveWithoutOpen", testIncidentIgnoresResolveWithoutOpen},
	{"IncidentReopenWindow", testIncidentReopenWindow},
	{"IncidentFingerprintPerSource", testIncidentFingerprintPerSource},
	{"IncidentConcurrentSameFingerprint", testIncidentConcurrentSameFingerprint},
	{"IncidentLifecycle", testIncidentLifecycle},
	{"IncidentReopenConflict", testIncidentReopenConflict},
	{"IncidentList", testIncidentList},
	{"IncidentNotFound", testIncidentNotFound},
	{"IncidentAnnouncedAtomically", testIncidentAnnouncedAtomically},
	{"IncidentTimelinePages", testIncidentTimelinePages},
	{"IncidentsForEvent", testIncidentsForEvent},
}

func alertIn(src, fp, status string, at time.Time) *hookhub.AlertInput {
	return &hookhub.AlertInput{
		Alert: hookhub.Alert{Title: "CPU high " + fp, Severity: hookhub.SeverityHigh, Status: status, Fingerprint: fp,
			Labels: map[string]string{"host": "web-1"}, Link: "https://mon.example/a", Description: "cpu > 90%", Runbook: "https://wiki/cpu"},
		SourceID: src, EventID: hookhub.NewID(hookhub.PrefixEvent), At: at,
	}
}

func apply(t *testing.T, s hookhub.Store, in *hookhub.AlertInput) *hookhub.AlertOutcome {
	t.Helper()
	out, err := s.ApplyAlert(ctx(t), in)
	must(t, err)
	return out
}

func kinds(t *testing.T, s hookhub.Store, id string) []string {
	t.Helper()
	entries, _, err := s.ListTimeline(ctx(t), id, hookhub.Page{Limit: 500})
	must(t, err)
	var k []string
	for _, e := range entries {
		k = append(k, e.Kind+":"+e.To)
	}
	return k
}

func testIncidentOpenJoinResolve(t *testing.T, s hookhub.Store) {
	src := newSource(t, s)
	first := alertIn(src.ID, "fp1", hookhub.AlertFiring, t0)
	out := apply(t, s, first)
	if !out.Created || out.Incident == nil || out.Change == nil || out.Change.Kind != hookhub.TimelineCreated {
		t.Fatalf("first alert: %s", dump(out))
	}
	id := out.Incident.ID
	second := alertIn(src.ID, "fp1", hookhub.AlertFiring, t0.Add(time.Minute))
	second.Alert.Severity = hookhub.SeverityCritical
	out = apply(t, s, second)
	if out.Created || out.Incident.ID != id || out.Change != nil || out.Incident.AlertCount != 2 {
		t.Fatalf("second alert should join: %s", dump(out))
	}
	resolved := apply(t, s, alertIn(src.ID, "fp1", hookhub.AlertResolved, t0.Add(2*time.Minute)))
	if resolved.Incident.ID != id || resolved.Change == nil || resolved.Change.Actor != hookhub.ActorSystem ||
		resolved.Change.From != hookhub.IncidentTriggered || resolved.Change.To != hookhub.IncidentResolved {
		t.Fatalf("resolve: %s", dump(resolved))
	}
	got, err := s.GetIncident(ctx(t), id)
	must(t, err)
	equal(t, "status", got.Status, hookhub.IncidentResolved)
	equal(t, "alert count (firing alerts only)", got.AlertCount, 2)
	equal(t, "severity raised by an escalating alert", got.Severity, hookhub.SeverityCritical)
	equal(t, "created", got.CreatedAt, t0)
	equal(t, "last seen", got.LastSeenAt, t0.Add(2*time.Minute))
	equal(t, "resolved at", got.ResolvedAt, t0.Add(2*time.Minute))
	equal(t, "labels", got.Labels, map[string]string{"host": "web-1"})
	equal(t, "runbook", got.Runbook, "https://wiki/cpu")
	equal(t, "source", got.SourceID, src.ID)
	equal(t, "timeline", kinds(t, s, id), []string{
		"created:triggered", "webhook_received:", "webhook_received:", "status_changed:resolved"})
	entries, _, err := s.ListTimeline(ctx(t), id, hookhub.Page{Limit: 500})
	must(t, err)
	equal(t, "created links the raw event", entries[0].EventID, first.EventID)
	equal(t, "received links the raw event", entries[1].EventID, second.EventID)

	// The next firing alert, with no reopen window, opens a new incident.
	out = apply(t, s, alertIn(src.ID, "fp1", hookhub.AlertFiring, t0.Add(3*time.Minute)))
	if !out.Created || out.Incident.ID == id {
		t.Fatalf("after resolve, a new incident: %s", dump(out))
	}
}

func testIncidentIgnoresResolveWithoutOpen(t *testing.T, s hookhub.Store) {
	src := newSource(t, s)
	for _, st := range []string{hookhub.AlertResolved, hookhub.AlertAcknowledged} {
		out := apply(t, s, alertIn(src.ID, "none", st, t0))
		if out.Incident != nil || out.Created || out.Change != nil {
			t.Fatalf("%s with nothing open changed something: %s", st, dump(out))
		}
	}
	list, _, err := s.ListIncidents(ctx(t), hookhub.IncidentFilter{})
	must(t, err)
	equal(t, "incidents", len(list), 0)
}

func testIncidentReopenWindow(t *testing.T, s hookhub.Store) {
	src := newSource(t, s)
	in := alertIn(src.ID, "flap", hookhub.AlertFiring, t0)
	in.ReopenWindow = time.Hour
	id := apply(t, s, in).Incident.ID
	apply(t, s, alertIn(src.ID, "flap", hookhub.AlertResolved, t0.Add(time.Minute)))

	again := alertIn(src.ID, "flap", hookhub.AlertFiring, t0.Add(10*time.Minute))
	again.ReopenWindow = time.Hour
	out := apply(t, s, again)
	if out.Created || out.Incident.ID != id || out.Change == nil || out.Change.To != hookhub.IncidentTriggered {
		t.Fatalf("firing within the window should reopen: %s", dump(out))
	}
	got, err := s.GetIncident(ctx(t), id)
	must(t, err)
	if got.Status != hookhub.IncidentTriggered || !got.ResolvedAt.IsZero() || got.AlertCount != 2 {
		t.Fatalf("reopened incident: %s", dump(got))
	}
	apply(t, s, alertIn(src.ID, "flap", hookhub.AlertResolved, t0.Add(11*time.Minute)))
	late := alertIn(src.ID, "flap", hookhub.AlertFiring, t0.Add(3*time.Hour))
	late.ReopenWindow = time.Hour
	if out := apply(t, s, late); !out.Created {
		t.Fatalf("firing after the window should open a new incident: %s", dump(out))
	}
}

func testIncidentFingerprintPerSource(t *testing.T, s hookhub.Store) {
	a, b := newSource(t, s), newSource(t, s)
	x := apply(t, s, alertIn(a.ID, "same", hookhub.AlertFiring, t0))
	y := apply(t, s, alertIn(b.ID, "same", hookhub.AlertFiring, t0))
	if !x.Created || !y.Created || x.Incident.ID == y.Incident.ID {
		t.Fatal("the same fingerprint from two sources must be two incidents")
	}
}

func testIncidentConcurrentSameFingerprint(t *testing.T, s hookhub.Store) {
	src := newSource(t, s)
	const n = 16
	var wg sync.WaitGroup
	ids := make([]string, n)
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out, err := s.ApplyAlert(ctx(t), alertIn(src.ID, "race", hookhub.AlertFiring, t0))
			errs[i] = err
			if err == nil {
				ids[i] = out.Incident.ID
			}
		}()
	}
	close(start)
	wg.Wait()
	for i := range n {
		must(t, errs[i])
		if ids[i] != ids[0] {
			t.Fatalf("alerts racing on one fingerprint made incidents %s and %s", ids[0], ids[i])
		}
	}
	got, err := s.GetIncident(ctx(t), ids[0])
	must(t, err)
	equal(t, "alert count", got.AlertCount, n)
}

func testIncidentLifecycle(t *testing.T, s hookhub.Store) {
	src := newSource(t, s)
	id := apply(t, s, alertIn(src.ID, "life", hookhub.AlertFiring, t0)).Incident.ID
	step := func(action, want string, at time.Time) {
		t.Helper()
		inc, e, err := s.TransitionIncident(ctx(t), id, action, "apikey:key_1", "by hand", at, nil)
		must(t, err)
		if inc.Status != want || e.To != want || e.Actor != "apikey:key_1" || e.Message != "by hand" {
			t.Fatalf("%s: %s / %s", action, dump(inc), dump(e))
		}
	}
	wantConflict := func(action string) {
		t.Helper()
		_, _, err := s.TransitionIncident(ctx(t), id, action, "apikey:key_1", "", t0, nil)
		wantCode(t, err, hookhub.ECONFLICT)
	}
	wantConflict(hookhub.ActionClose)
	wantConflict(hookhub.ActionReopen)
	step(hookhub.ActionAcknowledge, hookhub.IncidentAcknowledged, t0.Add(time.Minute))
	wantConflict(hookhub.ActionAcknowledge)
	_, c, err := s.AddIncidentComment(ctx(t), id, "apikey:key_1", "looking at the disk", t0.Add(2*time.Minute), nil)
	must(t, err)
	equal(t, "comment kind", c.Kind, hookhub.TimelineCommented)
	step(hookhub.ActionResolve, hookhub.IncidentResolved, t0.Add(3*time.Minute))
	step(hookhub.ActionClose, hookhub.IncidentClosed, t0.Add(4*time.Minute))
	wantConflict(hookhub.ActionClose)
	wantConflict(hookhub.ActionResolve)
	got, err := s.GetIncident(ctx(t), id)
	must(t, err)
	equal(t, "acknowledged at", got.AcknowledgedAt, t0.Add(time.Minute))
	equal(t, "closed at", got.ClosedAt, t0.Add(4*time.Minute))
	equal(t, "updated at", got.UpdatedAt, t0.Add(4*time.Minute))
	step(hookhub.ActionReopen, hookhub.IncidentTriggered, t0.Add(5*time.Minute))
	equal(t, "timeline", kinds(t, s, id), []string{"created:triggered", "status_changed:acknowledged", "commented:",
		"status_changed:resolved", "status_changed:closed", "status_changed:triggered"})

	_, _, err = s.TransitionIncident(ctx(t), id, "explode", "system", "", t0, nil)
	wantCode(t, err, hookhub.EINVALID)
}

func testIncidentReopenConflict(t *testing.T, s hookhub.Store) {
	src := newSource(t, s)
	old := apply(t, s, alertIn(src.ID, "dup", hookhub.AlertFiring, t0)).Incident.ID
	apply(t, s, alertIn(src.ID, "dup", hookhub.AlertResolved, t0.Add(time.Minute)))
	apply(t, s, alertIn(src.ID, "dup", hookhub.AlertFiring, t0.Add(2*time.Minute)))
	_, _, err := s.TransitionIncident(ctx(t), old, hookhub.ActionReopen, "system", "", t0.Add(3*time.Minute), nil)
	wantCode(t, err, hookhub.ECONFLICT)
	got, err := s.GetIncident(ctx(t), old)
	must(t, err)
	equal(t, "status after the refused reopen", got.Status, hookhub.IncidentResolved)
}

func testIncidentList(t *testing.T, s hookhub.Store) {
	src, other := newSource(t, s), newSource(t, s)
	mk := func(src, fp, sev string, at time.Time) string {
		in := alertIn(src, fp, hookhub.AlertFiring, at)
		in.Alert.Severity, in.Alert.Title = sev, "Disk 100%_full on "+fp
		return apply(t, s, in).Incident.ID
	}
	a := mk(src.ID, "a", hookhub.SeverityCritical, t0)
	b := mk(src.ID, "b", hookhub.SeverityLow, t0.Add(time.Minute))
	c := mk(other.ID, "c", hookhub.SeverityCritical, t0.Add(2*time.Minute))
	// Activity on a moves it to the front.
	_, _, err := s.AddIncidentComment(ctx(t), a, "system", "note", t0.Add(3*time.Minute), nil)
	must(t, err)
	_, _, err = s.TransitionIncident(ctx(t), b, hookhub.ActionResolve, "system", "", t0.Add(30*time.Second), nil)
	must(t, err)

	list := func(f hookhub.IncidentFilter) []string {
		t.Helper()
		return pageAll(t, 1, func(p hookhub.Page) ([]string, string, error) {
			f.Page = p
			items, next, err := s.ListIncidents(ctx(t), f)
			var ids []string
			for _, inc := range items {
				ids = append(ids, inc.ID)
			}
			return ids, next, err
		})
	}
	equal(t, "all by activity", list(hookhub.IncidentFilter{}), []string{a, c, b})
	equal(t, "critical", list(hookhub.IncidentFilter{Severity: hookhub.SeverityCritical}), []string{a, c})
	equal(t, "resolved", list(hookhub.IncidentFilter{Status: hookhub.IncidentResolved}), []string{b})
	equal(t, "source", list(hookhub.IncidentFilter{SourceID: other.ID}), []string{c})
	equal(t, "text", list(hookhub.IncidentFilter{Query: "ON B"}), []string{b})
	equal(t, "LIKE wildcards are literal", list(hookhub.IncidentFilter{Query: "%_full on c"}), []string{c})
	equal(t, "no match", list(hookhub.IncidentFilter{Query: "x_y"}), []string(nil))
	_, _, err = s.ListIncidents(ctx(t), hookhub.IncidentFilter{Page: hookhub.Page{Cursor: "garbage"}})
	wantCode(t, err, hookhub.EINVALID)
}

func testIncidentNotFound(t *testing.T, s hookhub.Store) {
	_, err := s.GetIncident(ctx(t), "inc_nope")
	wantCode(t, err, hookhub.ENOTFOUND)
	_, _, err = s.TransitionIncident(ctx(t), "inc_nope", hookhub.ActionAcknowledge, "system", "", t0, nil)
	wantCode(t, err, hookhub.ENOTFOUND)
	_, _, err = s.AddIncidentComment(ctx(t), "inc_nope", "system", "x", t0, nil)
	wantCode(t, err, hookhub.ENOTFOUND)
	_, _, err = s.ListTimeline(ctx(t), "inc_nope", hookhub.Page{})
	wantCode(t, err, hookhub.ENOTFOUND)
}

// testIncidentAnnouncedAtomically: the event an announcer makes is stored with
// the change, with its deliveries; an announcer that fails undoes the change.
func testIncidentAnnouncedAtomically(t *testing.T, s hookhub.Store) {
	src, dst := newSource(t, s), newDestination(t, s)
	var made []*hookhub.NewEvent
	announce := func(inc *hookhub.Incident, e *hookhub.TimelineEntry) (*hookhub.NewEvent, error) {
		ev := &hookhub.Event{ID: hookhub.NewID(hookhub.PrefixEvent), Type: "incident." + e.Kind, Status: hookhub.EventAccepted,
			ReceivedAt: e.At, Method: "POST", Body: []byte(`{"incident":"` + inc.ID + `"}`)}
		ne := &hookhub.NewEvent{Event: ev, Deliveries: []*hookhub.Delivery{deliveryTo(dst.ID, e.At)}}
		made = append(made, ne)
		return ne, nil
	}
	in := alertIn(src.ID, "announced", hookhub.AlertFiring, t0)
	in.Announce = announce
	id := apply(t, s, in).Incident.ID
	_, _, err := s.TransitionIncident(ctx(t), id, hookhub.ActionAcknowledge, "system", "", t0.Add(time.Second), announce)
	must(t, err)
	_, _, err = s.AddIncidentComment(ctx(t), id, "system", "note", t0.Add(2*time.Second), announce)
	must(t, err)
	equal(t, "announcements made", len(made), 3)
	for _, ne := range made {
		if _, err := s.GetEvent(ctx(t), ne.Event.ID); err != nil {
			t.Fatalf("announcement %s not stored: %v", ne.Event.ID, err)
		}
		ds, _, err := s.ListDeliveries(ctx(t), hookhub.DeliveryFilter{EventID: ne.Event.ID})
		must(t, err)
		equal(t, "deliveries of "+ne.Event.Type, len(ds), 1)
	}

	failing := func(*hookhub.Incident, *hookhub.TimelineEntry) (*hookhub.NewEvent, error) {
		return nil, hookhub.Errorf(hookhub.EINTERNAL, "cannot announce")
	}
	_, _, err = s.TransitionIncident(ctx(t), id, hookhub.ActionResolve, "system", "", t0.Add(3*time.Second), failing)
	wantCode(t, err, hookhub.EINTERNAL)
	got, err := s.GetIncident(ctx(t), id)
	must(t, err)
	equal(t, "status after a failed announcement", got.Status, hookhub.IncidentAcknowledged)
}

// testIncidentTimelinePages: the timeline pages oldest first, entries at the
// same instant included, and a bad cursor is refused.
func testIncidentTimelinePages(t *testing.T, s hookhub.Store) {
	src := newSource(t, s)
	id := apply(t, s, alertIn(src.ID, "paged", hookhub.AlertFiring, t0)).Incident.ID
	for i := range 4 {
		// Two comments share each instant, so the cursor must break ties.
		_, _, err := s.AddIncidentComment(ctx(t), id, "system", "note", t0.Add(time.Duration(1+i/2)*time.Second), nil)
		must(t, err)
	}
	all, next, err := s.ListTimeline(ctx(t), id, hookhub.Page{Limit: 500})
	must(t, err)
	equal(t, "entries", len(all), 5)
	equal(t, "next cursor of the whole timeline", next, "")
	var want []string
	for _, e := range all {
		want = append(want, e.ID)
	}
	got := pageAll(t, 2, func(p hookhub.Page) ([]string, string, error) {
		list, next, err := s.ListTimeline(ctx(t), id, p)
		out := make([]string, len(list))
		for i, e := range list {
			out[i] = e.ID
		}
		return out, next, err
	})
	equal(t, "paged timeline", got, want)
	_, _, err = s.ListTimeline(ctx(t), id, hookhub.Page{Cursor: "garbage"})
	wantCode(t, err, hookhub.EINVALID)
}
