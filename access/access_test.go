package access

import (
	"context"
	"crypto/rand"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/secret"
	"github.com/hookhub/hookhub/sqlite"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// quickHash is a cheap stand-in for the slow password hash.
func quickHash(pw string) (string, error) { return secret.HashPasswordIterations(pw, 1000) }

func newTestService(t *testing.T) (*Service, *fakeClock, hookhub.Store) {
	t.Helper()
	key := make([]byte, 32)
	rand.Read(key)
	box, _ := secret.NewBox(key)
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "access.db"), box)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	// The store keeps at least one admin, so the suite starts with one.
	if err := store.CreateUser(context.Background(), &hookhub.User{Username: "root", PasswordHash: "x", Role: hookhub.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	clk := &fakeClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	return New(Options{Store: store, Now: clk.now, IdleTimeout: time.Hour, MaxAge: 8 * time.Hour, HashPassword: quickHash}), clk, store
}

var admin = Caller{Actor: "user:root", Role: hookhub.RoleAdmin}

func TestSessionLive(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	ss := &hookhub.Session{LastSeenAt: t0, ExpiresAt: t0.Add(8 * time.Hour)}
	for _, tc := range []struct {
		at   time.Duration
		want bool
	}{
		{0, true}, {59 * time.Minute, true}, {time.Hour, false}, {9 * time.Hour, false},
	} {
		if got := SessionLive(ss, t0.Add(tc.at), time.Hour); got != tc.want {
			t.Errorf("at +%v: live %v, want %v", tc.at, got, tc.want)
		}
	}
	ss.LastSeenAt = t0.Add(7*time.Hour + 30*time.Minute)
	if SessionLive(ss, t0.Add(8*time.Hour), time.Hour) {
		t.Error("a session in use is live past its absolute end")
	}
}

func TestCSRFToken(t *testing.T) {
	a, b := newToken(), newToken()
	if !CheckCSRF(a, CSRFToken(a)) {
		t.Fatal("a session's own token is refused")
	}
	for _, tc := range []struct{ session, got string }{
		{a, CSRFToken(b)}, {a, ""}, {"", CSRFToken("")}, {a, CSRFToken(a)[1:]}, {a, a},
	} {
		if CheckCSRF(tc.session, tc.got) {
			t.Errorf("CheckCSRF(%q, %q) passed", tc.session, tc.got)
		}
	}
	if CheckFormToken("", "") || !CheckFormToken("x1", "x1") || CheckFormToken("x1", "x2") {
		t.Error("CheckFormToken")
	}
}

func TestLoginSessionLifecycle(t *testing.T) {
	s, clk, _ := newTestService(t)
	ctx := context.Background()
	u, err := s.CreateUser(ctx, admin, UserInput{Username: "ops", Password: "correct horse", Role: hookhub.RoleResponder})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Login(ctx, "ops", "wrong password", "192.0.2.1", "test"); hookhub.ErrorCode(err) != hookhub.EUNAUTHORIZED {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := s.Login(ctx, "nobody", "correct horse", "192.0.2.1", "test"); hookhub.ErrorCode(err) != hookhub.EUNAUTHORIZED {
		t.Fatalf("unknown user: %v", err)
	}
	l, err := s.Login(ctx, "ops", "correct horse", "192.0.2.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Authenticate(ctx, l.Token)
	if err != nil || c.Role != hookhub.RoleResponder || c.Actor != "user:"+u.ID || c.Username != "ops" {
		t.Fatalf("Authenticate = %+v, %v", c, err)
	}
	// Used every 50 minutes, the session lives on until its absolute end.
	for range 9 {
		clk.add(50 * time.Minute)
		if _, err := s.Authenticate(ctx, l.Token); err != nil {
			if clk.now().Before(l.Session.ExpiresAt) {
				t.Fatalf("at %v: %v", clk.now(), err)
			}
			break
		}
		if !clk.now().Before(l.Session.ExpiresAt) {
			t.Fatal("a session outlived its absolute end")
		}
	}
	// Left alone past the idle timeout, a session ends.
	l2, err := s.Login(ctx, "ops", "correct horse", "192.0.2.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	clk.add(61 * time.Minute)
	if _, err := s.Authenticate(ctx, l2.Token); hookhub.ErrorCode(err) != hookhub.EUNAUTHORIZED {
		t.Fatalf("an idle session: %v", err)
	}
	// A demotion applies to the session at once; logout ends it.
	l3, _ := s.Login(ctx, "ops", "correct horse", "192.0.2.1", "test")
	if _, err := s.UpdateUser(ctx, admin, u.ID, UserInput{Role: hookhub.RoleViewer}); err != nil {
		t.Fatal(err)
	}
	if c, err := s.Authenticate(ctx, l3.Token); err != nil || c.Role != hookhub.RoleViewer {
		t.Fatalf("after demotion: %+v, %v", c, err)
	}
	if err := s.Logout(ctx, l3.Token); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, l3.Token); hookhub.ErrorCode(err) != hookhub.EUNAUTHORIZED {
		t.Fatalf("after logout: %v", err)
	}
	// A new password ends the user's other sessions, but not the changer's.
	l4, _ := s.Login(ctx, "ops", "correct horse", "192.0.2.1", "test")
	self := Caller{Actor: "user:" + u.ID, Role: hookhub.RoleViewer, UserID: u.ID, SessionID: sessionID(l4.Token)}
	l5, _ := s.Login(ctx, "ops", "correct horse", "192.0.2.9", "other browser")
	if _, err := s.UpdateUser(ctx, self, u.ID, UserInput{Password: "a new password"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, l4.Token); err != nil {
		t.Fatalf("the changer's own session ended: %v", err)
	}
	if _, err := s.Authenticate(ctx, l5.Token); hookhub.ErrorCode(err) != hookhub.EUNAUTHORIZED {
		t.Fatalf("another session survived a password change: %v", err)
	}
}

func TestLoginRateLimit(t *testing.T) {
	s, clk, _ := newTestService(t)
	ctx := context.Background()
	if _, err := s.CreateUser(ctx, admin, UserInput{Username: "ops", Password: "correct horse"}); err != nil {
		t.Fatal(err)
	}
	for i := range maxUserFailures {
		if _, err := s.Login(ctx, "ops", "guess", "192.0.2.1", ""); hookhub.ErrorCode(err) != hookhub.EUNAUTHORIZED {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	// The user is locked for every address, even with the right password.
	if _, err := s.Login(ctx, "ops", "correct horse", "198.51.100.7", ""); hookhub.ErrorCode(err) != hookhub.ERATELIMIT {
		t.Fatalf("after %d failures: %v", maxUserFailures, err)
	}
	clk.add(loginWindow + time.Second)
	if _, err := s.Login(ctx, "ops", "correct horse", "198.51.100.7", ""); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	// One address trying many usernames is limited by its address.
	for i := range maxClientFailures {
		name := "user" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		if _, err := s.Login(ctx, name, "guess", "203.0.113.5", ""); hookhub.ErrorCode(err) != hookhub.EUNAUTHORIZED {
			t.Fatalf("address failure %d: %v", i, err)
		}
	}
	if _, err := s.Login(ctx, "ops", "correct horse", "203.0.113.5", ""); hookhub.ErrorCode(err) != hookhub.ERATELIMIT {
		t.Fatalf("a limited address signed in: %v", err)
	}
}

func TestKeysAndRoles(t *testing.T) {
	s, _, _ := newTestService(t)
	ctx := context.Background()
	responder := Caller{Actor: "user:r", Role: hookhub.RoleResponder}
	if _, err := s.CreateKey(ctx, responder, "too much", hookhub.RoleAdmin); hookhub.ErrorCode(err) != hookhub.EFORBIDDEN {
		t.Fatalf("a responder made an admin key: %v", err)
	}
	if _, err := s.CreateUser(ctx, responder, UserInput{Username: "x", Password: "long enough pw", Role: hookhub.RoleAdmin}); hookhub.ErrorCode(err) != hookhub.EFORBIDDEN {
		t.Fatalf("a responder made an admin: %v", err)
	}
	nk, err := s.CreateKey(ctx, responder, "mine", hookhub.RoleViewer)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.AuthenticateKey(ctx, nk.Secret)
	if err != nil || c.Role != hookhub.RoleViewer || c.Actor != "apikey:"+nk.Key.ID {
		t.Fatalf("AuthenticateKey = %+v, %v", c, err)
	}
	if err := s.RevokeKey(ctx, admin, nk.Key.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AuthenticateKey(ctx, nk.Secret); hookhub.ErrorCode(err) != hookhub.EUNAUTHORIZED {
		t.Fatalf("a revoked key: %v", err)
	}
	for _, bad := range []string{"", "hh_", "Bearer x", nk.Secret + "x"} {
		if _, err := s.AuthenticateKey(ctx, bad); hookhub.ErrorCode(err) != hookhub.EUNAUTHORIZED {
			t.Errorf("key %q: %v", bad, err)
		}
	}
	if _, err := s.CreateKey(ctx, admin, "", hookhub.RoleViewer); hookhub.ErrorCode(err) != hookhub.EINVALID {
		t.Errorf("a key without a name: %v", err)
	}
	if _, err := s.CreateKey(ctx, admin, "x", "root"); hookhub.ErrorCode(err) != hookhub.EINVALID {
		t.Errorf("a key with an unknown role: %v", err)
	}
}
