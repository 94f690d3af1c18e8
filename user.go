package hookhub

import "time"

// User is a person who signs in to the console.
type User struct {
	ID           string
	Username     string
	PasswordHash string
	Admin        bool
	CreatedAt    time.Time
}

// APIKey authenticates calls to the management API. Only the hash of the secret is
// kept; the full key is shown once, when it is created.
type APIKey struct {
	ID         string
	Name       string
	UserID     string
	Hash       []byte // SHA-256 of the whole key
	CreatedAt  time.Time
	LastUsedAt time.Time
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
