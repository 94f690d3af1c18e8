package storetest

import (
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

var userTests = []test{
	{"Users", testUsers},
	{"APIKeys", testAPIKeys},
}

func testUsers(t *testing.T, s hookhub.Store) {
	n, err := s.CountUsers(ctx(t))
	must(t, err)
	if n != 0 {
		t.Fatalf("a new store has %d users", n)
	}
	u := &hookhub.User{ID: hookhub.NewID(hookhub.PrefixUser), Username: "admin",
		PasswordHash: "$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$aGFzaA", Admin: true, CreatedAt: t0}
	allSet(t, u)
	must(t, s.CreateUser(ctx(t), u))
	got, err := s.GetUserByUsername(ctx(t), "admin")
	must(t, err)
	equal(t, "user", got, u)

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
}

func testAPIKeys(t *testing.T, s hookhub.Store) {
	u := &hookhub.User{Username: "admin", PasswordHash: "x", Admin: true}
	must(t, s.CreateUser(ctx(t), u))
	k := &hookhub.APIKey{ID: hookhub.NewID(hookhub.PrefixAPIKey), Name: "ci", UserID: u.ID,
		Hash: []byte{0, 1, 2, 0xfe, 0xff}, CreatedAt: t0, LastUsedAt: t0.Add(time.Minute)}
	allSet(t, k)
	must(t, s.CreateAPIKey(ctx(t), k))
	got, err := s.GetAPIKey(ctx(t), k.ID)
	must(t, err)
	equal(t, "API key", got, k)

	unused := &hookhub.APIKey{Name: "bootstrap", Hash: []byte("h"), CreatedAt: t0}
	must(t, s.CreateAPIKey(ctx(t), unused))
	got, err = s.GetAPIKey(ctx(t), unused.ID)
	must(t, err)
	equal(t, "API key never used, with no user", got, unused)

	wantCode(t, s.CreateAPIKey(ctx(t), k), hookhub.ECONFLICT)
	_, err = s.GetAPIKey(ctx(t), "key_missing")
	wantCode(t, err, hookhub.ENOTFOUND)
}
