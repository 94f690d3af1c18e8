package server

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/ingest"
	"github.com/hookhub/hookhub/secret"
	"github.com/hookhub/hookhub/sqlite"
)

// credential is one way a caller may present itself to a route. The roles
// work adds rows here (a viewer's key, a responder's key) with the statuses
// each kind of route must answer them.
type credential struct {
	name   string
	header func(valid string) string // the Authorization header; "" sends none
	// allowed reports whether a route must let this caller through; a refused
	// caller must get wantStatus.
	allowed    func(rt route) bool
	wantStatus int
}

// credentials are the callers every route is walked with.
var credentials = []credential{
	{name: "no key", header: func(string) string { return "" }, allowed: never, wantStatus: http.StatusUnauthorized},
	{name: "not bearer", header: func(k string) string { return "Basic " + k }, allowed: never, wantStatus: http.StatusUnauthorized},
	{name: "empty bearer", header: func(string) string { return "Bearer " }, allowed: never, wantStatus: http.StatusUnauthorized},
	{name: "malformed key", header: func(string) string { return "Bearer not-a-key" }, allowed: never, wantStatus: http.StatusUnauthorized},
	{name: "unknown key", header: func(string) string { _, k := secret.NewAPIKey(); return "Bearer " + k }, allowed: never, wantStatus: http.StatusUnauthorized},
	{name: "wrong secret of a real key", header: wrongSecret, allowed: never, wantStatus: http.StatusUnauthorized},
	{name: "admin key", header: func(k string) string { return "Bearer " + k }, allowed: always},
	{name: "admin key, lower-case scheme", header: func(k string) string { return "bearer " + k }, allowed: always},
	{name: "admin key, upper-case scheme", header: func(k string) string { return "BEARER " + k }, allowed: always},
	{name: "bearer without a space", header: func(k string) string { return "Bearer" + k }, allowed: never, wantStatus: http.StatusUnauthorized},
}

func never(route) bool  { return false }
func always(route) bool { return true }

// wrongSecret keeps the valid key's id but changes its secret part, so the
// store finds the key and the hash comparison must refuse it.
func wrongSecret(valid string) string {
	i := strings.LastIndexByte(valid, '_')
	tail := []byte(valid[i+1:])
	if tail[0] == 'A' {
		tail[0] = 'B'
	} else {
		tail[0] = 'A'
	}
	return "Bearer " + valid[:i+1] + string(tail)
}

// TestEveryRouteNeedsAKey walks the whole route table: every route not marked
// public must refuse each bad credential with 401 before its handler runs,
// and let the admin key through. A route added to the table is covered
// without touching this test.
func TestEveryRouteNeedsAKey(t *testing.T) {
	s, valid := authWalkServer(t)
	h := s.Handler()
	for _, rt := range s.routes() {
		if rt.public {
			continue
		}
		for _, c := range credentials {
			t.Run(rt.method+" "+rt.path+"/"+c.name, func(t *testing.T) {
				status, body := callRoute(h, rt, c.header(valid))
				if c.allowed(rt) {
					if status == http.StatusUnauthorized || status == http.StatusForbidden {
						t.Fatalf("%s refused a caller it must admit: %d %s", c.name, status, body)
					}
					return
				}
				if status != c.wantStatus {
					t.Fatalf("status %d, want %d: %s", status, c.wantStatus, body)
				}
				if !strings.Contains(body, `"code":"unauthorized"`) {
					t.Fatalf("body is not the unauthorized error shape: %s", body)
				}
			})
		}
	}
}

// TestPublicRoutesAreFew keeps the set of public routes explicit: making a
// route public is a decision, so it has to be written here too.
func TestPublicRoutesAreFew(t *testing.T) {
	want := map[string]bool{"GET /healthz": true, "GET /readyz": true, "GET /metrics": true, "GET /api/openapi.json": true}
	s := New(Options{})
	for _, rt := range s.routes() {
		key := rt.method + " " + rt.path
		if rt.public != want[key] {
			t.Errorf("%s: public=%v, want %v", key, rt.public, want[key])
		}
	}
}

// callRoute sends one request to rt with path parameters filled in and an
// empty JSON body, and returns the status and body.
func callRoute(h http.Handler, rt route, auth string) (int, string) {
	path := strings.NewReplacer("{id}", "walk_missing", "{run_id}", "walk_missing").Replace(rt.path)
	req := httptest.NewRequest(rt.method, path, strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	rec := httptest.NewRecorder()
	if rt.method == "GET" && strings.HasSuffix(rt.path, "/stream") {
		// The event stream stays open: end it shortly after it answered.
		ctx, cancel := context.WithTimeout(req.Context(), 100*time.Millisecond)
		defer cancel()
		req = req.WithContext(ctx)
	}
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// authWalkServer is a Server on a real SQLite store holding one admin key.
func authWalkServer(t *testing.T) (*Server, string) {
	t.Helper()
	ctx := context.Background()
	key := make([]byte, 32)
	rand.Read(key)
	box, err := secret.NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "walk.db"), box)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	user := &hookhub.User{ID: hookhub.NewID(hookhub.PrefixUser), Username: "admin", PasswordHash: "x", Admin: true}
	if err := store.CreateUser(ctx, user); err != nil {
		t.Fatal(err)
	}
	id, full := secret.NewAPIKey()
	if err := store.CreateAPIKey(ctx, &hookhub.APIKey{ID: id, Name: "walk", UserID: user.ID, Hash: secret.HashAPIKey(full)}); err != nil {
		t.Fatal(err)
	}
	committer := ingest.NewCommitter(store, ingest.CommitterOptions{})
	t.Cleanup(committer.Close)
	return New(Options{Store: store, Committer: committer}), full
}
