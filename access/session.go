package access

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/secret"
)

// SessionCookie names the console's session cookie.
const SessionCookie = "hookhub_session"

// Sign-in limits: failures counted over loginWindow, per username and per
// client address, across replicas (they are kept in the store).
const (
	loginWindow       = 15 * time.Minute
	maxUserFailures   = 10
	maxClientFailures = 30
)

// newToken returns 256 random bits for a cookie.
func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// sessionID is what the store keeps of a token: its hash.
func sessionID(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// Login is the result of a sign-in: the cookie's token and its session.
type Login struct {
	Token   string
	Session *hookhub.Session
	User    *hookhub.User
}

// Login checks a username and password and opens a session. Too many recent
// failures for the username or the client address refuse it (ERATELIMIT)
// before the password is looked at; a wrong username or password is one
// EUNAUTHORIZED that does not say which.
func (s *Service) Login(ctx context.Context, username, password, clientIP, userAgent string) (*Login, error) {
	now := s.now().UTC()
	keys := []string{"user:" + strings.ToLower(username), "ip:" + clientIP}
	if err := s.loginAllowed(ctx, keys, now); err != nil {
		return nil, err
	}
	u, err := s.store.GetUserByUsername(ctx, username)
	if err != nil && hookhub.ErrorCode(err) != hookhub.ENOTFOUND {
		return nil, err
	}
	if u == nil {
		secret.CheckPassword(s.dummyHash(), password)
	}
	if u == nil || !secret.CheckPassword(u.PasswordHash, password) {
		if err := s.store.RecordLoginFailure(ctx, keys, now); err != nil {
			return nil, err
		}
		s.log.Warn("sign-in failed", "username", username, "client_ip", clientIP)
		return nil, hookhub.Errorf(hookhub.EUNAUTHORIZED, "wrong username or password")
	}
	if err := s.store.ClearLoginFailures(ctx, keys); err != nil {
		s.log.Warn("could not clear sign-in failures", "err", err)
	}
	token := newToken()
	ss := &hookhub.Session{ID: sessionID(token), UserID: u.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(s.maxAge), ClientIP: clientIP, UserAgent: truncate(userAgent, 300)}
	if err := s.store.CreateSession(ctx, ss); err != nil {
		return nil, err
	}
	s.log.Info("signed in", "user_id", u.ID, "client_ip", clientIP)
	return &Login{Token: token, Session: ss, User: u}, nil
}

func (s *Service) loginAllowed(ctx context.Context, keys []string, now time.Time) error {
	limits := []int{maxUserFailures, maxClientFailures}
	for i, k := range keys {
		n, err := s.store.CountLoginFailures(ctx, k, now.Add(-loginWindow))
		if err != nil {
			return err
		}
		if n >= limits[i] {
			return hookhub.Errorf(hookhub.ERATELIMIT, "too many failed sign-ins; try again in %d minutes", int(loginWindow/time.Minute))
		}
	}
	return nil
}

// Authenticate returns the caller of a session token: the session must
// exist, be neither idle too long nor past its absolute end, and its user
// must still exist; the user's current role applies at once.
func (s *Service) Authenticate(ctx context.Context, token string) (Caller, error) {
	expired := hookhub.Errorf(hookhub.EUNAUTHORIZED, "your session has ended; sign in again")
	if token == "" {
		return Caller{}, hookhub.Errorf(hookhub.EUNAUTHORIZED, "sign in first")
	}
	ss, err := s.store.GetSession(ctx, sessionID(token))
	if hookhub.ErrorCode(err) == hookhub.ENOTFOUND {
		return Caller{}, expired
	} else if err != nil {
		return Caller{}, err
	}
	now := s.now()
	if !SessionLive(ss, now, s.idle) {
		if err := s.store.DeleteSession(ctx, ss.ID); err != nil && hookhub.ErrorCode(err) != hookhub.ENOTFOUND {
			s.log.Warn("could not delete an ended session", "err", err)
		}
		return Caller{}, expired
	}
	u, err := s.store.GetUser(ctx, ss.UserID)
	if hookhub.ErrorCode(err) == hookhub.ENOTFOUND {
		return Caller{}, expired
	} else if err != nil {
		return Caller{}, err
	}
	if now.Sub(ss.LastSeenAt) > touchEvery {
		if err := s.store.TouchSession(ctx, ss.ID, now); err != nil && hookhub.ErrorCode(err) != hookhub.ENOTFOUND {
			s.log.Warn("could not record session use", "err", err)
		}
	}
	return Caller{Actor: "user:" + u.ID, Role: u.Role, UserID: u.ID, Username: u.Username, SessionID: ss.ID}, nil
}

// SessionLive reports whether a session may still be used at now: before
// its absolute end and used within idle.
func SessionLive(ss *hookhub.Session, now time.Time, idle time.Duration) bool {
	return now.Before(ss.ExpiresAt) && now.Sub(ss.LastSeenAt) < idle
}

// Logout ends the session of token; an unknown token is not an error.
func (s *Service) Logout(ctx context.Context, token string) error {
	err := s.store.DeleteSession(ctx, sessionID(token))
	if hookhub.ErrorCode(err) == hookhub.ENOTFOUND {
		return nil
	}
	return err
}

// SessionToken returns the session token a request carries, or "".
func SessionToken(r *http.Request) string {
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return ""
	}
	return c.Value
}

// CSRFToken returns the token console forms of a session carry. It is a MAC
// of the session token, so every replica derives the same one and a page
// cannot forge it without the cookie, which scripts cannot read.
func CSRFToken(sessionToken string) string {
	m := hmac.New(sha256.New, []byte(sessionToken))
	m.Write([]byte("hookhub csrf v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// CheckCSRF reports whether got is the CSRF token of sessionToken, in
// constant time. An empty session or token never passes.
func CheckCSRF(sessionToken, got string) bool {
	if sessionToken == "" || got == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(CSRFToken(sessionToken)), []byte(got)) == 1
}

// NewFormToken returns a random token for a form shown before sign-in (the
// login form), checked against its copy in a cookie.
func NewFormToken() string { return newToken() }

// CheckFormToken compares a pre-sign-in form token with its cookie.
func CheckFormToken(cookie, got string) bool {
	return cookie != "" && subtle.ConstantTimeCompare([]byte(cookie), []byte(got)) == 1
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
