package verify

import (
	"crypto/sha256"
	"net/http"

	"github.com/hookhub/hookhub"
)

// Shopify checks X-Shopify-Hmac-Sha256: the base64 HMAC-SHA256 of the body,
// keyed with the app's client secret.
type Shopify struct{ h *HMAC }

var _ Verifier = (*Shopify)(nil)

func newShopify(cfg hookhub.Verification, c clock) (Verifier, error) {
	keys, err := secrets(cfg)
	if err != nil {
		return nil, err
	}
	return &Shopify{bodyHMAC("X-Shopify-Hmac-Sha256", "", sha256.New, base64Sig, keys, c)}, nil
}

// Verify checks the signature against the current and previous secret.
func (s *Shopify) Verify(r *http.Request, body []byte) error { return s.h.Verify(r, body) }
