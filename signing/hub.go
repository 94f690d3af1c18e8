package signing

import (
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/hookhub/hookhub"
)

// DefaultHubHeader is the header hub-signature uses unless configured.
const DefaultHubHeader = "X-Hub-Signature-256"

// listSep joins signatures made with several secrets during a rotation. It is
// the HTTP list separator (RFC 9110 §5.3), so receivers that split on "," and
// trim see the same values as if the header had been sent twice.
const listSep = ", "

// HubSignature signs like GitHub: "sha256=<hex HMAC-SHA256 of the body>"
// under the secret used as is. During a rotation the header holds one such
// value per secret, current first, joined by ", ".
type HubSignature struct {
	header string
	keys   [][]byte
}

var _ Signer = (*HubSignature)(nil)

func newHubSignature(cfg hookhub.SigningConfig, secrets []string) (Signer, error) {
	return &HubSignature{header: orDefault(cfg.Header, DefaultHubHeader), keys: rawKeys(secrets)}, nil
}

// Sign sets the signature header.
func (s *HubSignature) Sign(h http.Header, _ string, _ time.Time, body []byte) {
	sigs := make([]string, len(s.keys))
	for i, key := range s.keys {
		sigs[i] = "sha256=" + hex.EncodeToString(mac(key, body))
	}
	h.Set(s.header, strings.Join(sigs, listSep))
}

// rawKeys uses each secret's bytes as the HMAC key, as GitHub and Zendesk do.
func rawKeys(secrets []string) [][]byte {
	keys := make([][]byte, len(secrets))
	for i, s := range secrets {
		keys[i] = []byte(s)
	}
	return keys
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
