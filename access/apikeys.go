package access

import (
	"context"
	"strings"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/secret"
)

// touchEvery is how stale a key's or session's last use may be before it is
// written again: often enough to show, rarely enough to cost nothing.
const touchEvery = time.Minute

// AuthenticateKey checks a full API key against the store on every call, so
// that a revoked key (or one whose user was deleted or demoted) stops
// working at once on every replica.
func (s *Service) AuthenticateKey(ctx context.Context, token string) (Caller, error) {
	invalid := hookhub.Errorf(hookhub.EUNAUTHORIZED, "invalid API key")
	id, ok := secret.APIKeyID(strings.TrimSpace(token))
	if !ok {
		return Caller{}, invalid
	}
	k, err := s.store.GetAPIKey(ctx, id)
	if hookhub.ErrorCode(err) == hookhub.ENOTFOUND {
		secret.CheckAPIKey(make([]byte, 32), token)
		return Caller{}, invalid
	} else if err != nil {
		return Caller{}, err
	}
	if !secret.CheckAPIKey(k.Hash, strings.TrimSpace(token)) {
		return Caller{}, invalid
	}
	if now := s.now(); now.Sub(k.LastUsedAt) > touchEvery {
		if err := s.store.TouchAPIKey(ctx, k.ID, now); err != nil && hookhub.ErrorCode(err) != hookhub.ENOTFOUND {
			s.log.Warn("could not record API key use", "key_id", k.ID, "err", err)
		}
	}
	return Caller{Actor: "apikey:" + k.ID, Role: k.Role, UserID: k.UserID}, nil
}

// NewKey is a created API key with its secret, shown this once.
type NewKey struct {
	Key    *hookhub.APIKey
	Secret string
}

// CreateKey makes an API key owned by the caller with at most the caller's
// role.
func (s *Service) CreateKey(ctx context.Context, by Caller, name, role string) (*NewKey, error) {
	name = strings.TrimSpace(name)
	if role == "" {
		role = hookhub.RoleViewer
	}
	switch {
	case name == "" || len(name) > 100:
		return nil, hookhub.Errorf(hookhub.EINVALID, "name is required (at most 100 characters)")
	case !hookhub.ValidRole(role):
		return nil, hookhub.Errorf(hookhub.EINVALID, "role must be one of admin, responder, viewer")
	case !by.Can(role):
		return nil, hookhub.Errorf(hookhub.EFORBIDDEN, "a key cannot have more than its creator's role (%s)", by.Role)
	}
	id, full := secret.NewAPIKey()
	k := &hookhub.APIKey{ID: id, Name: name, UserID: by.UserID, Role: role, Hash: secret.HashAPIKey(full), CreatedAt: s.now().UTC()}
	if err := s.store.CreateAPIKey(ctx, k); err != nil {
		return nil, err
	}
	s.log.Info("API key created", "key_id", k.ID, "role", role, "by", by.Actor)
	return &NewKey{Key: k, Secret: full}, nil
}

// RevokeKey deletes an API key; it stops working at once.
func (s *Service) RevokeKey(ctx context.Context, by Caller, id string) error {
	if err := s.store.DeleteAPIKey(ctx, id); err != nil {
		return err
	}
	s.log.Info("API key revoked", "key_id", id, "by", by.Actor)
	return nil
}
