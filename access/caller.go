// Package access decides who may do what: users and their roles, API keys
// with a role, console sessions kept in the store (so that they work across
// replicas and end at once when revoked), the sign-in rate limit and the
// CSRF tokens of console forms. The API (package server) and the console
// both ask it; neither keeps its own rules.
package access

import (
	"context"
	"net/http"

	"github.com/hookhub/hookhub"
)

// Caller is who makes a request, with the role it acts with.
type Caller struct {
	// Actor names the caller in audit trails: "user:<id>" or "apikey:<id>".
	Actor string
	// Role is what the caller may do; for a key, at most its user's role.
	Role string
	// UserID is the user behind the caller ("" for a key with no user).
	UserID string
	// Username is the signed-in user's name (console sessions only).
	Username string
	// SessionID is the console session's ID (console sessions only).
	SessionID string
}

// Can reports whether the caller may do what needs role.
func (c Caller) Can(role string) bool { return hookhub.RoleAllows(c.Role, role) }

type ctxKey struct{}

// WithCaller returns r carrying c.
func WithCaller(r *http.Request, c Caller) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), ctxKey{}, c))
}

// CallerFrom returns the request's caller, and false outside authentication.
func CallerFrom(ctx context.Context) (Caller, bool) {
	c, ok := ctx.Value(ctxKey{}).(Caller)
	return c, ok
}

// Actor returns who acts in ctx for audit trails: the caller's actor, or
// "system" when no one signed in (Hookhub acting on its own).
func Actor(ctx context.Context) string {
	if c, ok := CallerFrom(ctx); ok {
		return c.Actor
	}
	return hookhub.ActorSystem
}

// Forbidden is the error of a caller whose role does not allow an action.
func Forbidden(need string) error {
	return hookhub.Errorf(hookhub.EFORBIDDEN, "forbidden: this needs the %s role", need)
}
