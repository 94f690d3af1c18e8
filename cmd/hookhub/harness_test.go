package main

import (
	"bytes"
	"context"
	"database/sql"
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
	"github.com/hookhub/hookhub/app"
	"github.com/hookhub/hookhub/client"
	"github.com/hookhub/hookhub/config"
	"github.com/hookhub/hookhub/secret"
)

// hub is a Hookhub started in-process for a test, and a client for it.
type hub struct {
	url string
	key string
	api *client.Client
}

func startHub(t *testing.T, databaseURL string) *hub {
	t.Helper()
	_, key := secret.NewAPIKey()
	return startHubWith(t, databaseURL, key, "")
}

// startHubWith starts a hub with a given admin key (used on an empty
// database) and master key ("" generates one).
func startHubWith(t *testing.T, databaseURL, key, masterKey string) *hub {
	t.Helper()
	cfg := &config.Config{SecretKey: config.Secret(masterKey),
		Listen: "127.0.0.1:0", DataDir: t.TempDir(), DatabaseURL: config.Secret(databaseURL),
		AdminAPIKey: config.Secret(key), DeliveryWorkers: 8, ShutdownTimeout: 10 * time.Second,
		OutboundAllow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}, MaxBodyBytes: 1 << 20,
	}
	m := &app.Main{Config: cfg}
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("start hub: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		m.Close(ctx)
	})
	c, err := client.New(m.URL(), key, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &hub{url: m.URL(), key: key, api: c}
}

// storeKinds runs f on SQLite, and on PostgreSQL when
// HOOKHUB_TEST_POSTGRES_URL is set.
func storeKinds(t *testing.T, f func(t *testing.T, databaseURL string)) {
	t.Run("sqlite", func(t *testing.T) { f(t, "") })
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv("HOOKHUB_TEST_POSTGRES_URL")
		if base == "" {
			t.Skip("HOOKHUB_TEST_POSTGRES_URL is not set; skipping the PostgreSQL run")
		}
		f(t, freshPostgres(t, base))
	})
}

// freshPostgres creates a database for one test and drops it afterwards.
func freshPostgres(t *testing.T, base string) string {
	t.Helper()
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	name := "hookhub_cli_" + strings.ToLower(hookhub.NewID("t")[2:])
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

// result is what one hookhub command did.
type result struct {
	code           int
	stdout, stderr string
}

// cli runs hookhub with args against h (nil: no server settings), with
// extra environment variables and standard input.
func (h *hub) cli(t *testing.T, stdin string, envv map[string]string, args ...string) result {
	t.Helper()
	vars := map[string]string{}
	if h != nil {
		vars["HOOKHUB_SERVER"], vars["HOOKHUB_API_KEY"] = h.url, h.key
	}
	for k, v := range envv {
		vars[k] = v
	}
	var out, errOut bytes.Buffer
	e := &env{getenv: func(k string) string { return vars[k] }, stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut}
	code := execute(context.Background(), args, e)
	return result{code, out.String(), errOut.String()}
}

// ok runs a command that must succeed and returns its stdout.
func (h *hub) ok(t *testing.T, args ...string) string {
	t.Helper()
	r := h.cli(t, "", nil, args...)
	if r.code != 0 {
		t.Fatalf("hookhub %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

// receiver is a local webhook receiver that records what it gets.
type receiver struct {
	mu   sync.Mutex
	reqs []recorded
	// status is what it answers; 200 when zero.
	status int
}

type recorded struct {
	method, path, query string
	header              http.Header
	body                []byte
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.reqs = append(rc.reqs, recorded{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), body})
	status := rc.status
	rc.mu.Unlock()
	if status == 0 {
		status = 200
	}
	w.WriteHeader(status)
}

func (rc *receiver) got() []recorded {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]recorded(nil), rc.reqs...)
}

// waitFor polls cond until it holds, for up to 15 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
