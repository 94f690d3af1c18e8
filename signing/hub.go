package signing

import (
	"encoding/hex"
	"net/http"
	"time"

	"github.com/hookhub/hookhub"
)

// DefaultHubHeader is the header hub-signature uses unless configured.
const DefaultHubHeader = "X-Hub-Signature-256"

// HubSignature signs like GitHub: "sha256=<hex HMAC-SHA256 of the body>"
// under the secret used as is, in one header holding exactly one signature.
// GitHub's verifiers (octokit's verify, go-github's ValidateSignature) read
// the header as one value, so two signatures in it verify with neither
// secret. A rotation therefore switches to the new secret at once, as GitHub
// itself does when a webhook's secret changes: the receiver accepts the old
// and the new secret while it changes over, and deliveries refused meanwhile
// are retried.
type HubSignature struct {
	header string
	key    []byte
}

var _ Signer = (*HubSignature)(nil)

func newHubSignature(cfg hookhub.SigningConfig, secrets []string) (Signer, error) {
	return &HubSignature{header: orDefault(cfg.Header, DefaultHubHeader), key: []byte(secrets[0])}, nil
}

// Sign sets the signature header, made with the current secret.
func (s *HubSignature) Sign(h http.Header, _ string, _ time.Time, body []byte) {
	h.Set(s.header, "sha256="+hex.EncodeToString(mac(s.key, body)))
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
