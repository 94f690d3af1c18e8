// Package sender is the seam between the delivery engine and the places it
// delivers to. Each destination type (webhook, eventbridge, nats, rabbitmq,
// redis, kafka, mqtt) has one Sender, in a package of its own under this one,
// that publishes one delivery and says what came of it. Everything around a
// publish — lanes, leases, retries and their schedule, pause, auto-disable,
// resends, the attempt log — is the engine's, and the same for every type.
package sender

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/expr"
	"github.com/hookhub/hookhub/netguard"
	"github.com/hookhub/hookhub/retry"
	"github.com/hookhub/hookhub/transform"
)

// Sender publishes one delivery to one kind of destination. Send must return
// by ctx's deadline, and must not retry on its own: the engine's schedule
// does that, so every try is recorded.
type Sender interface {
	Send(ctx context.Context, m *Message) Result
}

// Checker is implemented by a Sender that can check a destination's
// settings before they are saved (templates compile, addresses parse and are
// allowed), so a mistake is refused with 400 rather than failing deliveries.
type Checker interface {
	Check(d *hookhub.Destination) error
}

// Message is one attempt of a delivery.
type Message struct {
	Delivery    *hookhub.Delivery
	Event       *hookhub.Event
	Destination *hookhub.Destination
	// Forward names the event's original headers that its source passes on.
	Forward []string
	// Now is the engine's clock (tests replace it): for signatures and
	// timestamps.
	Now time.Time
	// Timeout bounds the attempt; ctx carries it as its deadline.
	Timeout time.Duration
	// Transform is what the destination's transform made of the event
	// (nil without one). Senders that implement Transforming send it in
	// place of the event's body; the engine refuses a transform on a
	// destination whose sender does not.
	Transform *transform.Output
	// TraceParent and TraceState are the W3C trace context of the
	// attempt's span, sent as traceparent and tracestate headers (or
	// message headers, properties or fields); empty when tracing is off.
	TraceParent, TraceState string

	event *expr.Event // decoded for templates on first use
}

// Transforming is implemented by a Sender that sends Message.Transform:
// its body always, and whatever else of it (method, headers, path) its
// kind of destination has.
type Transforming interface {
	SendsTransformed()
}

// Result is what one attempt did, and what the attempt log shows of it.
type Result struct {
	Outcome retry.Outcome
	// RetryAfter, with Retry, is the least the next attempt must wait: what a
	// receiver asked in Retry-After, or a broker's throttling.
	RetryAfter time.Duration
	// Reason says why the attempt did not succeed: it becomes the delivery's
	// last error and, with Disable, the destination's disabled reason.
	Reason string

	// Target is where the message went (a URL; a broker and its subject,
	// topic or stream), with credentials masked.
	Target string
	// Headers are the request's headers, or the message's headers,
	// properties or fields other than the body, with secrets masked.
	Headers map[string][]string
	// StatusCode and ResponseHeaders are the HTTP answer, when there is one.
	StatusCode      int
	ResponseHeaders map[string][]string
	// Response is the receiver's body or the broker's confirmation.
	Response string
	// Error is what went wrong on the way (no answer, a refusal), if anything.
	Error string
}

// Env is what the engine lends every sender it builds.
type Env struct {
	// Guard keeps every connection away from internal addresses unless
	// allowlisted. It is never nil.
	Guard *netguard.Guard
	// Transport carries HTTP requests; it applies the guard.
	Transport http.RoundTripper
	// CustomTransport says Transport is the caller's own, trusted to guard
	// itself: URLs are then checked for their form only.
	CustomTransport bool
	UserAgent       string
	Logger          *slog.Logger
}

// Dial opens a connection through the guard, bounded by ctx.
func (e Env) Dial(ctx context.Context, network, addr string) (net.Conn, error) {
	return e.Guard.Dialer().DialContext(ctx, network, addr)
}

// Builder makes a destination type's Sender for an engine.
type Builder func(env Env) Sender

// Succeeded is the result of a publish the receiver or broker confirmed.
func Succeeded(target string, headers map[string][]string, response string) Result {
	return Result{Outcome: retry.Success, Target: target, Headers: headers, Response: response}
}

// Failed is the result of an attempt that did not succeed, with err said for
// the attempt log and as the reason; outcome says whether it is retried
// (Retry) or fails the delivery at once (Fail).
func (m *Message) Failed(outcome retry.Outcome, target string, headers map[string][]string, err error) Result {
	msg := Scrub(Describe(err, m.Timeout), m.Destination)
	return Result{Outcome: outcome, Target: target, Headers: headers, Reason: msg, Error: msg}
}

// Masked stands in for a secret value in the attempt log.
const Masked = "<masked>"
