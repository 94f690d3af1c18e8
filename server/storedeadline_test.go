package server

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/access"
	"github.com/hookhub/hookhub/ingest"
	"github.com/hookhub/hookhub/secret"
	"github.com/hookhub/hookhub/sqlite"
	"github.com/hookhub/hookhub/sqlstore"
)

// gate decides, per call, whether the database under a store answers or
// hangs. Only calls made for a request of the test are counted and held
// (their context carries gateKey), so the server's own background work
// goes on.
type gate struct {
	stalled atomic.Bool
	calls   atomic.Int64
}

type gateKey struct{}

// wait counts a call for a test request and, while the gate is stalled,
// holds it until its context ends, as a hung database does.
func (g *gate) wait(ctx context.Context) error {
	if ctx.Value(gateKey{}) == nil {
		return nil
	}
	g.calls.Add(1)
	if g.stalled.Load() {
		<-ctx.Done()
		return ctx.Err()
	}
	return nil
}

// gatedConnector opens connections of the inner driver behind the gate.
type gatedConnector struct {
	inner driver.Driver
	dsn   string
	g     *gate
}

func (c gatedConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.inner.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return gatedConn{conn, c.g}, nil
}

func (c gatedConnector) Driver() driver.Driver { return c.inner }

// gatedConn passes every statement through the gate first.
type gatedConn struct {
	driver.Conn
	g *gate
}

func (c gatedConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if err := c.g.wait(ctx); err != nil {
		return nil, err
	}
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c gatedConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if err := c.g.wait(ctx); err != nil {
		return nil, err
	}
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return gatedStmt{st, c.g}, nil
}

func (c gatedConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if err := c.g.wait(ctx); err != nil {
		return nil, err
	}
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
}

func (c gatedConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if err := c.g.wait(ctx); err != nil {
		return nil, err
	}
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
}

func (c gatedConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c gatedConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// gatedStmt is a prepared statement behind the gate.
type gatedStmt struct {
	driver.Stmt
	g *gate
}

func (s gatedStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if err := s.g.wait(ctx); err != nil {
		return nil, err
	}
	return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
}

func (s gatedStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if err := s.g.wait(ctx); err != nil {
		return nil, err
	}
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

// gatedServer is a Server whose store's database can be made to hang, with
// an admin caller for in-process requests and an admin API key.
func gatedServer(t *testing.T) (*Server, *gate, access.Caller, string) {
	t.Helper()
	ctx := context.Background()
	key := make([]byte, 32)
	rand.Read(key)
	box, err := secret.NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "gated.db")
	migrated, err := sqlite.Open(ctx, path, box) // creates and migrates the file
	if err != nil {
		t.Fatal(err)
	}
	migrated.Close()
	plain, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	inner := plain.Driver()
	plain.Close()
	g := &gate{}
	pool := func(params string, n int) *sql.DB {
		db := sql.OpenDB(gatedConnector{inner: inner, dsn: "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)" + params, g: g})
		db.SetMaxOpenConns(n)
		t.Cleanup(func() { db.Close() })
		return db
	}
	store := sqlstore.New(sqlstore.SQLite(), pool("&_pragma=query_only(1)", 4), pool("&_pragma=journal_mode(WAL)&_txlock=immediate", 1), box)
	id, full := secret.NewAPIKey()
	if err := store.CreateAPIKey(ctx, &hookhub.APIKey{ID: id, Name: "gated", Role: hookhub.RoleAdmin, Hash: secret.HashAPIKey(full)}); err != nil {
		t.Fatal(err)
	}
	committer := ingest.NewCommitter(store, ingest.CommitterOptions{})
	t.Cleanup(committer.Close)
	s := New(Options{Store: store, Committer: committer, StoreTimeout: 200 * time.Millisecond})
	t.Cleanup(s.Shutdown)
	return s, g, access.Caller{Actor: "apikey:" + id, Role: hookhub.RoleAdmin}, full
}

// serveGated sends one request to rt as c through the API's routes, its
// store calls behind the gate, and returns the status and body.
func serveGated(s *Server, rt route, c access.Caller) (int, string) {
	path := strings.NewReplacer("{id}", "walk_missing", "{run_id}", "walk_missing").Replace(rt.path)
	ctx := context.WithValue(context.Background(), gateKey{}, true)
	req := httptest.NewRequestWithContext(ctx, rt.method, path, strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	req = access.WithCaller(req, c)
	rec := httptest.NewRecorder()
	s.callMux().ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// TestHungStoreAnswers503 walks every API route but the event stream with
// the database answering, then with it hanging. A route whose request
// reached the store must then answer 503 with the API's error shape once
// the store deadline passes, rather than wait for the database for ever; a
// route that never reaches the store answers as it did. A route added to
// the table is covered without touching this test.
func TestHungStoreAnswers503(t *testing.T) {
	s, g, admin, _ := gatedServer(t)
	reached := 0
	for _, rt := range s.routes() {
		if rt.public || rt.stream {
			continue
		}
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			g.stalled.Store(false)
			before := g.calls.Load()
			healthy, _ := serveGated(s, rt, admin)
			usesStore := g.calls.Load() > before
			g.stalled.Store(true)
			defer g.stalled.Store(false)
			status, body := serveGated(s, rt, admin)
			if !usesStore {
				if status != healthy {
					t.Fatalf("a route that does not use the store answered %d with it hanging, %d without: %s", status, healthy, body)
				}
				return
			}
			reached++
			var e struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if status != http.StatusServiceUnavailable || json.Unmarshal([]byte(body), &e) != nil || e.Error.Code != hookhub.EUNAVAILABLE {
				t.Fatalf("with the store hanging: %d %s, want 503 unavailable (%d when it answered)", status, body, healthy)
			}
		})
	}
	if reached < 30 {
		t.Errorf("only %d routes reached the store; the walk is not exercising the handlers", reached)
	}
}

// TestHungStoreAnswers503ToAKey: over HTTP, checking the API key is a
// store call too, and a hung store answers it 503 (retry), not 401; the
// server answers again once the store does.
func TestHungStoreAnswers503ToAKey(t *testing.T) {
	s, g, _, key := gatedServer(t)
	h := s.Handler()
	get := func() (int, string) {
		ctx := context.WithValue(context.Background(), gateKey{}, true)
		req := httptest.NewRequestWithContext(ctx, "GET", "/api/v1/sources", nil)
		req.Header.Set("Authorization", "Bearer "+key)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	g.stalled.Store(true)
	if status, body := get(); status != http.StatusServiceUnavailable || !strings.Contains(body, `"code":"unavailable"`) {
		t.Fatalf("with the store hanging: %d %s, want 503 unavailable", status, body)
	}
	g.stalled.Store(false)
	if status, body := get(); status != http.StatusOK {
		t.Fatalf("with the store answering again: %d %s", status, body)
	}
}
