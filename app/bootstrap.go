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
// credentials are printed once to out; only their hashes are stored.
func bootstrap(ctx context.Context, store hookhub.Store, c *config.Config, out io.Writer) error {
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
	hash, err := secret.HashPassword(password)
	if err != nil {
		return fmt.Errorf("bootstrap: %w", err)
	}
	user := &hookhub.User{ID: hookhub.NewID(hookhub.PrefixUser), Username: "admin", PasswordHash: hash, Role: hookhub.RoleAdmin}
	if err := store.CreateUser(ctx, user); err != nil {
		return fmt.Errorf("bootstrap: create admin: %w", err)
	}
	full, generatedKey := c.AdminAPIKey.Reveal(), false
	var id string
	if full == "" {
		id, full = secret.NewAPIKey()
		generatedKey = true
	} else {
		id, _ = secret.APIKeyID(full)
	}
	key := &hookhub.APIKey{ID: id, Name: "bootstrap admin key", UserID: user.ID, Role: hookhub.RoleAdmin, Hash: secret.HashAPIKey(full)}
	if err := store.CreateAPIKey(ctx, key); err != nil {
		return fmt.Errorf("bootstrap: create admin API key: %w", err)
	}
	fmt.Fprintln(out, "Hookhub first start: created the admin user and an admin API key.")
	if generatedPW {
		fmt.Fprintf(out, "  admin password: %s\n", password)
	}
	if generatedKey {
		fmt.Fprintf(out, "  admin API key:  %s\n", full)
	}
	if generatedPW || generatedKey {
		fmt.Fprintln(out, "  They are shown only this once; Hookhub stores only their hashes.")
	}
	return nil
}
