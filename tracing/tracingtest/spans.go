package tracingtest

import (
	"context"
	"fmt"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/hookhub/hookhub/tracing"
)

// Recorder is an in-process provider that keeps every ended span.
type Recorder struct {
	rec *tracetest.SpanRecorder
	tp  *sdktrace.TracerProvider
}

// NewRecorder returns a Recorder sampling every span; it shuts down with t.
func NewRecorder(t testing.TB) *Recorder {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec), sdktrace.WithSampler(sdktrace.AlwaysSample()))
	t.Cleanup(func() { tp.Shutdown(context.Background()) })
	return &Recorder{rec: rec, tp: tp}
}

// Provider is the Recorder as Hookhub's components take it.
func (r *Recorder) Provider() *tracing.Provider { return tracing.New(r.tp) }

// Tracer is the Recorder's tracer.
func (r *Recorder) Tracer() *tracing.Tracer { return r.Provider().Tracer() }

// Spans returns the spans ended so far, flattened as the Collector's.
func (r *Recorder) Spans() []Span {
	var out []Span
	for _, s := range r.rec.Ended() {
		sp := Span{
			TraceID: s.SpanContext().TraceID().String(), SpanID: s.SpanContext().SpanID().String(),
			Name: s.Name(), Kind: s.SpanKind(), Attrs: map[string]string{},
			Failed: s.Status().Code.String() == "Error", Message: s.Status().Description,
		}
		if s.Parent().IsValid() {
			sp.ParentID = s.Parent().SpanID().String()
		}
		for _, kv := range s.Attributes() {
			sp.Attrs[string(kv.Key)] = kv.Value.Emit()
		}
		for _, l := range s.Links() {
			sp.Links = append(sp.Links, Link{TraceID: l.SpanContext.TraceID().String(), SpanID: l.SpanContext.SpanID().String()})
		}
		out = append(out, sp)
	}
	return out
}

// Named returns the spans called name.
func Named(spans []Span, name string) []Span {
	var out []Span
	for _, s := range spans {
		if s.Name == name {
			out = append(out, s)
		}
	}
	return out
}

// One returns the one span called name with attribute key equal to value,
// failing t unless there is exactly one.
func One(t testing.TB, spans []Span, name, key, value string) Span {
	t.Helper()
	var found []Span
	for _, s := range Named(spans, name) {
		if key == "" || s.Attrs[key] == value {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d spans %s with %s=%s, want 1; have %s", len(found), name, key, value, names(spans))
	}
	return found[0]
}

// Children returns the spans whose parent is s.
func Children(spans []Span, s Span) []Span {
	var out []Span
	for _, c := range spans {
		if c.ParentID == s.SpanID && c.TraceID == s.TraceID {
			out = append(out, c)
		}
	}
	return out
}

func names(spans []Span) string {
	out := ""
	for i, s := range spans {
		if i > 0 {
			out += ", "
		}
		out += s.Name
	}
	return "[" + out + "]"
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
