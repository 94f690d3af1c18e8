package reliability

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// freshDatabase creates an empty PostgreSQL database for one test next to
// the one HOOKHUB_TEST_POSTGRES_URL names, drops it when the test ends, and
// returns its URL. The test is skipped when the variable is unset.
func freshDatabase(t *testing.T) string {
	t.Helper()
	admin := os.Getenv("HOOKHUB_TEST_POSTGRES_URL")
	if admin == "" {
		t.Skip("HOOKHUB_TEST_POSTGRES_URL is not set; set it to run the PostgreSQL suites")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connect to PostgreSQL: %v", err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	name := "hookhub_rel_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Logf("drop database %s: %v", name, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop database %s: %v", name, err)
		}
	})
	u, _ := url.Parse(admin)
	u.Path = "/" + name
	return u.String()
}

// storeCases runs body once on SQLite and once on a fresh PostgreSQL
// database, as subtests.
func storeCases(t *testing.T, body func(t *testing.T, databaseURL string)) {
	t.Run("sqlite", func(t *testing.T) { body(t, "") })
	t.Run("postgres", func(t *testing.T) { body(t, freshDatabase(t)) })
}
