// Package webhook is the sender of webhook destinations: one signed HTTP
// request per attempt, whose answer decides the outcome.
package webhook

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/netguard"
	"github.com/hookhub/hookhub/retry"
	"github.com/hookhub/hookhub/sender"
)

// Response body limits. One byte more than an attempt keeps is read (so that
// Attempt.Limit sees it was cut), and up to maxDrainedBody more is thrown
// away so the connection can be reused; a receiver that sends more gets its
// connection closed instead.
const (
	maxKeptBody    = hookhub.MaxAttemptBody + 1
	maxDrainedBody = 256 << 10
)

// GoneReason is why a destination is disabled when its receiver answers 410.
const GoneReason = "receiver answered 410 Gone"

// Sender sends webhooks.
type Sender struct {
	client *http.Client
	ua     string
	guard  *netguard.Guard // nil: the transport is the caller's, trusted to guard itself
}

var (
	_ sender.Sender       = (*Sender)(nil)
	_ sender.Checker      = (*Sender)(nil)
	_ sender.Transforming = (*Sender)(nil)
)

// SendsTransformed says the sender sends a transform's body, method,
// headers and path.
func (*Sender) SendsTransformed() {}

// New returns the webhook sender of an engine.
func New(env sender.Env) sender.Sender {
	s := &Sender{client: newClient(env.Transport), ua: env.UserAgent}
	if !env.CustomTransport {
		s.guard = env.Guard
	}
	return s
}

// newClient returns the client for outbound requests: redirects are answered,
// never followed, because a receiver could otherwise bounce a signed request to
// an address the sender never approved.
func newClient(rt http.RoundTripper) *http.Client {
	return &http.Client{
		Transport:     rt,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Check refuses a URL that is malformed or whose host is an address the guard
// refuses (host names are checked when they resolve).
func (s *Sender) Check(d *hookhub.Destination) error {
	if s.guard == nil {
		return netguard.CheckURL(d.URL)
	}
	return s.guard.CheckURL(d.URL)
}

// answer is what came back from one request: a response, or the error that
// prevented one.
type answer struct {
	status  int
	headers http.Header
	body    []byte
	err     error // no response: network error, timeout, refused by the guard
	bodyErr error // the response arrived but its body was cut short
}

// Send makes one request and reads the answer.
func (s *Sender) Send(ctx context.Context, m *sender.Message) sender.Result {
	res := sender.Result{Target: m.Destination.URL}
	out, err := buildRequest(ctx, s.ua, m)
	if out != nil {
		res.Target = out.req.URL.String()
	}
	if err != nil {
		res.Error = "request not sent: " + hookhub.ErrorMessage(err)
		res.Reason = res.Error
		return res
	}
	res.Headers = out.recorded
	ans := s.do(out.req)
	res.StatusCode, res.ResponseHeaders, res.Response = ans.status, ans.headers, string(ans.body)
	switch {
	case ans.err != nil:
		res.Error = sender.Describe(ans.err, m.Timeout)
	case ans.bodyErr != nil:
		res.Error = "reading response body: " + sender.Describe(ans.bodyErr, m.Timeout)
	}
	res.Outcome, res.Reason, res.RetryAfter = judge(ans, res.Error, m.Now)
	return res
}

// judge reads an answer: its outcome (package retry classifies it), why it
// did not succeed, for the delivery's last error, and, on 429 and 503, what
// the receiver asked in Retry-After (within retry's bounds).
func judge(ans answer, errText string, now time.Time) (o retry.Outcome, reason string, after time.Duration) {
	o = retry.Classify(ans.status, ans.err)
	if ans.status == http.StatusTooManyRequests || ans.status == http.StatusServiceUnavailable {
		after, _ = retry.RetryAfter(ans.headers, now)
	}
	switch {
	case o == retry.Success:
		return o, "", 0
	case o == retry.Disable:
		return o, GoneReason, 0
	case ans.status != 0:
		return o, fmt.Sprintf("receiver answered %d %s", ans.status, http.StatusText(ans.status)), after
	case errText != "":
		return o, errText, 0
	}
	return o, "no response", 0
}

// do performs the request and reads the start of the response body.
func (s *Sender) do(req *http.Request) answer {
	resp, err := s.client.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	// The status decides the outcome even when the body is cut short: the
	// receiver has answered.
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxKeptBody))
	io.CopyN(io.Discard, resp.Body, maxDrainedBody) // best effort: only for connection reuse
	return answer{status: resp.StatusCode, headers: resp.Header, body: body, bodyErr: err}
}
