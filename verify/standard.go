package verify

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/hookhub/hookhub"
)

// Standard checks Standard Webhooks signatures (https://www.standardwebhooks.com),
// also sent by Svix under svix-* header names. The signed message is
// id "." timestamp "." body. webhook-signature holds space-separated entries:
// "v1,<base64 HMAC-SHA256>" keyed with the base64-decoded part of a whsec_
// secret, and "v1a,<base64 ed25519 signature>" checked against a whpk_ public
// key. Each of Secret and PreviousSecret may be either kind.
type Standard struct {
	macKeys keyring
	pubKeys []ed25519.PublicKey
	clock   clock
}

var _ Verifier = (*Standard)(nil)

// standardHeaders names one family of Standard Webhooks headers.
type standardHeaders struct{ id, timestamp, signature string }

var (
	webhookHeaders = standardHeaders{"webhook-id", "webhook-timestamp", "webhook-signature"}
	svixHeaders    = standardHeaders{"svix-id", "svix-timestamp", "svix-signature"}
)

func newStandard(cfg hookhub.Verification, c clock) (Verifier, error) {
	if cfg.Secret == "" {
		return nil, invalid("verification.secret is required for scheme %s", cfg.Scheme)
	}
	s := &Standard{clock: c}
	for _, secret := range []string{cfg.Secret, cfg.PreviousSecret} {
		if secret == "" {
			continue
		}
		if err := s.addKey(secret); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// addKey decodes a whsec_ signing secret (the prefix is optional, as in the
// reference libraries) or a whpk_ ed25519 public key.
func (s *Standard) addKey(secret string) error {
	if strings.HasPrefix(secret, "whsk_") {
		return invalid("verification.secret for standard-webhooks must be the sender's whpk_ public key, not its whsk_ private key")
	}
	if pub, ok := strings.CutPrefix(secret, "whpk_"); ok {
		b, err := base64.StdEncoding.DecodeString(pub)
		if err != nil || len(b) != ed25519.PublicKeySize {
			return invalid("verification.secret: whpk_ key is not a base64 ed25519 public key")
		}
		s.pubKeys = append(s.pubKeys, ed25519.PublicKey(b))
		return nil
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil || len(b) == 0 {
		return invalid("verification.secret for standard-webhooks must be whsec_ followed by base64")
	}
	s.macKeys = append(s.macKeys, b)
	return nil
}

// Verify checks the timestamp, then accepts the request when any signature
// matches any key.
func (s *Standard) Verify(r *http.Request, body []byte) error {
	names := webhookHeaders
	if r.Header.Get(names.signature) == "" && r.Header.Get(svixHeaders.signature) != "" {
		names = svixHeaders
	}
	raw, id, ts := r.Header.Get(names.signature), r.Header.Get(names.id), r.Header.Get(names.timestamp)
	switch {
	case raw == "":
		return missing(names.signature)
	case id == "":
		return missing(names.id)
	case ts == "":
		return missing(names.timestamp)
	}
	if err := s.clock.checkUnix(names.timestamp, ts); err != nil {
		return err
	}
	sigs := parseStandardSignatures(raw)
	if len(sigs) == 0 {
		return malformed(names.signature)
	}
	if !s.match(sigs, id, ts, body) {
		return deny(reasonMismatch)
	}
	return nil
}

// match computes each kind of check only when both a signature and a key of
// that kind exist.
func (s *Standard) match(sigs []standardSignature, id, ts string, body []byte) bool {
	var v1, v1a [][]byte
	for _, sig := range sigs {
		if sig.version == "v1" {
			v1 = append(v1, sig.sig)
		} else {
			v1a = append(v1a, sig.sig)
		}
	}
	if len(v1) > 0 && len(s.macKeys) > 0 {
		if anyEqual(standardMACs(s.macKeys, id, ts, body), v1) {
			return true
		}
	}
	if len(v1a) == 0 || len(s.pubKeys) == 0 {
		return false
	}
	// ed25519 needs the message in one piece.
	msg := bytes.Join([][]byte{[]byte(id), []byte(ts), body}, []byte("."))
	for _, pub := range s.pubKeys {
		for _, sig := range v1a {
			if ed25519.Verify(pub, msg, sig) {
				return true
			}
		}
	}
	return false
}

// standardSignature is one "version,base64" entry of a signature header.
type standardSignature struct {
	version string // v1 or v1a
	sig     []byte
}

// parseStandardSignatures returns the v1 and v1a entries of a signature
// header. Entries of unknown versions or with bad base64 are skipped, so a
// sender may add new schemes alongside the ones we know.
func parseStandardSignatures(h string) []standardSignature {
	var out []standardSignature
	for _, entry := range strings.Fields(h) {
		version, enc, ok := strings.Cut(entry, ",")
		if !ok || (version != "v1" && version != "v1a") {
			continue
		}
		if sig, ok := decodeBase64(enc); ok && len(out) < maxSignatures {
			out = append(out, standardSignature{version: version, sig: sig})
		}
	}
	return out
}

// standardMACs signs id "." timestamp "." body with each key.
func standardMACs(keys keyring, id, ts string, body []byte) [][]byte {
	return keys.macs(sha256.New, []byte(id), []byte("."), []byte(ts), []byte("."), body)
}
