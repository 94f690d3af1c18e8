package app

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"
)

// faultIncidents makes every insert into incidents fail, as a broken
// incident step would, until the returned function removes the fault.
func faultIncidents(t *testing.T, h *testHub, databaseURL string) (heal func()) {
	t.Helper()
	var db *sql.DB
	var err error
	var create, drop []string
	if databaseURL == "" {
		db, err = sql.Open("sqlite", filepath.Join(h.main.Config.DataDir, "hookhub.db")+"?_pragma=busy_timeout(10000)")
		create = []string{`CREATE TRIGGER test_fault BEFORE INSERT ON incidents BEGIN SELECT RAISE(ABORT, 'injected fault'); END`}
		drop = []string{`DROP TRIGGER test_fault`}
	} else {
		db, err = sql.Open("pgx", databaseURL)
		create = []string{
			`CREATE FUNCTION test_fault() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$ LANGUAGE plpgsql`,
			`CREATE TRIGGER test_fault BEFORE INSERT ON incidents FOR EACH ROW EXECUTE FUNCTION test_fault()`,
		}
		drop = []string{`DROP TRIGGER test_fault ON incidents`, `DROP FUNCTION test_fault()`}
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, q := range create {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("inject fault: %v", err)
		}
	}
	return func() {
		for _, q := range drop {
			if _, err := db.Exec(q); err != nil {
				t.Fatalf("remove fault: %v", err)
			}
		}
	}
}

// TestAlertAppliedOnceWhenTheIncidentStepFails breaks the incident step of
// an alert webhook: the sender must get 503 with nothing stored, so that its
// retry stores the event once, counts the alert once and fans it out once.
func TestAlertAppliedOnceWhenTheIncidentStepFails(t *testing.T) {
	t.Parallel()
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		databaseURL := dbURL(t)
		h := startHub(t, databaseURL)
		rcv := newSink(t)
		dst := h.createDestination("ops", rcv.srv.URL, nil)
		var src source
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "am", "type": "alertmanager",
			"destination_ids": []string{dst.ID}}, &src)
		alert := []byte(`{"version":"4","status":"firing","receiver":"hookhub","groupKey":"{}:{alertname=\"DiskFull\"}",
			"alerts":[{"status":"firing","labels":{"alertname":"DiskFull","instance":"db-1","severity":"critical"},
			"annotations":{"summary":"disk full on db-1"},"startsAt":"2026-01-01T00:00:00Z","fingerprint":"d1sk"}]}`)

		heal := faultIncidents(t, h, databaseURL)
		if code, body := h.post("/hooks/"+src.Key, jsonCT, alert); code != 503 {
			t.Fatalf("incident step broken: %d %s, want 503", code, body)
		}
		if evs := h.events("source_id=" + src.ID); len(evs) != 0 {
			t.Fatalf("answered 503 but stored %d events: the sender's retry will store and fan out the alert again", len(evs))
		}
		heal()
		if code, body := h.post("/hooks/"+src.Key, jsonCT, alert); code != 200 {
			t.Fatalf("the sender's retry: %d %s", code, body)
		}
		if evs := h.events("source_id=" + src.ID); len(evs) != 1 {
			t.Fatalf("%d events after the retry, want 1", len(evs))
		}
		incs := h.incidents("source_id=" + src.ID)
		if len(incs) != 1 || incs[0].AlertCount != 1 {
			t.Fatalf("incidents after the retry: %+v", incs)
		}
		// The alert fans out once: one forwarded webhook, one incident.triggered.
		eventually(t, "the forward and the announcement", func() bool {
			return len(rcv.requests())-len(rcv.withEvent("ping")) >= 2
		})
		time.Sleep(300 * time.Millisecond)
		if n, inc := len(rcv.requests())-len(rcv.withEvent("ping")), len(rcv.withEvent("incident.triggered")); n != 2 || inc != 1 {
			t.Fatalf("receiver got %d requests (%d incident.triggered), want 2 (1)", n, inc)
		}
	})
}
