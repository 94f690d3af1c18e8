package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/config"
	"github.com/hookhub/hookhub/secret"
)

// bootstrap creates the admin user and an admin API key when the store has no
// users, taking them from the configuration or generating them. Generated
// credentials are printed once to out; only their hashes are stored. Of
// processes starting together on an empty database, one creates them (in one
// transaction) and prints; the others start without.
// hash hashes the admin's password (secret.HashPassword; tests pass a cheaper
// one, since PBKDF2 at full cost takes seconds under the race detector).
func bootstrap(ctx context.Context, store hookhub.Store, c *config.Config, out io.Writer, hash func(string) (string, error)) error {
	n, err := store.CountUsers(ctx)
	if err != nil {
		return fmt.Errorf("bootstrap: count users: %w", err)
	} else if n > 0 {
		return nil
	}
	password, generatedPW := c.AdminPassword.Reveal(), false
	if password == "" {
		b := make([]byte, 18)
		rand.Read(b)
		password, generatedPW = base64.RawURLEncoding.EncodeToString(b), true
	}
	pwHash, err := hash(password)
	if err != nil {
		return fmt.Errorf("bootstrap: %w", err)
	}
	user := &hookhub.User{ID: hookhub.NewID(hookhub.PrefixUser), Username: "admin", PasswordHash: pwHash, Role: hookhub.RoleAdmin}
	full, generatedKey := c.AdminAPIKey.Reveal(), false
	var id string
	if full == "" {
		id, full = secret.NewAPIKey()
		generatedKey = true
	} else {
		id, _ = secret.APIKeyID(full)
	}
	key := &hookhub.APIKey{ID: id, Name: "bootstrap admin key", UserID: user.ID, Role: hookhub.RoleAdmin, Hash: secret.HashAPIKey(full)}
	created, err := store.BootstrapAdmin(ctx, user, key)
	if err != nil {
		return fmt.Errorf("bootstrap: create admin: %w", err)
	} else if !created {
		return nil // another process starting at the same time did it
	}
	fmt.Fprintln(out, "Hookhub first start: created the admin user and an admin API key.")
	if generatedPW {
		fmt.Fprintf(out, "  admin password: %s\n", password)
		fmt.Fprintln(out, "  Sign in to the web console as user \"admin\" with this password.")
	}
	if generatedKey {
		fmt.Fprintf(out, "  admin API key:  %s\n", full)
	}
	if generatedPW || generatedKey {
		fmt.Fprintln(out, "  They are shown only this once; Hookhub stores only their hashes.")
	}
	return nil
}
