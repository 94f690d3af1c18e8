package storetest

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hookhub/hookhub"
)

var bootstrapTests = []test{
	{"BootstrapAdminOnce", testBootstrapAdminOnce},
}

// testBootstrapAdminOnce: of processes starting together on an empty store,
// exactly one creates the first user with its key; later calls change
// nothing.
func testBootstrapAdminOnce(t *testing.T, s hookhub.Store) {
	const n = 8
	var created atomic.Int32
	var wg sync.WaitGroup
	keys := make([]*hookhub.APIKey, n)
	for i := range n {
		keys[i] = &hookhub.APIKey{ID: hookhub.NewID(hookhub.PrefixAPIKey), Name: "bootstrap", Role: hookhub.RoleAdmin, Hash: []byte{byte(i)}}
		wg.Go(func() {
			u := &hookhub.User{Username: "admin", PasswordHash: "hash", Role: hookhub.RoleAdmin}
			ok, err := s.BootstrapAdmin(ctx(t), u, keys[i])
			if err != nil {
				t.Error(err)
			}
			if ok {
				created.Add(1)
			}
		})
	}
	wg.Wait()
	equal(t, "bootstraps that created the admin", created.Load(), int32(1))
	count, err := s.CountUsers(ctx(t))
	must(t, err)
	equal(t, "users", count, 1)
	admin, err := s.GetUserByUsername(ctx(t), "admin")
	must(t, err)
	found := 0
	for _, k := range keys {
		if got, err := s.GetAPIKey(ctx(t), k.ID); err == nil {
			found++
			equal(t, "key's user", got.UserID, admin.ID)
		} else {
			wantCode(t, err, hookhub.ENOTFOUND)
		}
	}
	equal(t, "keys created", found, 1)
}
