package server

import (
	"context"
	"net/http"
	"strings"

	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/tracing"
)

// traced reports whether a route's requests get a server span: ingest and
// the API do; probes, metrics and the console do not.
func (s *Server) traced(route string) bool {
	return s.tracer != nil && (route == "/hooks/" || strings.Contains(route, " /api/"))
}

// startRequest starts a request's server span, continuing the caller's
// trace when it sent a W3C traceparent, and returns the request carrying
// it. route is the mux pattern: "METHOD /path" or, for ingest, "/hooks/".
func (s *Server) startRequest(r *http.Request, route string) (*http.Request, trace.Span) {
	method, path, ok := strings.Cut(route, " ")
	if !ok {
		method, path = tracing.MethodName(r.Method), route
	}
	ctx := s.tracer.Extract(r.Context(), r.Header)
	ctx, span := s.tracer.Start(ctx, method+" "+path, trace.SpanKindServer)
	if span.IsRecording() {
		span.SetAttributes(tracing.Method(r.Method), semconv.HTTPRoute(path), semconv.URLScheme(scheme(r)),
			semconv.ClientAddress(clientIP(r)), semconv.UserAgentOriginal(r.UserAgent()))
	}
	return r.WithContext(ctx), span
}

// endRequest records the answer's status and ends the span; a 5xx is an
// error of the server's, a 4xx the caller's.
func endRequest(span trace.Span, status int) {
	if span.IsRecording() {
		span.SetAttributes(semconv.HTTPResponseStatusCode(status))
		if status >= 500 {
			tracing.Fail(span, http.StatusText(status))
		}
	}
	span.End()
}

func scheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	return "http"
}

// carryTrace stores with ev the trace context of the request that brought
// it, for its attempts and runs to continue.
func (s *Server) carryTrace(ctx context.Context, ev *hookhub.Event) {
	if s.tracer != nil {
		ev.TraceParent, ev.TraceState = tracing.Carry(ctx)
	}
}

// verify checks a request's signature in a span of its own.
func (s *Server) verify(r *http.Request, cs *cachedSource, ev *hookhub.Event, body []byte) error {
	_, span := s.tracer.Start(r.Context(), tracing.SpanVerify, trace.SpanKindInternal)
	defer span.End()
	err := s.verifyRequest(r, cs, body)
	if span.IsRecording() {
		result := ev.Verification.Result
		if err != nil {
			result = hookhub.VerifyFailed
			tracing.Fail(span, hookhub.ErrorMessage(err))
		}
		span.SetAttributes(tracing.AttrSourceID.String(cs.src.ID), tracing.AttrVerifyScheme.String(ev.Verification.Scheme),
			tracing.AttrVerifyResult.String(result))
	}
	return err
}

// route chooses an event's deliveries in a span of its own.
func (s *Server) route(ctx context.Context, choose func(context.Context) ([]*hookhub.Delivery, error)) ([]*hookhub.Delivery, error) {
	ctx, span := s.tracer.Start(ctx, tracing.SpanRoute, trace.SpanKindInternal)
	defer span.End()
	ds, err := choose(ctx)
	if span.IsRecording() {
		span.SetAttributes(tracing.AttrDeliveries.Int(len(ds)))
		if err != nil {
			tracing.Fail(span, err.Error())
		}
	}
	return ds, err
}

// commit hands ne to the committer in a span of its own, and names the
// stored event on the request's span.
func (s *Server) commit(ctx context.Context, ne *hookhub.NewEvent) error {
	cctx, span := s.tracer.Start(ctx, tracing.SpanCommit, trace.SpanKindInternal)
	defer span.End()
	err := s.committer.Submit(cctx, ne)
	if span.IsRecording() {
		ev := ne.Event
		span.SetAttributes(tracing.AttrEventID.String(ev.ID), tracing.AttrEventStatus.String(ev.Status),
			tracing.AttrDeliveries.Int(len(ne.Deliveries)), tracing.AttrRuns.Int(len(ne.Runs)))
		if err != nil {
			tracing.Fail(span, err.Error())
		}
		trace.SpanFromContext(ctx).SetAttributes(tracing.AttrEventID.String(ev.ID), tracing.AttrEventType.String(ev.Type),
			tracing.AttrEventStatus.String(ev.Status), tracing.AttrSourceID.String(ev.SourceID),
			tracing.AttrVerifyResult.String(ev.Verification.Result))
	}
	return err
}
