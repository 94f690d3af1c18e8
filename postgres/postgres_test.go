package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/postgres"
	"github.com/hookhub/hookhub/secret"
	"github.com/hookhub/hookhub/storetest"
)

// envURL names the server the tests use, such as
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable. Each test gets
// a database of its own on it.
const envURL = "HOOKHUB_TEST_POSTGRES_URL"

// freshDatabase creates a database for one test, dropped when it ends, and
// returns its URL.
func freshDatabase(t testing.TB) string {
	t.Helper()
	base := os.Getenv(envURL)
	if base == "" {
		t.Skip(envURL + " is not set; set it to a PostgreSQL URL to run these tests")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	rand.Read(b)
	name := "hookhub_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop test database: %v", err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func open(t testing.TB, dbURL string) *postgres.Store {
	t.Helper()
	box, err := secret.NewBox(secret.NewRandomKey())
	if err != nil {
		t.Fatal(err)
	}
	s, err := postgres.Open(context.Background(), dbURL, box)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) hookhub.Store {
		s := open(t, freshDatabase(t))
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// TestConcurrentMigrate opens several stores on one empty database at once:
// each migration must be applied exactly once.
func TestConcurrentMigrate(t *testing.T) {
	t.Parallel()
	dbURL := freshDatabase(t)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			box, _ := secret.NewBox(secret.NewRandomKey())
			s, err := postgres.Open(context.Background(), dbURL, box)
			if err == nil {
				err = s.Ready(context.Background())
				s.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func BenchmarkStore(b *testing.B) {
	storetest.Benchmark(b, func(b *testing.B) hookhub.Store {
		s := open(b, freshDatabase(b))
		b.Cleanup(func() { s.Close() })
		return s
	})
}
