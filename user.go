package hookhub

import "time"

// Roles, from most to least power. A role includes everything the roles
// below it may do.
const (
	// RoleAdmin may do everything, including managing users and API keys.
	RoleAdmin = "admin"
	// RoleResponder reads everything and acts on what happens: incidents
	// (ack, comment, resolve, close, reopen), resends, replays, re-runs.
	RoleResponder = "responder"
	// RoleViewer only reads.
	RoleViewer = "viewer"
)

// Roles lists every role, most powerful first.
var Roles = []string{RoleAdmin, RoleResponder, RoleViewer}

// roleRank orders roles; an unknown role ranks below every real one.
func roleRank(role string) int {
	switch role {
	case RoleAdmin:
		return 3
	case RoleResponder:
		return 2
	case RoleViewer:
		return 1
	}
	return 0
}

// ValidRole reports whether role is one of Roles.
func ValidRole(role string) bool { return roleRank(role) > 0 }

// RoleAllows reports whether a caller with role have may do what needs role
// need. An unknown role is allowed nothing.
func RoleAllows(have, need string) bool {
	return roleRank(have) > 0 && roleRank(need) > 0 && roleRank(have) >= roleRank(need)
}

// LesserRole returns the less powerful of two roles: a key acts with at most
// the role of the user who owns it.
func LesserRole(a, b string) string {
	if roleRank(a) <= roleRank(b) {
		return a
	}
	return b
}

// User is a person who signs in to the console.
type User struct {
	ID           string
	Username     string
	PasswordHash string
	Role         string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// APIKey authenticates calls to the management API. Only the hash of the secret is
// kept; the full key is shown once, when it is created.
type APIKey struct {
	ID         string
	Name       string
	UserID     string // who created it; the key dies with its user
	Role       string // never more than its user's role
	Hash       []byte // SHA-256 of the whole key
	CreatedAt  time.Time
	LastUsedAt time.Time
}

// Session is a signed-in console user. Only the hash of the session token is
// kept (as ID), so a copy of the database signs no one in.
type Session struct {
	ID         string // hex SHA-256 of the token in the cookie
	UserID     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute end, whatever the activity
	ClientIP   string
	UserAgent  string
}

// Page is a cursor position and size for list calls.
type Page struct {
	Cursor string // the last ID of the previous page; lists run newest first
	Limit  int
}

// PageLimit returns a sane page size: default 50, at most 500.
func (p Page) PageLimit() int {
	switch {
	case p.Limit <= 0:
		return 50
	case p.Limit > 500:
		return 500
	}
	return p.Limit
}
