package verify

import (
	"crypto/sha256"
	"errors"
	"net/http"
	"time"

	"github.com/hookhub/hookhub"
)

// Zendesk checks X-Zendesk-Webhook-Signature: the base64 HMAC-SHA256 of the
// X-Zendesk-Webhook-Signature-Timestamp value (ISO 8601) followed directly by
// the body. The signing secret is used as is, although it looks like base64.
// Failures are EFORBIDDEN (403), as Zendesk's own reference receiver answers.
type Zendesk struct{ h *HMAC }

var _ Verifier = (*Zendesk)(nil)

func newZendesk(cfg hookhub.Verification, c clock) (Verifier, error) {
	keys, err := secrets(cfg)
	if err != nil {
		return nil, err
	}
	h := bodyHMAC("X-Zendesk-Webhook-Signature", "", sha256.New, base64Sig, keys, c)
	h.signed, h.tsHeader = SignedTimestampBody, "X-Zendesk-Webhook-Signature-Timestamp"
	h.tsFormat = func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	return &Zendesk{h}, nil
}

// Verify checks the timestamp and the signature against the current and
// previous secret.
func (z *Zendesk) Verify(r *http.Request, body []byte) error {
	err := z.h.Verify(r, body)
	var e *hookhub.Error
	if errors.As(err, &e) {
		return &hookhub.Error{Code: hookhub.EFORBIDDEN, Message: e.Message}
	}
	return err
}
