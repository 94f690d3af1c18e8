package webhook

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/ingest"
	"github.com/hookhub/hookhub/sender"
	"github.com/hookhub/hookhub/signing"
	"github.com/hookhub/hookhub/transform"
)

// Hookhub's own headers on every outbound request.
const (
	HeaderEvent     = "X-Hookhub-Event"
	HeaderDelivery  = "X-Hookhub-Delivery"
	HeaderTimestamp = "X-Hookhub-Timestamp"
)

// masked replaces secret header values in recorded attempts.
const masked = sender.Masked

// outbound is one request ready to send, and the same headers as recorded, with
// secrets masked.
type outbound struct {
	req      *http.Request
	recorded map[string][]string
}

// buildRequest makes the request for one attempt of a job: the event's exact
// body; its original headers that the source forwards; the destination's custom
// headers; Hookhub's headers; and the signature, computed over the exact bytes
// sent. Later ones win, so neither a sender nor a destination setting can forge
// Hookhub's headers or the signature. The message id is the delivery ID, so a
// retry carries the same id and the receiver can drop what it has seen.
func buildRequest(ctx context.Context, ua string, m *sender.Message) (*outbound, error) {
	dest, ev, d, now := m.Destination, m.Event, m.Delivery, m.Now
	signer, err := signing.New(dest.Signing, now)
	if err != nil {
		return nil, err
	}
	p, err := partsOf(m)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, p.method, p.url, bytes.NewReader(p.body))
	if err != nil {
		return nil, hookhub.Errorf(hookhub.EINVALID, "destination URL: %v", err)
	}
	rec := make(map[string][]string)
	copyHeaders(req.Header, rec, forwarded(ev, m.Forward), false)
	for k, v := range dest.Headers {
		req.Header.Set(k, v)
		rec[http.CanonicalHeaderKey(k)] = []string{masked}
	}
	if m.Transform != nil {
		for k, v := range m.Transform.Headers {
			req.Header.Set(k, v)
			rec[k] = []string{v}
		}
	}
	own := http.Header{}
	own.Set("Content-Type", p.contentType)
	own.Set("User-Agent", ua)
	own.Set(HeaderEvent, ev.Type)
	own.Set(HeaderDelivery, d.ID)
	own.Set(HeaderTimestamp, now.UTC().Format(time.RFC3339))
	if m.TraceParent != "" {
		// The attempt's own trace context, in place of any the event's
		// sender sent that the source forwards.
		req.Header.Del(sender.AttrTraceState)
		delete(rec, http.CanonicalHeaderKey(sender.AttrTraceState))
		own.Set(sender.AttrTraceParent, m.TraceParent)
		if m.TraceState != "" {
			own.Set(sender.AttrTraceState, m.TraceState)
		}
	}
	copyHeaders(req.Header, rec, own, false)
	sig := http.Header{}
	signer.Sign(sig, d.ID, now, p.body)
	copyHeaders(req.Header, rec, sig, true)
	return &outbound{req: req, recorded: rec}, nil
}

// parts are what a request sends: the event as it came, or what the
// destination's transform made of it.
type parts struct {
	method, url, contentType string
	body                     []byte
}

func partsOf(m *sender.Message) (parts, error) {
	dest, ev := m.Destination, m.Event
	p := parts{method: dest.Method, url: dest.URL, contentType: sender.ContentType(ev), body: ev.Body}
	if t := m.Transform; t != nil {
		p.body, p.contentType = t.Body, t.ContentType
		if t.Method != "" {
			p.method = t.Method
		}
		u, err := transform.JoinURL(dest.URL, t.Path)
		if err != nil {
			return p, hookhub.Errorf(hookhub.EINVALID, "destination URL: %v", err)
		}
		p.url = u
	}
	if p.method == "" {
		p.method = http.MethodPost
	}
	return p, nil
}

// copyHeaders sets src on h and records it, masking signature values when
// fromSigner is set: ids and timestamps a signer adds are not secret and help
// whoever reads the attempt log, signatures are.
func copyHeaders(h http.Header, rec map[string][]string, src http.Header, fromSigner bool) {
	for k, vs := range src {
		h[k] = vs
		if fromSigner && secretSignerHeader(k) {
			rec[k] = []string{masked}
		} else {
			rec[k] = vs
		}
	}
}

func secretSignerHeader(name string) bool {
	n := strings.ToLower(name)
	return n != signing.HeaderWebhookID && !strings.Contains(n, "timestamp")
}

// hopByHop are headers about one connection, never forwarded.
var hopByHop = map[string]bool{
	"Connection": true, "Content-Length": true, "Host": true, "Keep-Alive": true, "Te": true,
	"Trailer": true, "Transfer-Encoding": true, "Upgrade": true, "Proxy-Authorization": true,
	"Proxy-Connection": true,
}

// forwarded returns the event's original headers with the given names, but
// not the credentials masked when the event was received.
func forwarded(ev *hookhub.Event, names []string) http.Header {
	h := http.Header{}
	for _, name := range names {
		name = http.CanonicalHeaderKey(name)
		if hopByHop[name] {
			continue
		}
		for k, vs := range ev.Headers {
			if !strings.EqualFold(k, name) {
				continue
			}
			for _, v := range vs {
				if !ingest.IsMasked(v) {
					h[name] = append(h[name], v)
				}
			}
		}
	}
	return h
}
