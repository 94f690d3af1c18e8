package server_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/ingest"
	"github.com/hookhub/hookhub/secret"
	"github.com/hookhub/hookhub/server"
	"github.com/hookhub/hookhub/sqlite"
)

// unsaved is a store that keeps nothing it is asked to save: ingest's work
// without the store's.
type unsaved struct{ hookhub.Store }

func (unsaved) SaveEvents(context.Context, []*hookhub.NewEvent) error { return nil }

// BenchmarkHookRequest measures the request path of one GitHub-signed webhook
// with no destination — reading, verifying, understanding, routing and
// answering it, and handing it to the committer — over a store that saves
// nothing, so the figures (instructions and allocations per op) are the
// server's own, steady on a shared machine.
func BenchmarkHookRequest(b *testing.B) {
	box, err := secret.NewBox(secret.NewRandomKey())
	if err != nil {
		b.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "hookhub.db"), box)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	src := &hookhub.Source{Name: "gh", Type: hookhub.SourceGitHub, Key: "bench-key", Active: true,
		Verification: hookhub.Verification{Scheme: hookhub.SourceGitHub, Secret: "bench-secret"}}
	src.SetDefaults()
	if err := db.CreateSource(context.Background(), src); err != nil {
		b.Fatal(err)
	}
	store := unsaved{db}
	committer := ingest.NewCommitter(store, ingest.CommitterOptions{})
	b.Cleanup(committer.Close)
	srv := server.New(server.Options{Store: store, Committer: committer})
	b.Cleanup(srv.Shutdown)
	h := srv.Handler()
	body := []byte(`{"ref":"refs/heads/main","before":"0000000000000000000000000000000000000000",` +
		`"after":"1111111111111111111111111111111111111111","repository":{"id":1,"full_name":"octo/hello"},` +
		`"pusher":{"name":"octo"},"commits":[{"id":"1111111111111111111111111111111111111111","message":"x"}]}`)
	mac := hmac.New(sha256.New, []byte("bench-secret"))
	mac.Write(body)
	sig := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	reqs := make([]*http.Request, 256)
	for i := range reqs {
		r := httptest.NewRequest("POST", "/hooks/"+src.Key, nil)
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("User-Agent", "GitHub-Hookshot/abc123")
		r.Header.Set("X-GitHub-Event", "push")
		r.Header.Set("X-GitHub-Delivery", fmt.Sprintf("72d3162e-cc78-11e3-81ab-%012d", i))
		r.Header.Set("X-GitHub-Hook-ID", "292430182")
		r.Header.Set("X-Hub-Signature-256", sig)
		r.ContentLength = int64(len(body))
		reqs[i] = r
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		r := reqs[i%len(reqs)]
		r.Body = readCloser{bytes.NewReader(body)}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusAccepted && w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }
