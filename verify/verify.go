// Package verify checks that an inbound webhook request comes from the sender
// a source expects: HTTP Basic, a static token, a generic HMAC, or a provider
// preset (GitHub, Stripe, Slack, Standard Webhooks, …).
//
// Every verifier takes the raw body bytes as they were read from the wire,
// because providers sign bytes, not parsed JSON. Failures are *hookhub.Error
// values with code EUNAUTHORIZED (EFORBIDDEN for Zendesk) and a short reason
// that never contains a secret or an expected signature.
package verify

import (
	"net/http"
	"slices"
	"time"

	"github.com/hookhub/hookhub"
)

// Verifier decides whether a request, with its already-read raw body, is
// authentic. It returns nil when it is.
type Verifier interface {
	Verify(r *http.Request, body []byte) error
}

// builder makes one scheme's verifier from a source's settings.
type builder func(cfg hookhub.Verification, c clock) (Verifier, error)

// builders is the scheme registry. It is filled once here and never changed.
var builders = map[string]builder{
	"none":                         newNone,
	"basic":                        newBasic,
	"token":                        newToken,
	"hmac":                         newHMAC,
	hookhub.SourceGitHub:           newGitHub,
	hookhub.SourceSnyk:             newSnyk,
	hookhub.SourceStripe:           newStripe,
	hookhub.SourceSlack:            newSlack,
	hookhub.SourceShopify:          newShopify,
	hookhub.SourceZendesk:          newZendesk,
	hookhub.SourceStandardWebhooks: newStandard,
	hookhub.SourcePagerDuty:        newPagerDuty,
	hookhub.SourceWhaTap:           newOptionalToken,
	hookhub.SourceAlertmanager:     newOptionalToken,
	hookhub.SourceGrafana:          newOptionalToken,
	hookhub.SourcePanther:          newOptionalToken,
	hookhub.SourceGeneric:          newOptionalToken,
}

// New builds the verifier for cfg.Scheme. now is the clock timestamped
// schemes check against (time.Now when nil). An unknown scheme or missing
// required settings give an EINVALID error, so a bad source is refused when it
// is saved rather than when its first webhook arrives.
func New(cfg hookhub.Verification, now func() time.Time) (Verifier, error) {
	b, ok := builders[cfg.Scheme]
	if !ok {
		return nil, hookhub.Errorf(hookhub.EINVALID, "verification.scheme %q is not one of %v", cfg.Scheme, Schemes())
	}
	c, err := newClock(cfg.ToleranceSec, now)
	if err != nil {
		return nil, err
	}
	return b(cfg, c)
}

// Schemes lists every scheme name New accepts, sorted.
func Schemes() []string {
	names := make([]string, 0, len(builders))
	for name := range builders {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}
