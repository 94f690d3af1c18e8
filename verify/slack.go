package verify

import (
	"crypto/sha256"
	"net/http"

	"github.com/hookhub/hookhub"
)

const (
	slackSignatureHeader = "X-Slack-Signature"
	slackTimestampHeader = "X-Slack-Request-Timestamp"
)

// Slack checks X-Slack-Signature: "v0=" and the hex HMAC-SHA256 of
// "v0:" + X-Slack-Request-Timestamp + ":" + body, keyed with the app's
// signing secret.
type Slack struct {
	keys  keyring
	clock clock
}

var _ Verifier = (*Slack)(nil)

func newSlack(cfg hookhub.Verification, c clock) (Verifier, error) {
	keys, err := secrets(cfg)
	if err != nil {
		return nil, err
	}
	return &Slack{keys: keys, clock: c}, nil
}

// Verify checks the timestamp, then the signature.
func (s *Slack) Verify(r *http.Request, body []byte) error {
	raw := r.Header.Get(slackSignatureHeader)
	if raw == "" {
		return missing(slackSignatureHeader)
	}
	ts := r.Header.Get(slackTimestampHeader)
	if ts == "" {
		return missing(slackTimestampHeader)
	}
	sig, ok := parseSignature(raw, "v0=", decodeHex)
	if !ok {
		return malformed(slackSignatureHeader)
	}
	if err := s.clock.checkUnix(slackTimestampHeader, ts); err != nil {
		return err
	}
	if !anyEqual(slackMACs(s.keys, ts, body), [][]byte{sig}) {
		return deny(reasonMismatch)
	}
	return nil
}

// slackMACs signs "v0:" timestamp ":" body with each key.
func slackMACs(keys keyring, ts string, body []byte) [][]byte {
	return keys.macs(sha256.New, []byte("v0:"), []byte(ts), []byte(":"), body)
}
