package verify

import (
	"crypto/sha256"
	"net/http"
	"strings"

	"github.com/hookhub/hookhub"
)

const pagerDutyHeader = "X-PagerDuty-Signature"

// PagerDuty checks X-PagerDuty-Signature: "v1=<hex>[,v1=<hex>…]", each the hex
// HMAC-SHA256 of the body. PagerDuty sends one signature per active secret,
// so any match passes.
type PagerDuty struct {
	keys keyring
}

var _ Verifier = (*PagerDuty)(nil)

func newPagerDuty(cfg hookhub.Verification, _ clock) (Verifier, error) {
	keys, err := secrets(cfg)
	if err != nil {
		return nil, err
	}
	return &PagerDuty{keys: keys}, nil
}

// Verify checks every v1 signature against the current and previous secret.
func (p *PagerDuty) Verify(r *http.Request, body []byte) error {
	raw := r.Header.Get(pagerDutyHeader)
	if raw == "" {
		return missing(pagerDutyHeader)
	}
	sigs := parsePagerDutySignatures(raw)
	if len(sigs) == 0 {
		return malformed(pagerDutyHeader)
	}
	if !anyEqual(pagerDutyMACs(p.keys, body), sigs) {
		return deny(reasonMismatch)
	}
	return nil
}

// parsePagerDutySignatures returns the decodable v1 signatures in the header,
// skipping other versions so a future scheme does not break verification.
func parsePagerDutySignatures(h string) [][]byte {
	var sigs [][]byte
	for _, item := range strings.Split(h, ",") {
		v, ok := strings.CutPrefix(strings.TrimSpace(item), "v1=")
		if !ok {
			continue
		}
		if sig, ok := decodeHex(v); ok && len(sigs) < maxSignatures {
			sigs = append(sigs, sig)
		}
	}
	return sigs
}

// pagerDutyMACs signs the body with each key.
func pagerDutyMACs(keys keyring, body []byte) [][]byte { return keys.macs(sha256.New, body) }
