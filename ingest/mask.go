package ingest

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/verify"
)

// Masked stands in for a credential that was sent but is not kept.
const Masked = "<masked>"

// maskedQueryValue is Masked as it reads in a query string.
var maskedQueryValue = url.QueryEscape(Masked)

// Mask returns the header and query an event keeps of a request: the same,
// except that credentials and signatures (see verify.IsSecretHeader) and
// query parameters whose names say they carry one (token, api_key,
// password, …) read as Masked. That a credential was sent stays visible,
// and so does the scheme word of an Authorization header ("Basic <masked>"),
// which explains most authentication failures. The request's own values are
// never changed; when nothing is masked they are returned as they are.
func Mask(v hookhub.Verification, h http.Header, rawQuery string) (http.Header, string) {
	return maskHeader(v, h), maskQuery(rawQuery)
}

func maskHeader(v hookhub.Verification, h http.Header) http.Header {
	var out http.Header
	for k, vs := range h {
		if !verify.IsSecretHeader(v, k) {
			continue
		}
		if out == nil {
			out = h.Clone()
		}
		masked := make([]string, len(vs))
		for i, s := range vs {
			masked[i] = maskValue(k, s)
		}
		out[k] = masked
	}
	if out == nil {
		return h
	}
	return out
}

// maskValue keeps the auth scheme of an Authorization-style value.
func maskValue(name, value string) string {
	if !strings.HasSuffix(strings.ToLower(name), "authorization") {
		return Masked
	}
	scheme, _, found := strings.Cut(strings.TrimSpace(value), " ")
	if !found || !isAuthScheme(scheme) {
		return Masked
	}
	return scheme + " " + Masked
}

// isAuthScheme reports whether s looks like an auth scheme word (Basic,
// Bearer, Token, Digest), not like a bare credential.
func isAuthScheme(s string) bool {
	if len(s) == 0 || len(s) > 20 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-') {
			return false
		}
	}
	return true
}

func maskQuery(raw string) string {
	if raw == "" {
		return raw
	}
	parts := strings.Split(raw, "&")
	changed := false
	for i, p := range parts {
		name, _, hasValue := strings.Cut(p, "=")
		if !hasValue || !SecretQueryName(name) {
			continue
		}
		parts[i] = name + "=" + maskedQueryValue
		changed = true
	}
	if !changed {
		return raw
	}
	return strings.Join(parts, "&")
}

// secretQuerySuffixes end the normalized names of query parameters that carry
// credentials: token, access_token, api-key, apiKey, client_secret,
// password, sig, …
var secretQuerySuffixes = []string{"token", "secret", "password", "passwd", "pwd", "apikey",
	"accesskey", "auth", "authorization", "credential", "credentials", "signature", "sig"}

var separators = strings.NewReplacer("-", "", "_", "", ".", "")

// SecretQueryName reports whether a query parameter's name (as sent, still
// URL-encoded) says it carries a credential. Names are compared in lower
// case without "-" and "_", so api_key, api-key and apiKey read alike.
func SecretQueryName(name string) bool {
	if n, err := url.QueryUnescape(name); err == nil {
		name = n
	}
	name = separators.Replace(strings.ToLower(name))
	for _, s := range secretQuerySuffixes {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

// IsMasked reports whether a stored header value is a masked credential,
// which must not be forwarded: it would reach the receiver as a broken one.
func IsMasked(value string) bool {
	return strings.HasSuffix(value, Masked)
}
