package workflow

import (
	"context"
	"net/http"

	"go.opentelemetry.io/otel/trace"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/tracing"
)

// startRun starts the span of this turn at the run: a child of the span
// that ingested the trigger event, so a run resumed after a delay or by
// another runner joins the same trace with a span of its own.
func (x *execution) startRun(ctx context.Context) (context.Context, trace.Span) {
	t := x.r.o.Tracer
	if t == nil {
		return ctx, noSpan
	}
	if x.trigger != nil {
		ctx = t.Resume(ctx, x.trigger.traceParent, x.trigger.traceState)
	}
	ctx, span := t.Start(ctx, tracing.SpanRun, trace.SpanKindInternal)
	if span.IsRecording() {
		span.SetAttributes(tracing.AttrRunID.String(x.run.ID), tracing.AttrWorkflowID.String(x.run.WorkflowID),
			tracing.AttrWorkflowVersion.Int(x.run.Version), tracing.AttrEventID.String(x.run.EventID))
	}
	return ctx, span
}

// noSpan is the span of tracing off.
var noSpan = trace.SpanFromContext(context.Background())

// endRun records where the run stands (succeeded, failed, waiting on a
// delay, or still running when this turn was cut short) and ends the span.
func (x *execution) endRun(span trace.Span) {
	if span.IsRecording() {
		span.SetAttributes(tracing.AttrRunStatus.String(x.run.Status))
		if x.run.Status == hookhub.RunFailed {
			span.SetAttributes(tracing.AttrNodeID.String(x.run.FailedNode))
			tracing.Fail(span, x.run.Error)
		}
	}
	span.End()
}

// startStep starts the span of the step at node id, under the run's.
func (x *execution) startStep(ctx context.Context, id string) (context.Context, trace.Span) {
	ctx, span := x.r.o.Tracer.Start(ctx, tracing.SpanStep, trace.SpanKindInternal)
	if span.IsRecording() {
		span.SetAttributes(tracing.AttrNodeID.String(id), tracing.AttrNodeType.String(x.c.Type(id)))
	}
	return ctx, span
}

// stepDone records a step's outcome on its span.
func stepDone(span trace.Span, st *hookhub.WorkflowStep) {
	if span.IsRecording() {
		span.SetAttributes(tracing.AttrStepStatus.String(st.Status))
		if st.Status == hookhub.StepFailed {
			tracing.Fail(span, st.Error)
		}
	}
}

func endStep(span trace.Span) { span.End() }

// carryTrace sends the step's trace context with an http_request node's
// request, so the service it calls continues the trace.
func carryTrace(ctx context.Context, h http.Header) {
	if parent, state := tracing.Carry(ctx); parent != "" {
		h.Set(tracing.HeaderTraceParent, parent)
		h.Del(tracing.HeaderTraceState)
		if state != "" {
			h.Set(tracing.HeaderTraceState, state)
		}
	}
}
