package server

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/secret"
	"github.com/hookhub/hookhub/web"
)

// requireAPIKey admits requests bearing a valid API key and records the caller
// as the actor ("apikey:<id>") for audit trails such as incident timelines.
func (s *Server) requireAPIKey(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := bearerToken(r.Header.Get("Authorization"))
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="hookhub"`)
			web.Error(w, r, hookhub.Errorf(hookhub.EUNAUTHORIZED, "missing API key: send Authorization: Bearer <key>"))
			return
		}
		id, err := s.checkAPIKey(r.Context(), token)
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="hookhub", error="invalid_token"`)
			web.Error(w, r, err)
			return
		}
		next.ServeHTTP(w, withActor(r, "apikey:"+id))
	})
}

// bearerToken reads "Bearer <token>"; the scheme is case-insensitive, as
// every HTTP auth scheme is (RFC 9110 §11.1).
func bearerToken(header string) (string, bool) {
	scheme, token, _ := strings.Cut(strings.TrimSpace(header), " ")
	token = strings.TrimSpace(token)
	return token, strings.EqualFold(scheme, "Bearer") && token != ""
}

// actor returns who is acting in this request.
func actor(ctx context.Context) string {
	if a, ok := ctx.Value(actorKey).(string); ok {
		return a
	}
	return "system"
}

func (s *Server) checkAPIKey(ctx context.Context, token string) (string, error) {
	invalid := hookhub.Errorf(hookhub.EUNAUTHORIZED, "invalid API key")
	id, ok := secret.APIKeyID(token)
	if !ok {
		return "", invalid
	}
	if hash, ok := s.keys.get(id, s.now()); ok {
		if secret.CheckAPIKey(hash, token) {
			return id, nil
		}
		return "", invalid
	}
	k, err := s.store.GetAPIKey(ctx, id)
	if hookhub.ErrorCode(err) == hookhub.ENOTFOUND {
		return "", invalid
	} else if err != nil {
		return "", err
	}
	if !secret.CheckAPIKey(k.Hash, token) {
		return "", invalid
	}
	s.keys.put(id, k.Hash, s.now())
	return id, nil
}

// keyCache keeps recently verified key hashes for a short while, so an API
// call costs no store read; a deleted key stops working within keyCacheTTL.
type keyCache struct {
	mu sync.Mutex
	m  map[string]cachedKey
}

type cachedKey struct {
	hash    []byte
	expires time.Time
}

const keyCacheTTL = 30 * time.Second

func newKeyCache() *keyCache { return &keyCache{m: map[string]cachedKey{}} }

func (c *keyCache) get(id string, now time.Time) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k, ok := c.m[id]
	if !ok || now.After(k.expires) {
		return nil, false
	}
	return k.hash, true
}

func (c *keyCache) put(id string, hash []byte, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) > 10_000 {
		clear(c.m)
	}
	c.m[id] = cachedKey{hash: hash, expires: now.Add(keyCacheTTL)}
}
