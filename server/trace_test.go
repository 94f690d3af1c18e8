package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/access"
	"github.com/hookhub/hookhub/ingest"
	"github.com/hookhub/hookhub/secret"
	"github.com/hookhub/hookhub/sqlite"
	"github.com/hookhub/hookhub/tracing/tracingtest"
)

// API requests get a server span continuing the caller's traceparent;
// probes and the console's in-process calls get none.
func TestRequestSpans(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	box, err := secret.NewBox(secret.NewRandomKey())
	if err != nil {
		t.Fatal(err)
	}
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "trace.db"), box)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	user := &hookhub.User{ID: hookhub.NewID(hookhub.PrefixUser), Username: "admin", Role: hookhub.RoleAdmin}
	if err := store.CreateUser(ctx, user); err != nil {
		t.Fatal(err)
	}
	id, key := secret.NewAPIKey()
	if err := store.CreateAPIKey(ctx, &hookhub.APIKey{ID: id, Name: "k", UserID: user.ID, Role: hookhub.RoleAdmin, Hash: secret.HashAPIKey(key)}); err != nil {
		t.Fatal(err)
	}
	acc := access.New(access.Options{Store: store})
	committer := ingest.NewCommitter(store, ingest.CommitterOptions{})
	t.Cleanup(committer.Close)
	rec := tracingtest.NewRecorder(t)
	s := New(Options{Store: store, Committer: committer, Access: acc, Tracer: rec.Tracer()})
	h := s.Handler()

	req := httptest.NewRequest("GET", "/api/v1/sources", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		t.Fatalf("list sources: %d %s", w.Code, w.Body)
	}
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/healthz", nil))
	caller, err := acc.AuthenticateKey(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Call(ctx, caller, "GET", "/api/v1/sources", nil, nil); err != nil {
		t.Fatal(err)
	}
	spans := rec.Spans()
	if len(spans) != 1 {
		t.Fatalf("%d spans, want the one API request's: %+v", len(spans), spans)
	}
	sp := spans[0]
	if sp.Name != "GET /api/v1/sources" || sp.ParentID != "00f067aa0ba902b7" || sp.Attrs["http.response.status_code"] != "200" ||
		sp.Attrs["http.route"] != "/api/v1/sources" {
		t.Errorf("request span: %+v", sp)
	}
}
