package storetest

import (
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

var userTests = []test{
	{"Users", testUsers},
	{"UserUpdateAndDelete", testUserUpdateAndDelete},
	{"KeepAnAdmin", testKeepAnAdmin},
	{"APIKeys", testAPIKeys},
	{"Sessions", testSessions},
	{"LoginFailures", testLoginFailures},
}

func testUsers(t *testing.T, s hookhub.Store) {
	n, err := s.CountUsers(ctx(t))
	must(t, err)
	if n != 0 {
		t.Fatalf("a new store has %d users", n)
	}
	u := &hookhub.User{ID: hookhub.NewID(hookhub.PrefixUser), Username: "admin",
		PasswordHash: "$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$aGFzaA", Role: hookhub.RoleAdmin, CreatedAt: t0, UpdatedAt: t0.Add(time.Second)}
	allSet(t, u)
	must(t, s.CreateUser(ctx(t), u))
	got, err := s.GetUserByUsername(ctx(t), "admin")
	must(t, err)
	equal(t, "user", got, u)
	got, err = s.GetUser(ctx(t), u.ID)
	must(t, err)
	equal(t, "user by id", got, u)

	dup := &hookhub.User{ID: hookhub.NewID(hookhub.PrefixUser), Username: "admin", PasswordHash: "x"}
	wantCode(t, s.CreateUser(ctx(t), dup), hookhub.ECONFLICT)
	must(t, s.CreateUser(ctx(t), &hookhub.User{Username: "viewer", PasswordHash: "x"}))
	n, err = s.CountUsers(ctx(t))
	must(t, err)
	if n != 2 {
		t.Fatalf("CountUsers = %d, want 2", n)
	}
	_, err = s.GetUserByUsername(ctx(t), "nobody")
	wantCode(t, err, hookhub.ENOTFOUND)
	_, err = s.GetUser(ctx(t), "usr_missing")
	wantCode(t, err, hookhub.ENOTFOUND)
	list, err := s.ListUsers(ctx(t))
	must(t, err)
	if len(list) != 2 || list[0].Username != "admin" || list[1].Username != "viewer" || list[1].Role != hookhub.RoleViewer {
		t.Fatalf("ListUsers = %s", dump(list))
	}
}

func testUserUpdateAndDelete(t *testing.T, s hookhub.Store) {
	admin := &hookhub.User{Username: "root", PasswordHash: "x", Role: hookhub.RoleAdmin}
	must(t, s.CreateUser(ctx(t), admin))
	u := &hookhub.User{Username: "ops", PasswordHash: "x", Role: hookhub.RoleAdmin}
	must(t, s.CreateUser(ctx(t), u))
	adminKey := &hookhub.APIKey{Name: "a", UserID: u.ID, Role: hookhub.RoleAdmin, Hash: []byte("1")}
	respKey := &hookhub.APIKey{Name: "r", UserID: u.ID, Role: hookhub.RoleResponder, Hash: []byte("2")}
	viewKey := &hookhub.APIKey{Name: "v", UserID: u.ID, Role: hookhub.RoleViewer, Hash: []byte("3")}
	otherKey := &hookhub.APIKey{Name: "o", UserID: admin.ID, Role: hookhub.RoleAdmin, Hash: []byte("4")}
	for _, k := range []*hookhub.APIKey{adminKey, respKey, viewKey, otherKey} {
		must(t, s.CreateAPIKey(ctx(t), k))
	}
	// Demoting a user lowers its keys to the new role, and no one else's.
	u.Role, u.Username, u.PasswordHash, u.UpdatedAt = hookhub.RoleResponder, "ops-team", "y", t0.Add(time.Hour)
	must(t, s.UpdateUser(ctx(t), u))
	got, err := s.GetUser(ctx(t), u.ID)
	must(t, err)
	equal(t, "updated user", got, u)
	for k, want := range map[*hookhub.APIKey]string{adminKey: hookhub.RoleResponder, respKey: hookhub.RoleResponder,
		viewKey: hookhub.RoleViewer, otherKey: hookhub.RoleAdmin} {
		got, err := s.GetAPIKey(ctx(t), k.ID)
		must(t, err)
		if got.Role != want {
			t.Errorf("key %s: role %s after the demotion, want %s", k.Name, got.Role, want)
		}
	}
	u.Role = hookhub.RoleViewer
	must(t, s.UpdateUser(ctx(t), u))
	if got, _ := s.GetAPIKey(ctx(t), respKey.ID); got == nil || got.Role != hookhub.RoleViewer {
		t.Fatalf("responder key of a viewer: %s", dump(got))
	}
	wantCode(t, s.UpdateUser(ctx(t), &hookhub.User{ID: "usr_missing", Username: "z", Role: hookhub.RoleViewer}), hookhub.ENOTFOUND)
	clash := *u
	clash.Username = "root"
	wantCode(t, s.UpdateUser(ctx(t), &clash), hookhub.ECONFLICT)

	// Deleting a user takes its sessions and keys with it.
	ss := &hookhub.Session{ID: "sess-of-ops", UserID: u.ID, ExpiresAt: t0.Add(time.Hour)}
	must(t, s.CreateSession(ctx(t), ss))
	must(t, s.DeleteUser(ctx(t), u.ID))
	_, err = s.GetUser(ctx(t), u.ID)
	wantCode(t, err, hookhub.ENOTFOUND)
	_, err = s.GetSession(ctx(t), ss.ID)
	wantCode(t, err, hookhub.ENOTFOUND)
	_, err = s.GetAPIKey(ctx(t), viewKey.ID)
	wantCode(t, err, hookhub.ENOTFOUND)
	_, err = s.GetAPIKey(ctx(t), otherKey.ID)
	must(t, err)
	wantCode(t, s.DeleteUser(ctx(t), u.ID), hookhub.ENOTFOUND)
}

func testKeepAnAdmin(t *testing.T, s hookhub.Store) {
	a := &hookhub.User{Username: "a", PasswordHash: "x", Role: hookhub.RoleAdmin}
	b := &hookhub.User{Username: "b", PasswordHash: "x", Role: hookhub.RoleAdmin}
	must(t, s.CreateUser(ctx(t), a))
	must(t, s.CreateUser(ctx(t), b))
	b.Role = hookhub.RoleViewer
	must(t, s.UpdateUser(ctx(t), b))
	a.Role = hookhub.RoleResponder
	wantCode(t, s.UpdateUser(ctx(t), a), hookhub.ECONFLICT)
	wantCode(t, s.DeleteUser(ctx(t), a.ID), hookhub.ECONFLICT)
	if got, _ := s.GetUser(ctx(t), a.ID); got == nil || got.Role != hookhub.RoleAdmin {
		t.Fatalf("the last admin was changed: %s", dump(got))
	}
	must(t, s.DeleteUser(ctx(t), b.ID))
}

func testAPIKeys(t *testing.T, s hookhub.Store) {
	u := &hookhub.User{Username: "admin", PasswordHash: "x", Role: hookhub.RoleAdmin}
	must(t, s.CreateUser(ctx(t), u))
	k := &hookhub.APIKey{ID: hookhub.NewID(hookhub.PrefixAPIKey), Name: "ci", UserID: u.ID, Role: hookhub.RoleResponder,
		Hash: []byte{0, 1, 2, 0xfe, 0xff}, CreatedAt: t0, LastUsedAt: t0.Add(time.Minute)}
	allSet(t, k)
	must(t, s.CreateAPIKey(ctx(t), k))
	got, err := s.GetAPIKey(ctx(t), k.ID)
	must(t, err)
	equal(t, "API key", got, k)

	unused := &hookhub.APIKey{Name: "bootstrap", Hash: []byte("h"), Role: hookhub.RoleAdmin, CreatedAt: t0}
	must(t, s.CreateAPIKey(ctx(t), unused))
	got, err = s.GetAPIKey(ctx(t), unused.ID)
	must(t, err)
	equal(t, "API key never used, with no user", got, unused)

	wantCode(t, s.CreateAPIKey(ctx(t), k), hookhub.ECONFLICT)
	_, err = s.GetAPIKey(ctx(t), "key_missing")
	wantCode(t, err, hookhub.ENOTFOUND)

	must(t, s.TouchAPIKey(ctx(t), k.ID, t0.Add(time.Hour)))
	got, err = s.GetAPIKey(ctx(t), k.ID)
	must(t, err)
	if !got.LastUsedAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("LastUsedAt = %v after TouchAPIKey", got.LastUsedAt)
	}
	wantCode(t, s.TouchAPIKey(ctx(t), "key_missing", t0), hookhub.ENOTFOUND)

	list, next, err := s.ListAPIKeys(ctx(t), hookhub.Page{Limit: 1})
	must(t, err)
	if len(list) != 1 || list[0].ID != unused.ID || next == "" {
		t.Fatalf("first page: %s, next %q", dump(list), next)
	}
	list, next, err = s.ListAPIKeys(ctx(t), hookhub.Page{Cursor: next, Limit: 1})
	must(t, err)
	if len(list) != 1 || list[0].ID != k.ID || next != "" {
		t.Fatalf("second page: %s, next %q", dump(list), next)
	}

	must(t, s.DeleteAPIKey(ctx(t), k.ID))
	_, err = s.GetAPIKey(ctx(t), k.ID)
	wantCode(t, err, hookhub.ENOTFOUND)
	wantCode(t, s.DeleteAPIKey(ctx(t), k.ID), hookhub.ENOTFOUND)
}

