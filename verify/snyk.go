package verify

import (
	"crypto/sha256"
	"net/http"

	"github.com/hookhub/hookhub"
)

// Snyk checks X-Hub-Signature: sha256=<hex HMAC-SHA256 of the body>. Snyk
// reuses GitHub's legacy header name with a SHA-256 digest.
type Snyk struct{ h *HMAC }

var _ Verifier = (*Snyk)(nil)

func newSnyk(cfg hookhub.Verification, c clock) (Verifier, error) {
	keys, err := secrets(cfg)
	if err != nil {
		return nil, err
	}
	return &Snyk{bodyHMAC("X-Hub-Signature", "sha256=", sha256.New, hexSig, keys, c)}, nil
}

// Verify checks the signature against the current and previous secret.
func (s *Snyk) Verify(r *http.Request, body []byte) error { return s.h.Verify(r, body) }
