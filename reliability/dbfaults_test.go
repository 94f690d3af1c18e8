package reliability

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// dbFault is one way the database goes away behind the proxy.
type dbFault struct {
	name  string
	start func(*proxy)
	hold  time.Duration
}

// TestDatabaseCutOff cuts PostgreSQL off behind a TCP proxy (connections
// closed, new ones refused) while webhooks keep coming. Ingest must answer
// every request, and answer 503 to what it could not store: never a 2xx for
// an unstored event, never a 500, never no answer. When the proxy is restored
// it must recover by itself, and every acknowledged webhook must be stored
// and delivered.
func TestDatabaseCutOff(t *testing.T) {
	runOutage(t, dbFault{"cut off", (*proxy).cut, 4 * time.Second})
}

// runOutage puts ingest under load through a proxy to PostgreSQL and applies
// each fault in turn, restoring the proxy after each.
func runOutage(t *testing.T, faults ...dbFault) {
	needBinary(t)
	db := freshDatabase(t)
	u, _ := url.Parse(db)
	px := startProxy(t, u.Host)
	u.Host = px.Addr()
	cfg := newHubConfig(t, u.String())
	h := startHub(t, cfg)
	rc := startCounter(t, 0)
	api := h.api()
	dest := api.createDestination(t, "outage receiver", rc.URL, nil)
	src := api.createSource(t, map[string]any{"name": "outage load", "destination_ids": []string{dest}})

	l := newLoad([]string{src.URL}, 4, 20*time.Millisecond)
	l.timeout = 30 * time.Second
	l.start()
	time.Sleep(time.Second)
	for _, fault := range faults {
		before := l.statusCounts()
		fault.start(px)
		time.Sleep(fault.hold)
		px.restore()
		restored := time.Now()
		waitFor(t, 30*time.Second, "ingest to accept webhooks again after the database was "+fault.name, func() bool {
			return ingestOK(src.URL)
		})
		t.Logf("database %s for %s: answers during and after %v; ingest accepted again %s after restore",
			fault.name, fault.hold, diffCounts(before, l.statusCounts()), time.Since(restored).Round(100*time.Millisecond))
		time.Sleep(time.Second)
	}
	l.stop()

	statuses := l.statusCounts()
	for status, n := range statuses {
		if status != 200 && status != 503 {
			t.Errorf("%d requests answered %d; only 200 and 503 are right (0 is no answer within %s)", n, status, l.timeout)
		}
	}
	// A hung database must not hang ingest: the stall outlasts this bound.
	if l.slowest > maxAnswer {
		t.Errorf("the slowest answer took %s; with the database stalled ingest must answer 503 within %s", l.slowest, maxAnswer)
	}
	if statuses[503] == 0 {
		t.Error("no request was answered 503 while the database was away")
	}
	acked := l.ackedEvents()
	checkStored(t, acked, api.eventIDs(t, "source_id="+src.ID))
	waitFor(t, 60*time.Second, "every acknowledged webhook to reach the receiver", func() bool {
		got := rc.tokens()
		for tok := range acked {
			if !got[tok] {
				return false
			}
		}
		return true
	})
	t.Logf("sent %d, answers %v, slowest answer %s; %d acknowledged, all stored and delivered; receiver %+v",
		l.sent.Load(), statuses, l.slowest.Round(time.Millisecond), len(acked), rc.counts())
}

// maxAnswer is the longest ingest may take to answer while the database
// hangs: long enough for a deadline of a few seconds, shorter than the stall.
const maxAnswer = 10 * time.Second

// ingestOK posts one webhook and reports whether it was stored (2xx).
func ingestOK(url string) bool {
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Post(url, "application/json", strings.NewReader(`{"probe":true}`))
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode/100 == 2
}

// diffCounts is after minus before, per status.
func diffCounts(before, after map[int]int) map[int]int {
	out := map[int]int{}
	for k, v := range after {
		if d := v - before[k]; d != 0 {
			out[k] = d
		}
	}
	return out
}