func testSessions(t *testing.T, s hookhub.Store) {
	u := &hookhub.User{Username: "ops", PasswordHash: "x", Role: hookhub.RoleResponder}
	must(t, s.CreateUser(ctx(t), u))
	ss := &hookhub.Session{ID: "5e55", UserID: u.ID, CreatedAt: t0, LastSeenAt: t0.Add(time.Second),
		ExpiresAt: t0.Add(12 * time.Hour), ClientIP: "192.0.2.1", UserAgent: "Mozilla/5.0"}
	allSet(t, ss)
	must(t, s.CreateSession(ctx(t), ss))
	got, err := s.GetSession(ctx(t), ss.ID)
	must(t, err)
	equal(t, "session", got, ss)
	wantCode(t, s.CreateSession(ctx(t), ss), hookhub.ECONFLICT)
	wantCode(t, s.CreateSession(ctx(t), &hookhub.Session{ID: "orphan", UserID: "usr_missing", ExpiresAt: t0}), hookhub.EINVALID)

	must(t, s.TouchSession(ctx(t), ss.ID, t0.Add(time.Hour)))
	got, err = s.GetSession(ctx(t), ss.ID)
	must(t, err)
	if !got.LastSeenAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("LastSeenAt = %v after TouchSession", got.LastSeenAt)
	}

	other := &hookhub.Session{ID: "0the4", UserID: u.ID, CreatedAt: t0, ExpiresAt: t0.Add(12 * time.Hour)}
	third := &hookhub.Session{ID: "thi4d", UserID: u.ID, CreatedAt: t0, ExpiresAt: t0.Add(12 * time.Hour)}
	must(t, s.CreateSession(ctx(t), other))
	must(t, s.CreateSession(ctx(t), third))
	n, err := s.DeleteUserSessions(ctx(t), u.ID, ss.ID)
	must(t, err)
	if n != 2 {
		t.Fatalf("DeleteUserSessions ended %d sessions, want 2", n)
	}
	_, err = s.GetSession(ctx(t), other.ID)
	wantCode(t, err, hookhub.ENOTFOUND)
	_, err = s.GetSession(ctx(t), ss.ID)
	must(t, err)

	// Prune: the idle one and the expired one go, the live one stays.
	idle := &hookhub.Session{ID: "1d1e", UserID: u.ID, CreatedAt: t0, LastSeenAt: t0, ExpiresAt: t0.Add(12 * time.Hour)}
	expired := &hookhub.Session{ID: "3xp", UserID: u.ID, CreatedAt: t0, LastSeenAt: t0.Add(2 * time.Hour), ExpiresAt: t0.Add(2 * time.Hour)}
	must(t, s.CreateSession(ctx(t), idle))
	must(t, s.CreateSession(ctx(t), expired))
	n, err = s.PruneSessions(ctx(t), t0.Add(2*time.Hour), t0.Add(30*time.Minute))
	must(t, err)
	if n != 2 {
		t.Fatalf("PruneSessions deleted %d, want 2", n)
	}
	_, err = s.GetSession(ctx(t), ss.ID)
	must(t, err)

	must(t, s.DeleteSession(ctx(t), ss.ID))
	_, err = s.GetSession(ctx(t), ss.ID)
	wantCode(t, err, hookhub.ENOTFOUND)
	wantCode(t, s.DeleteSession(ctx(t), ss.ID), hookhub.ENOTFOUND)
}

