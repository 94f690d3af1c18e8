package verify

import (
	"net/http"

	"github.com/hookhub/hookhub"
)

// Basic checks HTTP Basic credentials against the source's username and
// password. PreviousSecret, when set, is accepted as a previous password so a
// password can be rotated like any other secret.
type Basic struct {
	username  string
	passwords []string
}

var _ Verifier = (*Basic)(nil)

func newBasic(cfg hookhub.Verification, _ clock) (Verifier, error) {
	if cfg.Username == "" || cfg.Password == "" {
		return nil, invalid("verification.username and verification.password are required for scheme basic")
	}
	b := &Basic{username: cfg.Username, passwords: []string{cfg.Password}}
	if cfg.PreviousSecret != "" {
		b.passwords = append(b.passwords, cfg.PreviousSecret)
	}
	return b, nil
}

// Verify checks the Authorization header. Failures carry a Basic challenge;
// see Challenge.
func (b *Basic) Verify(r *http.Request, _ []byte) error {
	user, pass, ok := r.BasicAuth()
	if !ok {
		return challenge(missing("Authorization"))
	}
	// Both comparisons always run so the response time does not tell which
	// of username and password was wrong.
	userOK := sameSecret(user, b.username)
	passOK := false
	for _, p := range b.passwords {
		passOK = sameSecret(pass, p) || passOK
	}
	if !userOK || !passOK {
		return challenge(deny("invalid credentials"))
	}
	return nil
}

// challenge marks a failure as one a Basic challenge should answer.
func challenge(err *hookhub.Error) error {
	return &challengeError{err: err, challenge: basicChallenge}
}
