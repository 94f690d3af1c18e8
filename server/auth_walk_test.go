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
	"github.com/hookhub/hookhub/access"
	"github.com/hookhub/hookhub/ingest"
	"github.com/hookhub/hookhub/secret"
	"github.com/hookhub/hookhub/sqlite"
)

// credential is one way a caller may present itself to a route, with the
// status each kind of route must answer it.
type credential struct {
	name   string
	header func(k walkKeys) string // the Authorization header; "" sends none
	// cookie, when set, is sent as the console session cookie.
	cookie func(k walkKeys) string
	// allowed reports whether a route must let this caller through; a refused
	// caller must get wantStatus with the error code wantCode.
	allowed    func(rt route) bool
	wantStatus int
	wantCode   string
}

// walkKeys are the valid credentials of the walk's server: a key per role
// and an admin's console session.
type walkKeys struct {
	admin, responder, viewer string
	session                  string
}

// credentials are the callers every route is walked with.
var credentials = []credential{
	{name: "no key", header: func(walkKeys) string { return "" }, allowed: never, wantStatus: http.StatusUnauthorized},
	{name: "not bearer", header: func(k walkKeys) string { return "Basic " + k.admin }, allowed: never, wantStatus: http.StatusUnauthorized},
	{name: "empty bearer", header: func(walkKeys) string { return "Bearer " }, allowed: never, wantStatus: http.StatusUnauthorized},
	{name: "malformed key", header: func(walkKeys) string { return "Bearer not-a-key" }, allowed: never, wantStatus: http.StatusUnauthorized},
	{name: "unknown key", header: func(walkKeys) string { _, k := secret.NewAPIKey(); return "Bearer " + k }, allowed: never, wantStatus: http.StatusUnauthorized},
	{name: "wrong secret of a real key", header: func(k walkKeys) string { return wrongSecret(k.admin) }, allowed: never, wantStatus: http.StatusUnauthorized},
	{name: "session cookie for a key", header: func(walkKeys) string { return "" }, cookie: func(k walkKeys) string { return k.session },
		allowed: func(rt route) bool { return rt.session }, wantStatus: http.StatusUnauthorized},
	{name: "forged session cookie", header: func(walkKeys) string { return "" }, cookie: func(walkKeys) string { return "forged" },
		allowed: never, wantStatus: http.StatusUnauthorized},
	{name: "viewer key", header: func(k walkKeys) string { return "Bearer " + k.viewer },
		allowed: roleAllows(hookhub.RoleViewer), wantStatus: http.StatusForbidden, wantCode: "forbidden"},
	{name: "responder key", header: func(k walkKeys) string { return "Bearer " + k.responder },
		allowed: roleAllows(hookhub.RoleResponder), wantStatus: http.StatusForbidden, wantCode: "forbidden"},
	{name: "admin key", header: func(k walkKeys) string { return "Bearer " + k.admin }, allowed: always},
	{name: "admin key, lower-case scheme", header: func(k walkKeys) string { return "bearer " + k.admin }, allowed: always},
	{name: "admin key, upper-case scheme", header: func(k walkKeys) string { return "BEARER " + k.admin }, allowed: always},
	{name: "bearer without a space", header: func(k walkKeys) string { return "Bearer" + k.admin }, allowed: never, wantStatus: http.StatusUnauthorized},
}

// roleAllows admits the routes a caller with role may call.
func roleAllows(role string) func(route) bool {
	return func(rt route) bool { return hookhub.RoleAllows(role, rt.role) }
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
// refuse a key whose role is below the route's with 403, and let the others
// through. A route added to the table is covered without touching this test.
func TestEveryRouteNeedsAKey(t *testing.T) {
	s, valid := authWalkServer(t)
	h := s.Handler()
	for _, rt := range s.routes() {
		if rt.public {
			continue
		}
		for _, c := range credentials {
			t.Run(rt.method+" "+rt.path+"/"+c.name, func(t *testing.T) {
				cookie := ""
				if c.cookie != nil {
					cookie = c.cookie(valid)
				}
				status, body := callRoute(h, rt, c.header(valid), cookie)
				if c.allowed(rt) {
					if status == http.StatusUnauthorized || status == http.StatusForbidden {
						t.Fatalf("%s refused a caller it must admit: %d %s", c.name, status, body)
					}
					return
				}
				if status != c.wantStatus {
					t.Fatalf("status %d, want %d: %s", status, c.wantStatus, body)
				}
				code := c.wantCode
				if code == "" {
					code = "unauthorized"
				}
				if !strings.Contains(body, `"code":"`+code+`"`) {
					t.Fatalf("body is not the %s error shape: %s", code, body)
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
func callRoute(h http.Handler, rt route, auth, cookie string) (int, string) {
	path := strings.NewReplacer("{id}", "walk_missing", "{run_id}", "walk_missing").Replace(rt.path)
	req := httptest.NewRequest(rt.method, path, strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: access.SessionCookie, Value: cookie})
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

// TestEveryRouteHasARole keeps each route's role a written decision.
func TestEveryRouteHasARole(t *testing.T) {
	for _, rt := range New(Options{}).routes() {
		if !rt.public && !hookhub.ValidRole(rt.role) {
			t.Errorf("%s %s: role %q is not a role", rt.method, rt.path, rt.role)
		}
	}
}

// authWalkServer is a Server on a real SQLite store holding an admin with a
// console session and a key of each role.
func authWalkServer(t *testing.T) (*Server, walkKeys) {
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
	hash, err := secret.HashPasswordIterations("walk-password", 1000)
	if err != nil {
		t.Fatal(err)
	}
	user := &hookhub.User{ID: hookhub.NewID(hookhub.PrefixUser), Username: "admin", PasswordHash: hash, Role: hookhub.RoleAdmin}
	if err := store.CreateUser(ctx, user); err != nil {
		t.Fatal(err)
	}
	var keys walkKeys
	for role, dst := range map[string]*string{hookhub.RoleAdmin: &keys.admin, hookhub.RoleResponder: &keys.responder, hookhub.RoleViewer: &keys.viewer} {
		id, full := secret.NewAPIKey()
		if err := store.CreateAPIKey(ctx, &hookhub.APIKey{ID: id, Name: "walk " + role, UserID: user.ID, Role: role, Hash: secret.HashAPIKey(full)}); err != nil {
			t.Fatal(err)
		}
		*dst = full
	}
	acc := access.New(access.Options{Store: store})
	login, err := acc.Login(ctx, "admin", "walk-password", "192.0.2.1", "walk")
	if err != nil {
		t.Fatal(err)
	}
	keys.session = login.Token
	committer := ingest.NewCommitter(store, ingest.CommitterOptions{})
	t.Cleanup(committer.Close)
	return New(Options{Store: store, Committer: committer, Access: acc}), keys
}
