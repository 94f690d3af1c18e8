package access

import (
	"log/slog"
	"sync"
	"time"

	"github.com/hookhub/hookhub"
)

// Defaults of Options.
const (
	DefaultIdleTimeout = 4 * time.Hour
	DefaultMaxAge      = 24 * time.Hour
)

// Options configure a Service.
type Options struct {
	Store  hookhub.Store
	Logger *slog.Logger
	Now    func() time.Time
	// IdleTimeout ends a session nobody used for this long.
	IdleTimeout time.Duration
	// MaxAge ends a session this long after sign-in, whatever its use.
	MaxAge time.Duration
	// HashPassword replaces the password hash in tests that create many
	// users; nil means secret.HashPassword.
	HashPassword func(string) (string, error)
}

// Service answers every access question against the store.
type Service struct {
	store  hookhub.Store
	log    *slog.Logger
	now    func() time.Time
	idle   time.Duration
	maxAge time.Duration
	hashPW func(string) (string, error)

	dummyOnce sync.Once
	dummyPW   string // checked for unknown usernames, so timing tells nothing
}

// New returns a Service.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.MaxAge <= 0 {
		o.MaxAge = DefaultMaxAge
	}
	if o.HashPassword == nil {
		o.HashPassword = hashPassword
	}
	return &Service{store: o.Store, log: o.Logger, now: o.Now, idle: o.IdleTimeout, maxAge: o.MaxAge,
		hashPW: o.HashPassword}
}

// dummyHash is a password hash no password matches, made with the same cost
// as real ones, the first time it is needed.
func (s *Service) dummyHash() string {
	s.dummyOnce.Do(func() { s.dummyPW, _ = s.hashPW("not a password anyone has") })
	return s.dummyPW
}

// IdleTimeout is how long an unused session lasts.
func (s *Service) IdleTimeout() time.Duration { return s.idle }
