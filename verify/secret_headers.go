package verify

import (
	"net/http"
	"strings"

	"github.com/hookhub/hookhub"
)

// secretHeaders are the request headers that carry a credential (a password,
// a token, a cookie) or a signature in one of the schemes Hookhub knows, or
// by wide convention. A signature is as good as a credential for the body it
// signs: with it, anyone could replay that request, to Hookhub once its
// dedup window has passed or to any other receiver sharing the secret, and
// the body-only schemes (GitHub, Snyk, Shopify) carry no timestamp to stop
// them. Keys are canonical header names.
var secretHeaders = canonicalSet(
	"Authorization", "Proxy-Authorization", "Cookie",
	DefaultTokenHeader, "X-Gitlab-Token", "X-Api-Key", "X-Auth-Token",
	"X-Hub-Signature-256", "X-Hub-Signature", stripeHeader, slackSignatureHeader,
	"X-Shopify-Hmac-Sha256", "X-Zendesk-Webhook-Signature", pagerDutyHeader,
	webhookHeaders.signature, svixHeaders.signature,
)

func canonicalSet(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[http.CanonicalHeaderKey(n)] = true
	}
	return m
}

// IsSecretHeader reports whether a request header named name carries a
// credential or a signature under cfg: one of the well-known names, or the
// header cfg names for its token or HMAC signature. Such a header is masked
// before an event is stored, shown or forwarded.
func IsSecretHeader(cfg hookhub.Verification, name string) bool {
	if secretHeaders[http.CanonicalHeaderKey(name)] {
		return true
	}
	return cfg.Header != "" && strings.EqualFold(cfg.Header, name)
}
