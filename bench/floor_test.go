package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const floorTestSecret = "floor-test-secret"

// floorStores runs fn on SQLite and, with HOOKHUB_TEST_POSTGRES_URL, on a
// fresh PostgreSQL database; dbPath is the SQLite file ("" on PostgreSQL).
func floorStores(t *testing.T, fn func(t *testing.T, opt floorOptions)) {
	t.Run("sqlite", func(t *testing.T) {
		fn(t, floorOptions{SQLitePath: filepath.Join(t.TempDir(), "floor.db"), Secret: floorTestSecret})
	})
	t.Run("postgres", func(t *testing.T) {
		admin := os.Getenv("HOOKHUB_TEST_POSTGRES_URL")
		if admin == "" {
			t.Skip("HOOKHUB_TEST_POSTGRES_URL is not set: the floor server's PostgreSQL store is not tested")
		}
		url, drop, err := freshDatabase(context.Background(), admin)
		if err != nil {
			t.Fatal(err)
		}
		defer drop()
		fn(t, floorOptions{DatabaseURL: url, Secret: floorTestSecret})
	})
}

// floorPost sends a GitHub push signed with secret and returns the status.
func floorPost(t *testing.T, url, secret, delivery, body string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if secret != "" {
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(body))
		req.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(mac.Sum(nil)))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", "push")
	req.Header.Set("X-GitHub-Delivery", delivery)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func startFloorTest(t *testing.T, opt floorOptions) (*floorServer, *httptest.Server) {
	t.Helper()
	s, err := startFloor(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	return s, httptest.NewServer(s)
}

func TestFloorIngest(t *testing.T) {
	floorStores(t, func(t *testing.T, opt floorOptions) {
		s, srv := startFloorTest(t, opt)
		for i := range 3 {
			if got := floorPost(t, srv.URL+"/hooks/x", floorTestSecret, "d-"+strconv.Itoa(i), `{"n":`+strconv.Itoa(i)+`}`); got != http.StatusAccepted {
				t.Errorf("webhook %d: status %d, want 202", i, got)
			}
		}
		if got := floorPost(t, srv.URL, "wrong secret", "d-bad", `{"n":9}`); got != http.StatusUnauthorized {
			t.Errorf("bad signature: status %d, want 401", got)
		}
		if got := floorPost(t, srv.URL, "", "d-unsigned", `{"n":9}`); got != http.StatusUnauthorized {
			t.Errorf("no signature: status %d, want 401", got)
		}
		if got := floorPost(t, srv.URL, floorTestSecret, "d-1", `{"n":1}`); got != http.StatusOK {
			t.Errorf("duplicate delivery id: status %d, want 200", got)
		}
		if resp, err := http.Get(srv.URL); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("GET: %v %v, want 405", resp, err)
		}
		big := strings.Repeat("x", floorMaxBody+1)
		if got := floorPost(t, srv.URL, floorTestSecret, "d-big", big); got != http.StatusRequestEntityTooLarge {
			t.Errorf("body over the cap: status %d, want 413", got)
		}
		srv.Close()
		c, err := s.close()
		if err != nil {
			t.Fatal(err)
		}
		if c != (floorCounts{Events: 3}) {
			t.Errorf("rows left %+v, want 3 events and nothing else", c)
		}
		if opt.SQLitePath != "" {
			checkFloorFile(t, opt.SQLitePath)
		}
	})
}

// checkFloorFile reads the events back from the SQLite file.
func checkFloorFile(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT source_id, type, dedup_key, headers, body FROM events ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for ; rows.Next(); n++ {
		var src, typ, key, headers string
		var body []byte
		if err := rows.Scan(&src, &typ, &key, &headers, &body); err != nil {
			t.Fatal(err)
		}
		var h http.Header
		if err := json.Unmarshal([]byte(headers), &h); err != nil {
			t.Fatalf("headers %q: %v", headers, err)
		}
		want := strconv.Itoa(n)
		if src != floorSource || typ != "push" || key != "d-"+want || h.Get("X-GitHub-Delivery") != key || string(body) != `{"n":`+want+`}` {
			t.Errorf("row %d: %s %s %s %v %q", n, src, typ, key, h, body)
		}
	}
	if err := rows.Err(); err != nil || n != 3 {
		t.Errorf("%d rows in the file (%v), want 3", n, err)
	}
}

