package reliability

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestProcessesShareOnePostgres starts three processes at the same moment on
// an empty PostgreSQL database (migrations and the admin's bootstrap must be
// safe to run concurrently: all must come up), splits the load across them
// and counts at the receiver: none of the acknowledged
// webhooks may be lost, no delivery may arrive twice (nothing dies and no
// lease expires, so a duplicate would be two processes sending at once), a
// provider delivery id sent to all three is stored once, and an API
// Idempotency-Key used on all three names one event.
func TestProcessesShareOnePostgres(t *testing.T) {
	needBinary(t)
	db := freshDatabase(t)
	base := newHubConfig(t, db)
	hubs := startTogether(t, base, 3)
	api := hubs[0].api()
	rc := startCounter(t, 20*time.Millisecond)
	dest := api.createDestination(t, "shared receiver", rc.URL, nil)
	const ghSecret = "shared-github-secret"
	src := api.createSource(t, map[string]any{"name": "shared load", "type": "github",
		"verification": map[string]any{"secret": ghSecret}, "destination_ids": []string{dest}})

	var urls []string
	for _, h := range hubs {
		urls = append(urls, h.URL+"/hooks/"+src.Key)
	}
	l := newLoad(urls, 9, 10*time.Millisecond)
	l.header = func(token string) http.Header {
		return http.Header{"X-Github-Event": {"push"}, "X-Github-Delivery": {"load-" + token}}
	}
	l.sign = githubSigner(ghSecret)
	l.start()
	time.Sleep(6 * time.Second)
	l.stop()

	dupIDs := sameDeliveryIDEverywhere(t, urls, ghSecret, 20)
	idemIDs := sameIdempotencyKeyEverywhere(t, hubs, 10)

	acked := l.ackedEvents()
	checkStored(t, acked, api.eventIDs(t, "source_id="+src.ID+"&status=accepted"))
	waitFor(t, 60*time.Second, "every acknowledged webhook to reach the receiver", func() bool {
		got := rc.tokens()
		for tok := range acked {
			if !got[tok] {
				return false
			}
		}
		for _, id := range dupIDs {
			if !got[id] {
				return false
			}
		}
		for key := range idemIDs {
			if !got[key] {
				return false
			}
		}
		return true
	})
	waitFor(t, 30*time.Second, "no delivery left pending", func() bool {
		return len(api.deliveries(t, "status=pending&destination_id="+dest)) == 0
	})
	c := rc.counts()
	if c.Duplicates != 0 || c.Overlaps != 0 {
		t.Errorf("deliveries arrived twice (%d) or at once (%d) with no process dying", c.Duplicates, c.Overlaps)
	}
	perToken := rc.tokenCounts()
	for _, id := range dupIDs {
		if n := perToken[id]; n != 1 {
			t.Errorf("provider delivery id %s sent to 3 processes was delivered as %d events", id, n)
		}
	}
	if dups := len(api.eventIDs(t, "source_id="+src.ID+"&status=duplicate")); dups != 2*len(dupIDs) {
		t.Errorf("%d events stored as duplicates, want %d", dups, 2*len(dupIDs))
	}
	for key, ids := range idemIDs {
		if len(ids) != 1 || perToken[key] != 1 {
			t.Errorf("Idempotency-Key %s on 3 processes made events %v, delivered %d times", key, ids, perToken[key])
		}
	}
	t.Logf("3 processes: sent %d, answers %v; %d acknowledged, all stored and delivered; receiver %+v; %d provider ids and %d idempotency keys each stored once",
		l.sent.Load(), l.statusCounts(), len(acked), c, len(dupIDs), len(idemIDs))
}

// startTogether launches n processes on one database at the same moment and
// waits for all of them; a process that exits fails the test.
func startTogether(t *testing.T, base hubConfig, n int) []*hub {
	t.Helper()
	hubs := make([]*hub, n)
	for i := range hubs {
		cfg := base
		cfg.Addr, cfg.DataDir = freeAddr(t), t.TempDir()
		h, err := launchHub(t, cfg)
		if err != nil {
			t.Fatal(err)
		}
		hubs[i] = h
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i, h := range hubs {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = h.waitReady(60 * time.Second) }()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("process %d of %d started together: %v", i+1, n, err)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	return hubs
}

func githubSigner(secret string) func([]byte) http.Header {
	return func(body []byte) http.Header {
		m := hmac.New(sha256.New, []byte(secret))
		m.Write(body)
		return http.Header{"X-Hub-Signature-256": {"sha256=" + hex.EncodeToString(m.Sum(nil))}}
	}
}

// sameDeliveryIDEverywhere posts n webhooks, each with its own GitHub
// delivery id (also its body token), to every process at once, and returns
// the ids.
func sameDeliveryIDEverywhere(t *testing.T, urls []string, secret string, n int) []string {
	t.Helper()
	sign := githubSigner(secret)
	var mu sync.Mutex
	var ids []string
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for i := range n {
		id := fmt.Sprintf("dup-%d-%d", i, time.Now().UnixNano())
		ids = append(ids, id)
		body := []byte(`{"token":"` + id + `"}`)
		for _, u := range urls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest("POST", u, strings.NewReader(string(body)))
				req.Header = sign(body)
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-GitHub-Event", "push")
				req.Header.Set("X-GitHub-Delivery", id)
				resp, err := http.DefaultClient.Do(req)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					statuses[0]++
					return
				}
				resp.Body.Close()
				statuses[resp.StatusCode]++
			}()
		}
	}
	wg.Wait()
	if statuses[200] != n*len(urls) {
		t.Fatalf("duplicate provider deliveries answered %v; every copy must get the same 200", statuses)
	}
	return ids
}

// sameIdempotencyKeyEverywhere publishes n events through the API, each with
// its own Idempotency-Key, on every process at once, and returns the event
// ids each key produced.
func sameIdempotencyKeyEverywhere(t *testing.T, hubs []*hub, n int) map[string]map[string]bool {
	t.Helper()
	var mu sync.Mutex
	ids := map[string]map[string]bool{}
	var wg sync.WaitGroup
	for i := range n {
		key := fmt.Sprintf("idem-%d-%d", i, time.Now().UnixNano())
		ids[key] = map[string]bool{}
		for _, h := range hubs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var out struct{ ID string }
				_, err := h.api().do("POST", "/api/v1/events", map[string]any{"type": "idem.test", "payload": map[string]any{"token": key}}, &out,
					"Idempotency-Key", key)
				if err != nil {
					t.Errorf("publish with Idempotency-Key %s: %v", key, err)
					return
				}
				mu.Lock()
				ids[key][out.ID] = true
				mu.Unlock()
			}()
		}
	}
	wg.Wait()
	return ids
}
