package delivery

import (
	"context"
	"net/url"

	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/retry"
	"github.com/hookhub/hookhub/sender"
	"github.com/hookhub/hookhub/tracing"
)

// startAttempt starts the span of one attempt as a child of the span that
// ingested the event (its trace context is stored with it), however long
// ago that was, and lends the span's context to the message, which sends
// it on as traceparent. A webhook attempt is a client span; a publish to a
// broker a producer span.
func (e *Engine) startAttempt(ctx context.Context, j *job, at *hookhub.Attempt, m *sender.Message) (context.Context, trace.Span) {
	t := e.opts.Tracer
	if t == nil {
		return ctx, noSpan
	}
	ctx = t.Resume(ctx, j.ev.TraceParent, j.ev.TraceState)
	kind := trace.SpanKindProducer
	if typeOf(j.dest) == hookhub.DestinationWebhook {
		kind = trace.SpanKindClient
	}
	ctx, span := t.Start(ctx, tracing.SpanAttempt, kind)
	m.TraceParent, m.TraceState = tracing.Carry(ctx)
	if span.IsRecording() {
		span.SetAttributes(tracing.AttrDeliveryID.String(j.d.ID), tracing.AttrEventID.String(j.ev.ID),
			tracing.AttrEventType.String(j.ev.Type), tracing.AttrDestinationID.String(j.dest.ID),
			tracing.AttrDestinationType.String(typeOf(j.dest)), tracing.AttrAttemptNumber.Int(at.Number),
			tracing.AttrAttemptTrigger.String(at.Trigger))
		if kind == trace.SpanKindProducer {
			span.SetAttributes(semconv.MessagingSystemKey.String(typeOf(j.dest)), semconv.MessagingOperationTypeSend)
		}
	}
	return ctx, span
}

// noSpan is the span of tracing off.
var noSpan = trace.SpanFromContext(context.Background())

// endAttempt records what came of an attempt on its span and ends it. A
// webhook's target is named by its host alone: a URL's path or query may be
// its credential (Slack's incoming webhooks are), and spans leave Hookhub.
func endAttempt(span trace.Span, dest *hookhub.Destination, res sender.Result) {
	if span.IsRecording() {
		span.SetAttributes(tracing.AttrAttemptOutcome.String(res.Outcome.String()))
		if typeOf(dest) != hookhub.DestinationWebhook {
			span.SetAttributes(tracing.AttrAttemptTarget.String(res.Target))
		} else if u, err := url.Parse(res.Target); err == nil && u.Host != "" {
			span.SetAttributes(semconv.ServerAddress(u.Hostname()), semconv.URLScheme(u.Scheme))
		}
		if res.StatusCode != 0 {
			span.SetAttributes(semconv.HTTPResponseStatusCode(res.StatusCode))
		}
		if res.Outcome != retry.Success {
			tracing.Fail(span, res.Reason)
		}
	}
	span.End()
}

// transformSpan starts the span of a destination's transform, inside its
// attempt.
func (e *Engine) transformSpan(ctx context.Context) (context.Context, trace.Span) {
	return e.opts.Tracer.Start(ctx, tracing.SpanTransform, trace.SpanKindInternal)
}
