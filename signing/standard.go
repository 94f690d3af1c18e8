package signing

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hookhub/hookhub"
)

// Standard Webhooks header names (https://www.standardwebhooks.com).
const (
	HeaderWebhookID        = "webhook-id"
	HeaderWebhookTimestamp = "webhook-timestamp"
	HeaderWebhookSignature = "webhook-signature"
)

// secretPrefix marks a Standard Webhooks secret; the rest is the base64 key.
const secretPrefix = "whsec_"

// StandardWebhooks signs per the Standard Webhooks spec: a v1 HMAC-SHA256
// over "id.timestamp.body" under the base64-decoded secret.
type StandardWebhooks struct {
	keys [][]byte
}

var _ Signer = (*StandardWebhooks)(nil)

func newStandardWebhooks(_ hookhub.SigningConfig, secrets []string) (Signer, error) {
	s := &StandardWebhooks{}
	for _, secret := range secrets {
		key, err := decodeSecret(secret)
		if err != nil {
			return nil, err
		}
		s.keys = append(s.keys, key)
	}
	return s, nil
}

// decodeSecret accepts "whsec_<base64>" or bare base64, as the official
// libraries do.
func decodeSecret(secret string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, secretPrefix))
	if err != nil || len(key) == 0 {
		return nil, hookhub.Errorf(hookhub.EINVALID, "standard-webhooks secret must be %q followed by base64", secretPrefix)
	}
	return key, nil
}

// Sign sets webhook-id, webhook-timestamp (unix seconds) and
// webhook-signature with one space-separated "v1,<base64>" entry per key.
func (s *StandardWebhooks) Sign(h http.Header, msgID string, ts time.Time, body []byte) {
	unix := strconv.FormatInt(ts.Unix(), 10)
	sigs := make([]string, len(s.keys))
	for i, key := range s.keys {
		sum := mac(key, []byte(msgID), []byte("."), []byte(unix), []byte("."), body)
		sigs[i] = "v1," + base64.StdEncoding.EncodeToString(sum)
	}
	h.Set(HeaderWebhookID, msgID)
	h.Set(HeaderWebhookTimestamp, unix)
	h.Set(HeaderWebhookSignature, strings.Join(sigs, " "))
}
