package tracing

import (
	"context"
	"net/http"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// The W3C Trace Context headers, as sent on webhooks and carried by bus
// messages.
const (
	HeaderTraceParent = "traceparent"
	HeaderTraceState  = "tracestate"
)

// Tracer starts Hookhub's spans. A nil *Tracer is tracing off: Start
// returns its context unchanged with a shared no-op span, and nothing else
// it does reads or allocates, so a component's code is the same either way.
type Tracer struct{ t trace.Tracer }

// noSpan is the span of tracing off: a value that records nothing.
var noSpan = trace.SpanFromContext(context.Background())

// Start starts a span of the given kind as a child of the span in ctx (a
// root when there is none). Set attributes on it only when
// span.IsRecording(): they are not built at all then when tracing is off
// or the span is not sampled.
func (t *Tracer) Start(ctx context.Context, name string, kind trace.SpanKind) (context.Context, trace.Span) {
	if t == nil {
		return ctx, noSpan
	}
	return t.t.Start(ctx, name, trace.WithSpanKind(kind))
}

// Extract returns ctx carrying the remote span context of a request's W3C
// traceparent (and tracestate) header, so the span started next continues
// the caller's trace; ctx itself when the header is missing or malformed,
// or tracing is off.
func (t *Tracer) Extract(ctx context.Context, h http.Header) context.Context {
	if t == nil || h.Get(HeaderTraceParent) == "" {
		return ctx
	}
	return propagation.TraceContext{}.Extract(ctx, propagation.HeaderCarrier(h))
}

// Resume is Extract for a trace context stored earlier (see Carry): the
// span started next joins the trace it names, as a child of the span that
// stored it.
func (t *Tracer) Resume(ctx context.Context, parent, state string) context.Context {
	if t == nil || parent == "" {
		return ctx
	}
	return propagation.TraceContext{}.Extract(ctx, &pair{parent: parent, state: state})
}

// Carry returns the W3C traceparent and tracestate of the span in ctx, to
// store or send; both empty when ctx has no valid span (tracing off).
func Carry(ctx context.Context) (parent, state string) {
	if !trace.SpanContextFromContext(ctx).IsValid() {
		return "", ""
	}
	var p pair
	propagation.TraceContext{}.Inject(ctx, &p)
	return p.parent, p.state
}

// Fail marks span as failed with reason, shown by trace viewers.
func Fail(span trace.Span, reason string) {
	span.SetStatus(codes.Error, reason)
}

// pair is a TextMapCarrier of the two W3C headers alone, so carrying them
// needs no map.
type pair struct{ parent, state string }

func (p *pair) Get(key string) string {
	switch key {
	case HeaderTraceParent:
		return p.parent
	case HeaderTraceState:
		return p.state
	}
	return ""
}

func (p *pair) Set(key, value string) {
	switch key {
	case HeaderTraceParent:
		p.parent = value
	case HeaderTraceState:
		p.state = value
	}
}

func (p *pair) Keys() []string { return []string{HeaderTraceParent, HeaderTraceState} }
