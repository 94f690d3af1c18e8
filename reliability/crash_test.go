package reliability

import (
	"math/rand/v2"
	"sort"
	"testing"
	"time"
)

// TestCrash kills the real binary with SIGKILL at random points under
// sustained load, several times, on SQLite and PostgreSQL. After each restart
// every webhook answered 2xx must be stored; at the end every one of them
// must have reached the receiver, and a delivery may arrive more than once
// only when an attempt was in flight when its process died.
func TestCrash(t *testing.T) {
	needBinary(t)
	storeCases(t, func(t *testing.T, databaseURL string) {
		kills := 4
		if testing.Short() {
			kills = 2
		}
		runCrash(t, databaseURL, kills)
	})
}

// inFlightWindow bounds how long before a kill an attempt may have reached
// the receiver and still be unrecorded: the recorder writes results as they
// come, so an answered attempt older than this would be a lost result.
const inFlightWindow = 5 * time.Second

func runCrash(t *testing.T, databaseURL string, kills int) {
	cfg := newHubConfig(t, databaseURL)
	h := startHub(t, cfg)
	rc := startCounter(t, 40*time.Millisecond)
	api := h.api()
	dest := api.createDestination(t, "crash receiver", rc.URL, nil)
	src := api.createSource(t, map[string]any{"name": "crash load", "destination_ids": []string{dest}})

	l := newLoad([]string{src.URL}, 8, 10*time.Millisecond).start()
	var killedAt []time.Time
	for i := range kills {
		time.Sleep(1500*time.Millisecond + rand.N(2*time.Second))
		h.kill()
		killedAt = append(killedAt, time.Now())
		rc.epoch.Add(1)
		h = startHub(t, cfg)
		acked := l.ackedEvents()
		stored := h.api().eventIDs(t, "source_id="+src.ID)
		checkStored(t, acked, stored)
		t.Logf("kill %d: %d acknowledged so far, all stored; receiver: %+v", i+1, len(acked), rc.counts())
	}
	time.Sleep(time.Second)
	l.stop()
	api = h.api()
	acked := l.ackedEvents()
	checkStored(t, acked, api.eventIDs(t, "source_id="+src.ID))

	drainStart := time.Now()
	waitFor(t, 3*cfg.Lease+60*time.Second, "every acknowledged webhook to reach the receiver", func() bool {
		got := rc.tokens()
		for tok := range acked {
			if !got[tok] {
				return false
			}
		}
		return true
	})
	// Arrival is seen at the receiver; the recorded result comes after it.
	waitFor(t, 3*cfg.Lease+30*time.Second, "no delivery left pending", func() bool {
		return len(api.deliveries(t, "status=pending&destination_id="+dest)) == 0
	})
	drained := time.Since(drainStart)
	ds := api.deliveries(t, "destination_id="+dest)
	checkDeliveries(t, ds, len(acked))
	checkDuplicates(t, rc.receptions(), killedAt)
	t.Logf("%d kills; sent %d, answers %v; %d acknowledged and stored; %d deliveries succeeded; receiver %+v; drained %s after the load stopped",
		kills, l.sent.Load(), l.statusCounts(), len(acked), len(ds), rc.counts(), drained.Round(100*time.Millisecond))
}

// checkStored fails for every acknowledged webhook that is not stored.
func checkStored(t *testing.T, acked map[string]string, stored map[string]bool) {
	t.Helper()
	if len(acked) == 0 {
		t.Fatal("no webhook was acknowledged")
	}
	var missing []string
	for tok, id := range acked {
		if !stored[id] {
			missing = append(missing, tok+"="+id)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		t.Fatalf("%d of %d acknowledged webhooks are not stored, e.g. %v", len(missing), len(acked), missing[:min(5, len(missing))])
	}
}

// checkDeliveries checks one delivery per acknowledged webhook, each
// succeeded on exactly one recorded attempt (the receiver always says 200).
func checkDeliveries(t *testing.T, ds []delivery, acked int) {
	t.Helper()
	if len(ds) < acked {
		t.Errorf("%d deliveries for %d acknowledged webhooks", len(ds), acked)
	}
	bad := 0
	for _, d := range ds {
		if d.Status != "succeeded" || d.AttemptCount != 1 {
			if bad < 5 {
				t.Errorf("delivery %s: %s after %d attempts (%s)", d.ID, d.Status, d.AttemptCount, d.LastError)
			}
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d deliveries did not succeed on one recorded attempt", bad, len(ds))
	}
}

// checkDuplicates allows a delivery to arrive again only after its process
// was killed with the earlier attempt in flight: never twice in one process
// lifetime (epoch), and each earlier arrival shortly before that epoch's kill.
func checkDuplicates(t *testing.T, recs map[string][]reception, killedAt []time.Time) {
	t.Helper()
	bad := 0
	for id, rs := range recs {
		seen := map[int64]bool{}
		for i, r := range rs {
			if seen[r.epoch] {
				bad++
				t.Errorf("delivery %s arrived twice while one process lived (epoch %d)", id, r.epoch)
				continue
			}
			seen[r.epoch] = true
			if i == len(rs)-1 {
				break
			}
			if int(r.epoch) >= len(killedAt) || killedAt[r.epoch].Sub(r.at) > inFlightWindow {
				bad++
				t.Errorf("delivery %s arrived again although its attempt at %s was not in flight at a kill",
					id, r.at.Format(time.StampMilli))
			}
		}
		if bad > 10 {
			t.Fatal("too many bad duplicates")
		}
	}
}
