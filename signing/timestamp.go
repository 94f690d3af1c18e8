package signing

import (
	"encoding/base64"
	"net/http"
	"strings"
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
// timestamp goes in its own header. During a rotation the signature header
// holds one value per secret, current first, joined by ", ".
type TimestampBody struct {
	header   string
	tsHeader string
	keys     [][]byte
}

var _ Signer = (*TimestampBody)(nil)

func newTimestampBody(cfg hookhub.SigningConfig, secrets []string) (Signer, error) {
	return &TimestampBody{
		header:   orDefault(cfg.Header, DefaultTimestampBodyHeader),
		tsHeader: orDefault(cfg.TimestampHeader, DefaultTimestampBodyTSHeader),
		keys:     rawKeys(secrets),
	}, nil
}

// Sign sets the signature and timestamp headers.
func (s *TimestampBody) Sign(h http.Header, _ string, ts time.Time, body []byte) {
	stamp := ts.UTC().Format(time.RFC3339)
	sigs := make([]string, len(s.keys))
	for i, key := range s.keys {
		sigs[i] = base64.StdEncoding.EncodeToString(mac(key, []byte(stamp), body))
	}
	h.Set(s.header, strings.Join(sigs, listSep))
	h.Set(s.tsHeader, stamp)
}
