package verify

import (
	"net/http"
	"strings"

	"github.com/hookhub/hookhub"
)

// DefaultTokenHeader carries a static token when a source does not name
// another header.
const DefaultTokenHeader = "X-Webhook-Token"

// Token checks a static shared token sent in a header. When the header is
// Authorization, a "Bearer " scheme prefix is accepted, since that is how
// Alertmanager and Grafana send a configured credential.
type Token struct {
	header string
	tokens []string
}

var _ Verifier = (*Token)(nil)

func newToken(cfg hookhub.Verification, _ clock) (Verifier, error) {
	if cfg.Secret == "" {
		return nil, invalid("verification.secret is required for scheme token")
	}
	t := &Token{header: cfg.Header, tokens: []string{cfg.Secret}}
	if t.header == "" {
		t.header = DefaultTokenHeader
	}
	if cfg.PreviousSecret != "" {
		t.tokens = append(t.tokens, cfg.PreviousSecret)
	}
	return t, nil
}

// newOptionalToken serves the alert presets and generic: they check a token
// when the source has a secret and nothing otherwise, because many alert
// senders cannot sign and their URL key is the only credential.
func newOptionalToken(cfg hookhub.Verification, c clock) (Verifier, error) {
	if cfg.Secret == "" {
		return newNone(cfg, c)
	}
	return newToken(cfg, c)
}

// Verify compares the header's value with the current and previous token.
func (t *Token) Verify(r *http.Request, _ []byte) error {
	got := r.Header.Get(t.header)
	if http.CanonicalHeaderKey(t.header) == "Authorization" {
		if scheme, rest, ok := strings.Cut(got, " "); ok && strings.EqualFold(scheme, "Bearer") {
			got = strings.TrimSpace(rest)
		}
	}
	if got == "" {
		return missing(t.header)
	}
	ok := false
	for _, want := range t.tokens {
		ok = sameSecret(got, want) || ok
	}
	if !ok {
		return deny("invalid token")
	}
	return nil
}
