package verify

import (
	"crypto/sha1"
	"crypto/sha256"
	"net/http"

	"github.com/hookhub/hookhub"
)

// GitHub checks X-Hub-Signature-256 (sha256=<hex> of the body). A request
// carrying only the legacy X-Hub-Signature (sha1=<hex>) is checked with that,
// because GitHub Enterprise Server versions and GitHub-compatible senders
// (Gitea, Gogs) still send SHA-1 alone.
type GitHub struct {
	sha256 *HMAC
	sha1   *HMAC
}

var _ Verifier = (*GitHub)(nil)

func newGitHub(cfg hookhub.Verification, c clock) (Verifier, error) {
	keys, err := secrets(cfg)
	if err != nil {
		return nil, err
	}
	return &GitHub{
		sha256: bodyHMAC("X-Hub-Signature-256", "sha256=", sha256.New, hexSig, keys, c),
		sha1:   bodyHMAC("X-Hub-Signature", "sha1=", sha1.New, hexSig, keys, c),
	}, nil
}

// Verify prefers the SHA-256 signature whenever it is present, so a request
// cannot be downgraded to SHA-1 by adding a legacy header.
func (g *GitHub) Verify(r *http.Request, body []byte) error {
	if r.Header.Get(g.sha256.header) == "" && r.Header.Get(g.sha1.header) != "" {
		return g.sha1.Verify(r, body)
	}
	return g.sha256.Verify(r, body)
}
