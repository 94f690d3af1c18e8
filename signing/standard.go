package signing

import (
	"bytes"
	"crypto/ed25519"
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

// StandardWebhooks signs per the Standard Webhooks spec over
// "id.timestamp.body": "v1,<base64>" HMAC-SHA256 under the base64-decoded
// part of a whsec_ secret, or "v1a,<base64>" ed25519 under a whsk_ signing
// key. Each secret in force signs with its own kind, so a rotation from one
// algorithm to the other sends both signatures during its grace period.
type StandardWebhooks struct {
	keys []standardKey
}

// standardKey is one secret in force: an HMAC key or an ed25519 key.
type standardKey struct {
	mac []byte
	ed  ed25519.PrivateKey
}

var _ Signer = (*StandardWebhooks)(nil)

func newStandardWebhooks(cfg hookhub.SigningConfig, secrets []string) (Signer, error) {
	if err := checkAlgorithm(cfg); err != nil {
		return nil, err
	}
	s := &StandardWebhooks{}
	for _, secret := range secrets {
		var k standardKey
		var err error
		if IsSigningKey(secret) {
			k.ed, err = decodeSigningKey(secret)
		} else {
			k.mac, err = decodeSecret(secret)
		}
		if err != nil {
			return nil, err
		}
		s.keys = append(s.keys, k)
	}
	return s, nil
}

// checkAlgorithm refuses a current secret of the other kind than the
// algorithm says: the algorithm is what the receiver was told to expect.
func checkAlgorithm(cfg hookhub.SigningConfig) error {
	switch cfg.Algorithm {
	case hookhub.SignAlgEd25519:
		if !IsSigningKey(cfg.Secret) {
			return hookhub.Errorf(hookhub.EINVALID, "signing algorithm ed25519 needs a %s signing key", privateKeyPrefix)
		}
	case "", hookhub.SignAlgHMACSHA256:
		if IsSigningKey(cfg.Secret) {
			return hookhub.Errorf(hookhub.EINVALID, "a %s signing key is for algorithm ed25519", privateKeyPrefix)
		}
	default:
		return hookhub.Errorf(hookhub.EINVALID, "signing.algorithm %q is not one of %s, %s",
			cfg.Algorithm, hookhub.SignAlgHMACSHA256, hookhub.SignAlgEd25519)
	}
	return nil
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
// webhook-signature with one space-separated "v1,<base64>" or
// "v1a,<base64>" entry per key, current first.
func (s *StandardWebhooks) Sign(h http.Header, msgID string, ts time.Time, body []byte) {
	unix := strconv.FormatInt(ts.Unix(), 10)
	sigs := make([]string, len(s.keys))
	var msg []byte // ed25519 signs the message in one piece
	for i, key := range s.keys {
		if key.ed != nil {
			if msg == nil {
				msg = bytes.Join([][]byte{[]byte(msgID), []byte(unix), body}, []byte("."))
			}
			sigs[i] = "v1a," + base64.StdEncoding.EncodeToString(ed25519.Sign(key.ed, msg))
			continue
		}
		sum := mac(key.mac, []byte(msgID), []byte("."), []byte(unix), []byte("."), body)
		sigs[i] = "v1," + base64.StdEncoding.EncodeToString(sum)
	}
	h.Set(HeaderWebhookID, msgID)
	h.Set(HeaderWebhookTimestamp, unix)
	h.Set(HeaderWebhookSignature, strings.Join(sigs, " "))
}
