package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/signing"
	"github.com/hookhub/hookhub/verify"
)

const schemesDetail = `Schemes are the ones Hookhub itself verifies and signs with, run by the
server's own code:
  inbound (what sources verify): none, basic, token, hmac, generic, github,
    snyk, stripe, slack, shopify, zendesk, standard-webhooks, pagerduty,
    whatap, alertmanager, grafana, panther
  outbound (what destinations sign with): standard-webhooks, hub-signature,
    timestamp-body
The body is read from standard input, byte for byte.`

// schemeFlags are the settings of a signature scheme, as a source's
// verification or a destination's signing names them.
type schemeFlags struct {
	scheme, secret, username, header, prefix, algorithm, encoding string
	signed, timestampHeader, idHeader                             string
}

func addSchemeFlags(fs *flag.FlagSet) *schemeFlags {
	s := &schemeFlags{}
	fs.StringVar(&s.scheme, "scheme", "", "signature `scheme` (required; see above)")
	fs.StringVar(&s.secret, "secret", "", "the shared `secret`; for basic, the password")
	fs.StringVar(&s.username, "username", "", "`username` for basic")
	fs.StringVar(&s.header, "signature-header", "", "signature or token `header` (token, hmac, hub-signature, timestamp-body)")
	fs.StringVar(&s.prefix, "prefix", "", "`text` before the signature in its header, such as sha256= (hmac)")
	fs.StringVar(&s.algorithm, "algorithm", "", "hash `algorithm`: sha1, sha256 (default) or sha512 (hmac)")
	fs.StringVar(&s.encoding, "encoding", "", "signature `encoding`: hex (default) or base64 (hmac)")
	fs.StringVar(&s.signed, "signed", "", "`what` is signed: body (default), timestamp+body, timestamp.body or id.timestamp.body (hmac)")
	fs.StringVar(&s.timestampHeader, "timestamp-header", "", "`header` holding the timestamp (hmac, timestamp-body)")
	fs.StringVar(&s.idHeader, "id-header", "", "`header` holding the message id (hmac)")
	return s
}

func (s *schemeFlags) check() error {
	if s.scheme == "" {
		return usagef("--scheme is required: one of %s", strings.Join(allSchemes(), ", "))
	}
	if !slices.Contains(allSchemes(), s.scheme) {
		return usagef("--scheme %q is not one of %s", s.scheme, strings.Join(allSchemes(), ", "))
	}
	return nil
}

func allSchemes() []string {
	all := append(verify.Schemes(), signing.Schemes()...)
	slices.Sort(all)
	return slices.Compact(all)
}

// outbound reports whether the scheme is one only destinations sign with.
func (s *schemeFlags) outbound() bool {
	return s.scheme == hookhub.SignHubSignature || s.scheme == hookhub.SignTimestampBody
}

func (s *schemeFlags) signingConfig() hookhub.SigningConfig {
	return hookhub.SigningConfig{Scheme: s.scheme, Header: s.header, TimestampHeader: s.timestampHeader, Secret: s.secret}
}

// verification is the scheme as a source's verification settings.
func (s *schemeFlags) verification() hookhub.Verification {
	if s.outbound() {
		return signing.Verification(s.signingConfig())
	}
	v := hookhub.Verification{Scheme: s.scheme, Secret: s.secret, Username: s.username, Header: s.header,
		Prefix: s.prefix, Algorithm: s.algorithm, Encoding: s.encoding, Signed: s.signed,
		TimestampHeader: s.timestampHeader, IDHeader: s.idHeader}
	if s.scheme == "basic" {
		v.Password, v.Secret = s.secret, ""
	}
	return v
}

// sign sets the headers a sender would send. Destinations' schemes sign
// with the delivery engine's signer, the rest with the verifier's own.
func (s *schemeFlags) sign(h http.Header, body []byte, at time.Time, msgID string) error {
	if s.outbound() || s.scheme == hookhub.SignStandardWebhooks {
		signer, err := signing.New(s.signingConfig(), at)
		if err != nil {
			return err
		}
		signer.Sign(h, firstSet(msgID, h.Get(signing.HeaderWebhookID), "msg_"+strconv.FormatInt(at.UnixNano(), 36)), at, body)
		return nil
	}
	if msgID != "" && s.idHeader != "" {
		h.Set(s.idHeader, msgID)
	}
	return verify.Sign(s.verification(), h, body, at)
}

// timeValue parses --timestamp and --at: unix seconds or RFC 3339; empty
// is now.
func timeValue(name, v string) (time.Time, error) {
	if v == "" {
		return time.Now(), nil
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.Unix(n, 0), nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, usagef("--%s must be unix seconds or an RFC 3339 time", name)
	}
	return t, nil
}

// headerList is a repeatable --header 'Name: value' flag.
type headerList struct{ h http.Header }

func (l *headerList) String() string { return "" }

func (l *headerList) Set(v string) error {
	name, value, ok := strings.Cut(v, ":")
	if !ok || strings.TrimSpace(name) == "" {
		return fmt.Errorf("want 'Name: value'")
	}
	if l.h == nil {
		l.h = http.Header{}
	}
	l.h.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	return nil
}

// readBody reads standard input whole, up to 16 MiB.
func readBody(e *env) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(e.stdin, 16<<20+1))
	if err != nil {
		return nil, fmt.Errorf("read standard input: %w", err)
	}
	if len(b) > 16<<20 {
		return nil, usagef("the body on standard input is larger than 16 MiB")
	}
	return b, nil
}
