package sqlite_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/secret"
	"github.com/hookhub/hookhub/sqlite"
	"github.com/hookhub/hookhub/storetest"
)

func open(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	box, err := secret.NewBox(secret.NewRandomKey())
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(context.Background(), path, box)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) hookhub.Store {
		s := open(t, filepath.Join(t.TempDir(), "hookhub.db"))
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// TestSecretsAtRest writes known secrets and checks that none of them appears
// in plain text anywhere in the database file or its write-ahead log.
func TestSecretsAtRest(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "hookhub.db")
	s := open(t, path)
	secrets := []string{"src-secret-4d1b", "src-previous-77a0", "src-password-91c3",
		"dst-header-value-0be2", "dst-signing-5e6f", "dst-signing-previous-c8d9", "wf-node-header-3a7e"}
	src := &hookhub.Source{Name: "s", Type: hookhub.SourceGeneric, Key: "key-1", Active: true,
		Verification: hookhub.Verification{Scheme: "basic", Secret: secrets[0], PreviousSecret: secrets[1],
			Username: "visible-username", Password: secrets[2]}}
	dst := &hookhub.Destination{Name: "d", URL: "https://example.com", Enabled: true,
		Headers: map[string]string{"Authorization": secrets[3]},
		Signing: hookhub.SigningConfig{Scheme: hookhub.SignHubSignature, Secret: secrets[4], PreviousSecret: secrets[5]}}
	ctx := context.Background()
	if err := s.CreateSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateDestination(ctx, dst); err != nil {
		t.Fatal(err)
	}
	wf := &hookhub.Workflow{Name: "w", SourceID: src.ID, Start: "call", Nodes: []hookhub.Node{{ID: "call",
		Type: hookhub.NodeHTTPRequest, URL: "https://example.com", Headers: map[string]string{"Authorization": secrets[6]}}}}
	if err := s.CreateWorkflow(ctx, wf, nil); err != nil {
		t.Fatal(err)
	}
	// Read them back before closing, so the test fails if they were not stored.
	if got, err := s.GetDestination(ctx, dst.ID); err != nil || got.Headers["Authorization"] != secrets[3] {
		t.Fatalf("secrets did not round-trip: %v", err)
	}
	if got, err := s.GetWorkflow(ctx, wf.ID); err != nil || got.Nodes[0].Headers["Authorization"] != secrets[6] {
		t.Fatalf("workflow secrets did not round-trip: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	var all []byte
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		b, err := os.ReadFile(name)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	if !bytes.Contains(all, []byte("visible-username")) {
		t.Fatal("sanity check: a non-secret field is not in the files read")
	}
	for _, sec := range secrets {
		if bytes.Contains(all, []byte(sec)) {
			t.Errorf("secret %q is stored in plain text", sec)
		}
	}
}

// TestReopen checks that opening an existing database applies no migration twice.
func TestReopen(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "hookhub.db")
	s := open(t, path)
	if err := s.CreateUser(context.Background(), &hookhub.User{Username: "a", PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, path)
	defer s.Close()
	if err := s.Ready(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n, err := s.CountUsers(context.Background()); err != nil || n != 1 {
		t.Fatalf("CountUsers after reopening = %d, %v", n, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("database file mode: %v, %v; want 0600", fi.Mode(), err)
	}
}

func BenchmarkStore(b *testing.B) {
	storetest.Benchmark(b, func(b *testing.B) hookhub.Store {
		box, err := secret.NewBox(secret.NewRandomKey())
		if err != nil {
			b.Fatal(err)
		}
		s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "hookhub.db"), box)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		return s
	})
}
