// Package tracingtest helps test Hookhub's traces: a Collector that takes
// OTLP/HTTP exports as a real OpenTelemetry collector does, and a Recorder
// that keeps the spans of an in-process SDK provider.
package tracingtest

import (
	"compress/gzip"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/trace"
	collectorpb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// Span is one exported span, flattened for assertions.
type Span struct {
	TraceID, SpanID string // hex
	ParentID        string // hex; "" for a root span
	Name            string
	Kind            trace.SpanKind
	Attrs           map[string]string // values as text
	Links           []Link
	Failed          bool // status Error
	Message         string
	Service         string // the resource's service.name
}

// Link is a span link.
type Link struct{ TraceID, SpanID string }

// Collector is an OTLP/HTTP trace receiver on a local port. One made by
// NewDiscard only counts what it receives: a benchmark's sink.
type Collector struct {
	srv     *httptest.Server
	discard bool

	mu      sync.Mutex
	spans   []Span
	exports int
	count   int // spans received
	bad     []string
}

// NewCollector starts a collector; Close stops it.
func NewCollector() *Collector {
	c := &Collector{}
	c.srv = httptest.NewServer(http.HandlerFunc(c.serve))
	return c
}

// NewDiscard starts a collector that answers every export, counts its
// spans and keeps nothing.
func NewDiscard() *Collector {
	c := &Collector{discard: true}
	c.srv = httptest.NewServer(http.HandlerFunc(c.serve))
	return c
}

// Endpoint is the base URL for OTEL_EXPORTER_OTLP_ENDPOINT.
func (c *Collector) Endpoint() string { return c.srv.URL }

// Close stops the collector.
func (c *Collector) Close() { c.srv.Close() }

// Export points the process's OTLP exporter at the collector for the rest
// of t, over OTLP/HTTP, exporting every span without waiting for a batch
// to fill. t must not be parallel (the environment is the process's).
func (c *Collector) Export(t testing.TB) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", c.Endpoint())
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
	t.Setenv("OTEL_TRACES_SAMPLER", "parentbased_always_on")
	t.Setenv("OTEL_BSP_SCHEDULE_DELAY", "20")
}

// Spans returns the spans received so far, in arrival order. It fails t if
// an export could not be decoded.
func (c *Collector) Spans(t testing.TB) []Span {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.bad) > 0 {
		t.Fatalf("collector refused exports: %v", c.bad)
	}
	return append([]Span(nil), c.spans...)
}

// Exports counts the export requests received.
func (c *Collector) Exports() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.exports
}

// Count counts the spans received.
func (c *Collector) Count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.count
}

func countSpans(req *collectorpb.ExportTraceServiceRequest) int {
	n := 0
	for _, rs := range req.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			n += len(ss.Spans)
		}
	}
	return n
}

func (c *Collector) serve(w http.ResponseWriter, r *http.Request) {
	req, err := c.read(r)
	c.mu.Lock()
	c.exports++
	if err != nil {
		c.bad = append(c.bad, err.Error())
	} else if c.discard {
		c.count += countSpans(req)
	} else {
		spans := flatten(req)
		c.count += len(spans)
		c.spans = append(c.spans, spans...)
	}
	c.mu.Unlock()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	b, _ := proto.Marshal(&collectorpb.ExportTraceServiceResponse{})
	w.Header().Set("Content-Type", "application/x-protobuf")
	w.Write(b)
}

func (c *Collector) read(r *http.Request) (*collectorpb.ExportTraceServiceRequest, error) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/traces" {
		return nil, errorf("%s %s is not an OTLP traces export", r.Method, r.URL.Path)
	}
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			return nil, err
		}
		body = zr
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		return nil, err
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-protobuf" {
		return nil, errorf("content type %q, want application/x-protobuf", ct)
	}
	var req collectorpb.ExportTraceServiceRequest
	if err := proto.Unmarshal(raw, &req); err != nil {
		return nil, err
	}
	return &req, nil
}

func flatten(req *collectorpb.ExportTraceServiceRequest) []Span {
	var out []Span
	for _, rs := range req.ResourceSpans {
		service := attrs(rs.GetResource().GetAttributes())["service.name"]
		for _, ss := range rs.ScopeSpans {
			for _, s := range ss.Spans {
				out = append(out, span(s, service))
			}
		}
	}
	return out
}

func span(s *tracepb.Span, service string) Span {
	sp := Span{
		TraceID: hex.EncodeToString(s.TraceId), SpanID: hex.EncodeToString(s.SpanId),
		ParentID: hex.EncodeToString(s.ParentSpanId), Name: s.Name, Kind: trace.SpanKind(s.Kind),
		Attrs: attrs(s.Attributes), Service: service,
		Failed: s.GetStatus().GetCode() == tracepb.Status_STATUS_CODE_ERROR, Message: s.GetStatus().GetMessage(),
	}
	for _, l := range s.Links {
		sp.Links = append(sp.Links, Link{TraceID: hex.EncodeToString(l.TraceId), SpanID: hex.EncodeToString(l.SpanId)})
	}
	return sp
}

func attrs(kvs []*commonpb.KeyValue) map[string]string {
	out := make(map[string]string, len(kvs))
	for _, kv := range kvs {
		out[kv.Key] = text(kv.Value)
	}
	return out
}

func text(v *commonpb.AnyValue) string {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return x.StringValue
	case *commonpb.AnyValue_IntValue:
		return strconv.FormatInt(x.IntValue, 10)
	case *commonpb.AnyValue_BoolValue:
		return strconv.FormatBool(x.BoolValue)
	case *commonpb.AnyValue_DoubleValue:
		return strconv.FormatFloat(x.DoubleValue, 'g', -1, 64)
	}
	return v.String()
}
