package signing

import (
	"encoding/base64"
	"net/http"
	"time"

	"github.com/hookhub/hookhub"
)

// Default headers of the timestamp-body scheme.
const (
	DefaultTimestampBodyHeader   = "X-Hookhub-Signature"
	DefaultTimestampBodyTSHeader = "X-Hookhub-Signature-Timestamp"
)

// TimestampBody signs like Zendesk: base64 HMAC-SHA256 over the RFC 3339 UTC
// timestamp followed directly by the body, under the secret used as is. The
// timestamp goes in its own header. Like HubSignature it carries exactly one
// signature, made with the current secret, since its verifiers decode the
// header as one base64 value; see HubSignature for how it rotates.
type TimestampBody struct {
	header   string
	tsHeader string
	key      []byte
}

var _ Signer = (*TimestampBody)(nil)

func newTimestampBody(cfg hookhub.SigningConfig, secrets []string) (Signer, error) {
	return &TimestampBody{
		header:   orDefault(cfg.Header, DefaultTimestampBodyHeader),
		tsHeader: orDefault(cfg.TimestampHeader, DefaultTimestampBodyTSHeader),
		key:      []byte(secrets[0]),
	}, nil
}

// Sign sets the signature and timestamp headers.
func (s *TimestampBody) Sign(h http.Header, _ string, ts time.Time, body []byte) {
	stamp := ts.UTC().Format(time.RFC3339)
	h.Set(s.header, base64.StdEncoding.EncodeToString(mac(s.key, []byte(stamp), body)))
	h.Set(s.tsHeader, stamp)
}