func testLoginFailures(t *testing.T, s hookhub.Store) {
	keys := []string{"user:ops", "ip:192.0.2.1"}
	for i := range 3 {
		must(t, s.RecordLoginFailure(ctx(t), keys, t0.Add(time.Duration(i)*time.Minute)))
	}
	must(t, s.RecordLoginFailure(ctx(t), []string{"ip:192.0.2.1"}, t0.Add(5*time.Minute)))
	count := func(key string, since time.Time) int {
		t.Helper()
		n, err := s.CountLoginFailures(ctx(t), key, since)
		must(t, err)
		return n
	}
	if n := count("user:ops", t0); n != 3 {
		t.Fatalf("user failures = %d, want 3", n)
	}
	if n := count("ip:192.0.2.1", t0.Add(time.Minute)); n != 3 {
		t.Fatalf("address failures since the second = %d, want 3", n)
	}
	must(t, s.ClearLoginFailures(ctx(t), []string{"user:ops"}))
	if n := count("user:ops", t0); n != 0 {
		t.Fatalf("user failures after clearing = %d", n)
	}
	if _, err := s.PruneSessions(ctx(t), t0, t0.Add(3*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if n := count("ip:192.0.2.1", t0); n != 1 {
		t.Fatalf("address failures after pruning = %d, want 1", n)
	}
}
