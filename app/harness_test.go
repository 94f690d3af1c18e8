package app

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/config"
	"github.com/hookhub/hookhub/secret"
)

// clock is a settable clock shared by a test and the server it starts.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.t.IsZero() {
		return time.Now()
	}
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// testHub is a running Hookhub and an API client for it.
type testHub struct {
	t     testing.TB
	main  *Main
	key   string
	clock *clock
	url   string
}

// storeKinds runs f once per store: SQLite always, PostgreSQL when
// HOOKHUB_TEST_POSTGRES_URL is set.
func storeKinds(t *testing.T, f func(t *testing.T, databaseURL func(t *testing.T) string)) {
	t.Run("sqlite", func(t *testing.T) { f(t, func(*testing.T) string { return "" }) })
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv("HOOKHUB_TEST_POSTGRES_URL")
		if base == "" {
			t.Skip("HOOKHUB_TEST_POSTGRES_URL is not set; skipping the PostgreSQL run")
		}
		f(t, func(t *testing.T) string { return freshPostgres(t, base) })
	})
}

// freshPostgres creates a database for one test and drops it afterwards.
func freshPostgres(t *testing.T, base string) string {
	t.Helper()
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	name := "hookhub_app_" + strings.ToLower(hookhub.NewID("t")[2:])
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		db.Close()
	})
	u := strings.Replace(base, "/postgres?", "/"+name+"?", 1)
	if u == base {
		t.Fatalf("cannot derive a database URL from %s", base)
	}
	return u
}

// quickHash hashes the bootstrap admin's password at a low cost: at full
// cost PBKDF2 takes seconds per hub under the race detector. CheckPassword
// reads the cost from the hash, so the admin can still log in.
func quickHash(pw string) (string, error) { return secret.HashPasswordIterations(pw, 1000) }

func startHub(t testing.TB, databaseURL string) *testHub {
	t.Helper()
	return startHubWith(t, databaseURL, nil)
}

// startHubWith is startHub with a hook that adjusts the Main (its Config
// included) before it runs.
func startHubWith(t testing.TB, databaseURL string, setup func(*Main)) *testHub {
	t.Helper()
	_, full := secret.NewAPIKey()
	cfg := &config.Config{
		Listen: "127.0.0.1:0", DataDir: t.TempDir(), DatabaseURL: config.Secret(databaseURL),
		AdminAPIKey: config.Secret(full), DeliveryWorkers: 16, ShutdownTimeout: 10 * time.Second,
		OutboundAllow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")},
	}
	c := &clock{}
	m := &Main{Config: cfg, Now: c.now, hashPassword: quickHash}
	if setup != nil {
		setup(m)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("run: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := m.Close(ctx); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return &testHub{t: t, main: m, key: full, clock: c, url: m.URL()}
}

// api calls the management API with the admin key and decodes the answer.
func (h *testHub) api(method, path string, body any, out any) int {
	h.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, h.url+path, rd)
	req.Header.Set("Authorization", "Bearer "+h.key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			h.t.Fatalf("%s %s: decode %q: %v", method, path, data, err)
		}
	}
	return resp.StatusCode
}

// mustAPI is api that fails the test unless the status is want.
func (h *testHub) mustAPI(want int, method, path string, body any, out any) {
	h.t.Helper()
	var raw json.RawMessage
	if got := h.api(method, path, body, &raw); got != want {
		h.t.Fatalf("%s %s: status %d, want %d: %s", method, path, got, want, raw)
	}
	if out != nil {
		json.Unmarshal(raw, out)
	}
}

// post sends a webhook.
func (h *testHub) post(path string, headers map[string]string, body []byte) (int, string) {
	h.t.Helper()
	req, _ := http.NewRequest("POST", h.url+path, bytes.NewReader(body))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatalf("post %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// source is the part of a source's JSON the tests read.
type source struct {
	ID  string `json:"id"`
	Key string `json:"key"`
	URL string `json:"url"`
}

type event struct {
	ID           string              `json:"id"`
	SourceID     string              `json:"source_id"`
	Type         string              `json:"type"`
	Status       string              `json:"status"`
	Body         string              `json:"body"`
	Headers      map[string][]string `json:"headers"`
	Variables    map[string]any      `json:"variables"`
	Verification struct {
		Scheme string `json:"scheme"`
		Result string `json:"result"`
		Reason string `json:"reason"`
	} `json:"verification"`
}

type list[T any] struct {
	Data       []T    `json:"data"`
	NextCursor string `json:"next_cursor"`
}

func (h *testHub) events(query string) []event {
	h.t.Helper()
	var l list[event]
	h.mustAPI(200, "GET", "/api/v1/events?"+query, nil, &l)
	// Lists leave bodies out; fetch each event whole.
	for i := range l.Data {
		h.mustAPI(200, "GET", "/api/v1/events/"+l.Data[i].ID, nil, &l.Data[i])
	}
	return l.Data
}

// eventually retries cond until it holds or 30 s pass (a cap for a test
// that would hang; a loaded machine under -race can be slow to get there).
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func postWith(c *http.Client, url, body string) (int, string, error) {
	resp, err := c.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), nil
}