// floorReceiver counts the bodies it receives.
type floorReceiver struct {
	mu  sync.Mutex
	got map[string]int
}

func (rc *floorReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.got[string(b)]++
	rc.mu.Unlock()
}

func (rc *floorReceiver) total() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	n := 0
	for _, v := range rc.got {
		n += v
	}
	return n
}

func TestFloorDelivers(t *testing.T) {
	floorStores(t, func(t *testing.T, opt floorOptions) {
		rc := &floorReceiver{got: map[string]int{}}
		dest := httptest.NewServer(rc)
		defer dest.Close()
		opt.DeliverTo = dest.URL + "/r/0"
		s, srv := startFloorTest(t, opt)
		const n = 5
		for i := range n {
			if got := floorPost(t, srv.URL, floorTestSecret, "d-"+strconv.Itoa(i), `{"n":`+strconv.Itoa(i)+`}`); got != http.StatusAccepted {
				t.Errorf("webhook %d: status %d, want 202", i, got)
			}
		}
		if got := floorPost(t, srv.URL, floorTestSecret, "d-0", `{"n":0}`); got != http.StatusOK {
			t.Errorf("duplicate: status %d, want 200", got)
		}
		for deadline := time.Now().Add(30 * time.Second); rc.total() < n && time.Now().Before(deadline); {
			time.Sleep(5 * time.Millisecond)
		}
		srv.Close()
		c, err := s.close() // records every outcome before it returns
		if err != nil {
			t.Fatal(err)
		}
		rc.mu.Lock()
		for i := range n {
			if b := `{"n":` + strconv.Itoa(i) + `}`; rc.got[b] != 1 {
				t.Errorf("%s received %d times, want once", b, rc.got[b])
			}
		}
		rc.mu.Unlock()
		if want := (floorCounts{Events: n, Deliveries: n, Delivered: n, Attempts: n}); c != want {
			t.Errorf("rows left %+v, want %+v", c, want)
		}
	})
}

func TestFloorAnswers503WhenTheStoreFails(t *testing.T) {
	opt := floorOptions{SQLitePath: filepath.Join(t.TempDir(), "floor.db"), Secret: floorTestSecret}
	s, srv := startFloorTest(t, opt)
	db, err := sql.Open("sqlite", "file:"+opt.SQLitePath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("DROP TABLE events"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if got := floorPost(t, srv.URL, floorTestSecret, "d-0", `{}`); got != http.StatusServiceUnavailable {
		t.Errorf("status %d, want 503", got)
	}
	srv.Close()
	s.close() // counting fails: there is no events table
}

func TestVsFloor(t *testing.T) {
	b := &bench{rep: &report{}}
	b.figG(genWrk, "ingest", "sqlite", "requests/s (no destination)", 5000, "req/s", "rate", nil)
	b.figG(genBuiltin, "floor-ingest", "sqlite", "requests/s (no destination)", 1000, "req/s", "rate", nil)
	b.figG(genWrk, "floor-ingest", "sqlite", "requests/s (no destination)", 20000, "req/s", "rate", nil)
	b.figG(genWrk, "floor-ingest", "postgres", "requests/s (no destination)", 9000, "req/s", "rate", nil)
	b.vsFloor("floor-ingest", "ingest", "sqlite", genWrk, "requests/s (no destination)")
	b.vsFloor("floor-ingest", "ingest", "postgres", genWrk, "requests/s (no destination)") // no Hookhub figure: none
	last := b.rep.Figures[len(b.rep.Figures)-1]
	if len(b.rep.Figures) != 5 || last.Name != "hookhub ingest ÷ floor: requests/s (no destination)" || last.Value != 0.25 || last.Store != "sqlite" {
		t.Errorf("figures %d, last %+v", len(b.rep.Figures), last)
	}
}
