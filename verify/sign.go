package verify

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"

	"github.com/hookhub/hookhub"
)

// Signer is a verifier that can also make what it checks: the headers a
// sender would send. Signing with the code that verifies keeps tools (the
// hookhub sign and send commands) and tests exactly in step with ingest.
type Signer interface {
	// Sign sets the scheme's headers on h for body as sent at now, with
	// the current secret. Timestamp and id headers already in h are used
	// as they are, so a caller can fix them.
	Sign(h http.Header, body []byte, now time.Time) error
}

var (
	_ Signer = (*HMAC)(nil)
	_ Signer = (*GitHub)(nil)
	_ Signer = (*Snyk)(nil)
	_ Signer = (*Shopify)(nil)
	_ Signer = (*Zendesk)(nil)
	_ Signer = (*Stripe)(nil)
	_ Signer = (*Slack)(nil)
	_ Signer = (*Standard)(nil)
	_ Signer = (*PagerDuty)(nil)
	_ Signer = (*Token)(nil)
	_ Signer = (*Basic)(nil)
	_ Signer = (*None)(nil)
)

// Sign builds the verifier of cfg and signs with it.
func Sign(cfg hookhub.Verification, h http.Header, body []byte, now time.Time) error {
	v, err := New(cfg, func() time.Time { return now })
	if err != nil {
		return err
	}
	s, ok := v.(Signer)
	if !ok {
		return invalid("scheme %s cannot sign", cfg.Scheme)
	}
	return s.Sign(h, body, now)
}

// Sign fills in a missing timestamp or id header, then signs the message
// that Verify checks.
func (h *HMAC) Sign(hdr http.Header, body []byte, now time.Time) error {
	if h.signed != SignedBody && hdr.Get(h.tsHeader) == "" {
		ts := strconv.FormatInt(now.Unix(), 10)
		if h.tsFormat != nil {
			ts = h.tsFormat(now)
		}
		hdr.Set(h.tsHeader, ts)
	}
	if h.signed == SignedIDTimestampBody && hdr.Get(h.idHeader) == "" {
		hdr.Set(h.idHeader, newMessageID())
	}
	parts, err := h.message(&http.Request{Header: hdr}, body)
	if err != nil {
		return err
	}
	hdr.Set(h.header, h.prefix+h.enc.encode(h.keys[:1].macs(h.hash, parts...)[0]))
	return nil
}

// Sign sets both signatures GitHub sends: SHA-256 and the legacy SHA-1.
func (g *GitHub) Sign(h http.Header, body []byte, now time.Time) error {
	if err := g.sha256.Sign(h, body, now); err != nil {
		return err
	}
	return g.sha1.Sign(h, body, now)
}

// Sign sets X-Hub-Signature.
func (s *Snyk) Sign(h http.Header, body []byte, now time.Time) error { return s.h.Sign(h, body, now) }

// Sign sets X-Shopify-Hmac-Sha256.
func (s *Shopify) Sign(h http.Header, body []byte, now time.Time) error {
	return s.h.Sign(h, body, now)
}

// Sign sets the signature and its ISO 8601 timestamp.
func (z *Zendesk) Sign(h http.Header, body []byte, now time.Time) error {
	return z.h.Sign(h, body, now)
}

// Sign sets Stripe-Signature: t=<unix>,v1=<hex>.
func (s *Stripe) Sign(h http.Header, body []byte, now time.Time) error {
	ts := strconv.FormatInt(now.Unix(), 10)
	h.Set(stripeHeader, "t="+ts+",v1="+hex.EncodeToString(stripeMACs(s.keys[:1], ts, body)[0]))
	return nil
}

// Sign sets X-Slack-Request-Timestamp and X-Slack-Signature.
func (s *Slack) Sign(h http.Header, body []byte, now time.Time) error {
	ts := h.Get(slackTimestampHeader)
	if ts == "" {
		ts = strconv.FormatInt(now.Unix(), 10)
		h.Set(slackTimestampHeader, ts)
	}
	h.Set(slackSignatureHeader, "v0="+hex.EncodeToString(slackMACs(s.keys[:1], ts, body)[0]))
	return nil
}

// Sign sets webhook-id (unless given), webhook-timestamp and a v1
// webhook-signature. A public key (whpk_) verifies but cannot sign.
func (s *Standard) Sign(h http.Header, body []byte, now time.Time) error {
	if len(s.macKeys) == 0 {
		return invalid("a whpk_ public key can verify but not sign; sign with the whsec_ secret")
	}
	id := h.Get(webhookHeaders.id)
	if id == "" {
		id = newMessageID()
		h.Set(webhookHeaders.id, id)
	}
	ts := strconv.FormatInt(now.Unix(), 10)
	h.Set(webhookHeaders.timestamp, ts)
	h.Set(webhookHeaders.signature, "v1,"+base64.StdEncoding.EncodeToString(standardMACs(s.macKeys[:1], id, ts, body)[0]))
	return nil
}

// Sign sets X-PagerDuty-Signature: v1=<hex>.
func (p *PagerDuty) Sign(h http.Header, body []byte, _ time.Time) error {
	h.Set(pagerDutyHeader, "v1="+hex.EncodeToString(pagerDutyMACs(p.keys[:1], body)[0]))
	return nil
}

// Sign sets the token header; Authorization gets the Bearer form.
func (t *Token) Sign(h http.Header, _ []byte, _ time.Time) error {
	v := t.tokens[0]
	if http.CanonicalHeaderKey(t.header) == "Authorization" {
		v = "Bearer " + v
	}
	h.Set(t.header, v)
	return nil
}

// Sign sets Basic credentials.
func (b *Basic) Sign(h http.Header, _ []byte, _ time.Time) error {
	r := &http.Request{Header: h}
	r.SetBasicAuth(b.username, b.passwords[0])
	return nil
}

// Sign adds nothing: there is nothing to check.
func (*None) Sign(http.Header, []byte, time.Time) error { return nil }

// newMessageID returns a fresh message id in the msg_ style of Standard
// Webhooks.
func newMessageID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return "msg_" + base64.RawURLEncoding.EncodeToString(b)
}
