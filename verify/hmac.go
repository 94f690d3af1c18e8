package verify

import (
	"hash"
	"net/http"
	"strings"
	"time"

	"github.com/hookhub/hookhub"
)

// What a generic HMAC signs (Verification.Signed). The timestamp and id are
// the raw header values, exactly as sent.
const (
	SignedBody             = "body"              // the body alone (GitHub style)
	SignedTimestampBody    = "timestamp+body"    // timestamp then body, no separator (Zendesk style)
	SignedTimestampDotBody = "timestamp.body"    // timestamp "." body (Stripe style)
	SignedIDTimestampBody  = "id.timestamp.body" // id "." timestamp "." body (Standard Webhooks style)
)

// HMAC checks a keyed-hash signature of the body, optionally bound to a
// timestamp and a message id, in one header. It serves the generic hmac
// scheme and the presets whose signature fits its shape.
type HMAC struct {
	header   string
	prefix   string // stripped before decoding, matched case-insensitively
	hash     func() hash.Hash
	enc      sigEncoding
	tsFormat func(time.Time) string // how Sign writes the timestamp; unix seconds when nil
	signed   string
	tsHeader string
	idHeader string
	keys     keyring
	clock    clock
}

var _ Verifier = (*HMAC)(nil)

// newHMAC builds the generic scheme from a source's settings.
func newHMAC(cfg hookhub.Verification, c clock) (Verifier, error) {
	keys, err := secrets(cfg)
	if err != nil {
		return nil, err
	}
	h := &HMAC{header: cfg.Header, prefix: cfg.Prefix, signed: cfg.Signed,
		tsHeader: cfg.TimestampHeader, idHeader: cfg.IDHeader, keys: keys, clock: c}
	if h.header == "" {
		return nil, invalid("verification.header is required for scheme hmac")
	}
	if h.hash = hashes[orDefault(cfg.Algorithm, "sha256")]; h.hash == nil {
		return nil, invalid("verification.algorithm %q is not one of sha1, sha256, sha512", cfg.Algorithm)
	}
	switch orDefault(cfg.Encoding, "hex") {
	case "hex":
		h.enc = hexSig
	case "base64":
		h.enc = base64Sig
	default:
		return nil, invalid("verification.encoding %q is not one of hex, base64", cfg.Encoding)
	}
	if h.signed == "" {
		h.signed = SignedBody
	}
	if err := h.checkSigned(); err != nil {
		return nil, err
	}
	return h, nil
}

// checkSigned makes sure the headers the signed message needs are named.
func (h *HMAC) checkSigned() error {
	switch h.signed {
	case SignedBody:
		return nil
	case SignedTimestampBody, SignedTimestampDotBody:
	case SignedIDTimestampBody:
		if h.idHeader == "" {
			return invalid("verification.id_header is required when signed is %s", h.signed)
		}
	default:
		return invalid("verification.signed %q is not one of %s, %s, %s, %s", h.signed,
			SignedBody, SignedTimestampBody, SignedTimestampDotBody, SignedIDTimestampBody)
	}
	if h.tsHeader == "" {
		return invalid("verification.timestamp_header is required when signed is %s", h.signed)
	}
	return nil
}

// Verify checks the signature header against the current and previous secret.
func (h *HMAC) Verify(r *http.Request, body []byte) error {
	raw := r.Header.Get(h.header)
	if raw == "" {
		return missing(h.header)
	}
	sig, ok := parseSignature(raw, h.prefix, h.enc.decode)
	if !ok {
		return malformed(h.header)
	}
	msg, err := h.message(r, body)
	if err != nil {
		return err
	}
	if !anyEqual(h.keys.macs(h.hash, msg...), [][]byte{sig}) {
		return deny(reasonMismatch)
	}
	return nil
}

// message returns the parts of the signed message, checking the timestamp
// first so replays are refused before any hashing.
func (h *HMAC) message(r *http.Request, body []byte) ([][]byte, error) {
	if h.signed == SignedBody {
		return [][]byte{body}, nil
	}
	ts := r.Header.Get(h.tsHeader)
	if ts == "" {
		return nil, missing(h.tsHeader)
	}
	if err := h.clock.checkAny(h.tsHeader, ts); err != nil {
		return nil, err
	}
	switch h.signed {
	case SignedTimestampBody:
		return [][]byte{[]byte(ts), body}, nil
	case SignedTimestampDotBody:
		return [][]byte{[]byte(ts), []byte("."), body}, nil
	}
	id := r.Header.Get(h.idHeader)
	if id == "" {
		return nil, missing(h.idHeader)
	}
	return [][]byte{[]byte(id), []byte("."), []byte(ts), []byte("."), body}, nil
}

// parseSignature strips prefix (case-insensitively, as senders vary between
// "sha256=" and "SHA256=") and decodes the rest.
func parseSignature(raw, prefix string, decode func(string) ([]byte, bool)) ([]byte, bool) {
	raw = strings.TrimSpace(raw)
	if len(raw) < len(prefix) || !strings.EqualFold(raw[:len(prefix)], prefix) {
		return nil, false
	}
	return decode(raw[len(prefix):])
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// bodyHMAC configures the common preset shape: one header signing the body.
func bodyHMAC(header, prefix string, h func() hash.Hash, enc sigEncoding, keys keyring, c clock) *HMAC {
	return &HMAC{header: header, prefix: prefix, hash: h, enc: enc, signed: SignedBody, keys: keys, clock: c}
}
