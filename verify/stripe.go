package verify

import (
	"crypto/sha256"
	"net/http"
	"strings"

	"github.com/hookhub/hookhub"
)

const stripeHeader = "Stripe-Signature"

// Stripe checks Stripe-Signature: "t=<unix>,v1=<hex>[,v1=<hex>…]", where each
// v1 is the hex HMAC-SHA256 of t "." body keyed with the whole whsec_ secret
// string. Any matching v1 passes: Stripe sends one per active secret while a
// secret is being rolled. Other schemes (v0 test signatures) are ignored.
type Stripe struct {
	keys  keyring
	clock clock
}

var _ Verifier = (*Stripe)(nil)

func newStripe(cfg hookhub.Verification, c clock) (Verifier, error) {
	keys, err := secrets(cfg)
	if err != nil {
		return nil, err
	}
	return &Stripe{keys: keys, clock: c}, nil
}

// Verify checks the timestamp, then the signatures.
func (s *Stripe) Verify(r *http.Request, body []byte) error {
	raw := r.Header.Get(stripeHeader)
	if raw == "" {
		return missing(stripeHeader)
	}
	h, ok := parseStripeHeader(raw)
	if !ok {
		return malformed(stripeHeader)
	}
	if err := s.clock.checkUnix(stripeHeader, h.timestamp); err != nil {
		return err
	}
	if !anyEqual(stripeMACs(s.keys, h.timestamp, body), h.v1) {
		return deny(reasonMismatch)
	}
	return nil
}

// stripeSignature is a parsed Stripe-Signature header.
type stripeSignature struct {
	timestamp string   // raw, as signed
	v1        [][]byte // decoded v1 signatures
}

// maxSignatures bounds how many signatures one header may make us check, so a
// huge header cannot turn into many HMAC computations.
const maxSignatures = 16

// parseStripeHeader reads the header's comma-separated key=value items. It
// needs exactly one t and at least one well-formed v1; undecodable v1 items
// are skipped like unknown keys, as Stripe's own libraries do.
func parseStripeHeader(h string) (stripeSignature, bool) {
	var s stripeSignature
	seenT := false
	for _, item := range strings.Split(h, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(item), "=")
		if !ok {
			continue
		}
		switch k {
		case "t":
			if seenT {
				return stripeSignature{}, false
			}
			s.timestamp, seenT = v, true
		case "v1":
			if sig, ok := decodeHex(v); ok && len(s.v1) < maxSignatures {
				s.v1 = append(s.v1, sig)
			}
		}
	}
	return s, seenT && s.timestamp != "" && len(s.v1) > 0
}

// stripeMACs signs t "." body with each key.
func stripeMACs(keys keyring, ts string, body []byte) [][]byte {
	return keys.macs(sha256.New, []byte(ts), []byte("."), body)
}
