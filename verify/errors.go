package verify

import (
	"errors"
	"fmt"

	"github.com/hookhub/hookhub"
)

// basicChallenge is the WWW-Authenticate value that invites a client to retry
// with HTTP Basic credentials.
const basicChallenge = `Basic realm="hookhub"`

// challengeError is a verification failure that the HTTP layer should answer
// with a WWW-Authenticate header. It unwraps to the *hookhub.Error so the usual
// code and message mapping still applies.
type challengeError struct {
	err       *hookhub.Error
	challenge string
}

func (e *challengeError) Error() string { return e.err.Error() }
func (e *challengeError) Unwrap() error { return e.err }

// Challenge returns the WWW-Authenticate value to send with err, or "" when
// err does not call for one. Only Basic authentication failures do.
func Challenge(err error) string {
	var c *challengeError
	if errors.As(err, &c) {
		return c.challenge
	}
	return ""
}

// deny is the failure every verifier returns: 401 with a safe reason.
func deny(format string, args ...any) *hookhub.Error {
	return &hookhub.Error{Code: hookhub.EUNAUTHORIZED, Message: fmt.Sprintf(format, args...)}
}

// invalid reports a source whose verification settings cannot work.
func invalid(format string, args ...any) error {
	return &hookhub.Error{Code: hookhub.EINVALID, Message: fmt.Sprintf(format, args...)}
}

// Reasons shared by several schemes, so they read the same everywhere.
const (
	reasonMismatch = "signature mismatch"
	reasonStale    = "timestamp outside tolerance"
)

func missing(header string) *hookhub.Error {
	return deny("missing %s header", header)
}

func malformed(header string) *hookhub.Error {
	return deny("malformed %s header", header)
}
