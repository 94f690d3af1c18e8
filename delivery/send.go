package delivery

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/hookhub/hookhub"
)

// Response limits. Of the body, one byte more than an attempt keeps is read
// (so that Limit sees it was cut), and up to maxDrainedBody more is thrown
// away so the connection can be reused; a receiver that sends more gets its
// connection closed instead. Headers larger than maxResponseHeaderBytes fail
// the attempt, so that no receiver holds much of the engine's memory.
const (
	maxKeptBody            = hookhub.MaxAttemptBody + 1
	maxDrainedBody         = 256 << 10
	maxResponseHeaderBytes = 1 << 20
)

// answer is what came back from one request: a response, or the error that
// prevented one.
type answer struct {
	status  int
	headers http.Header
	body    []byte
	err     error // no response: network error, timeout, refused by the guard
	bodyErr error // the response arrived but its body was cut short
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

// attempt sends one request of delivery d and returns the recorded attempt with
// the receiver's answer. timeout bounds the whole exchange, body included.
func (e *Engine) attempt(ctx context.Context, j *job, timeout time.Duration) (hookhub.Attempt, answer) {
	now := e.opts.Now()
	at := hookhub.Attempt{
		ID:         hookhub.NewID(hookhub.PrefixAttempt),
		DeliveryID: j.d.ID,
		Number:     j.d.AttemptCount + 1,
		Trigger:    triggerOf(j.d),
		URL:        j.dest.URL,
		StartedAt:  now,
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	out, err := buildRequest(ctx, e.opts.UserAgent, j, now)
	if err != nil {
		at.Error = "request not sent: " + hookhub.ErrorMessage(err)
		return at, answer{err: err}
	}
	at.RequestHeaders = out.recorded
	start := time.Now()
	ans := e.do(out.req)
	at.DurationMS = time.Since(start).Milliseconds()
	at.StatusCode = ans.status
	at.ResponseHeaders = ans.headers
	at.ResponseBody = string(ans.body)
	switch {
	case ans.err != nil:
		at.Error = describe(ans.err, timeout)
	case ans.bodyErr != nil:
		at.Error = "reading response body: " + describe(ans.bodyErr, timeout)
	}
	at.Limit() // before the result waits in memory to be recorded
	return at, ans
}

// do performs the request and reads the start of the response body.
func (e *Engine) do(req *http.Request) answer {
	resp, err := e.client.Do(req)
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

// describe turns a transport error into a short message for the attempt log and
// the logs. It drops *url.Error's prefix, which repeats the URL: URLs may carry
// tokens, and the attempt records the URL once already.
func describe(err error, timeout time.Duration) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "timed out after " + timeout.String()
	}
	var he *hookhub.Error
	if errors.As(err, &he) {
		return he.Message
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

func triggerOf(d *hookhub.Delivery) string {
	if d.Trigger == "" {
		return hookhub.TriggerInitial
	}
	return d.Trigger
}
