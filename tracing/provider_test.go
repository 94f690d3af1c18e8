package tracing_test

import (
	"context"
	"log/slog"
	"net"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/trace"
	collectorpb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc"

	"github.com/hookhub/hookhub/tracing"
	"github.com/hookhub/hookhub/tracing/tracingtest"
)

// The provider exports to the collector the OTEL_* variables name, under
// the service name they give, and Shutdown flushes what is buffered.
func TestStartExportsAsTheEnvironmentSays(t *testing.T) {
	c := tracingtest.NewCollector()
	defer c.Close()
	c.Export(t)
	t.Setenv("OTEL_BSP_SCHEDULE_DELAY", "600000") // only Shutdown flushes
	t.Setenv("OTEL_SERVICE_NAME", "hookhub-test")
	p, err := tracing.Start(context.Background(), "1.2.3", slog.New(slog.DiscardHandler))
	if err != nil || p == nil {
		t.Fatalf("Start = %v, %v", p, err)
	}
	_, span := p.Tracer().Start(context.Background(), "work", trace.SpanKindInternal)
	span.End()
	if err := p.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := tracingtest.One(t, c.Spans(t), "work", "", "")
	if s.Service != "hookhub-test" {
		t.Errorf("service.name %q, want hookhub-test", s.Service)
	}
}

func TestStartOffWithoutEndpoint(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "")
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "")
	t.Setenv("OTEL_TRACES_EXPORTER", "")
	p, err := tracing.Start(context.Background(), "1.2.3", slog.New(slog.DiscardHandler))
	if err != nil || p != nil {
		t.Fatalf("Start = %v, %v; want no provider", p, err)
	}
}

func TestStartRefusesABadSetting(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
	t.Setenv("OTEL_TRACES_SAMPLER", "sometimes")
	if _, err := tracing.Start(context.Background(), "1.2.3", slog.New(slog.DiscardHandler)); err == nil {
		t.Fatal("a bad sampler started")
	}
}

// grpcCollector is an OTLP/gRPC trace receiver keeping span names.
type grpcCollector struct {
	collectorpb.UnimplementedTraceServiceServer
	mu    sync.Mutex
	names []string
}

func (g *grpcCollector) Export(_ context.Context, req *collectorpb.ExportTraceServiceRequest) (*collectorpb.ExportTraceServiceResponse, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, rs := range req.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			for _, s := range ss.Spans {
				g.names = append(g.names, s.Name)
			}
		}
	}
	return &collectorpb.ExportTraceServiceResponse{}, nil
}

// OTEL_EXPORTER_OTLP_PROTOCOL=grpc exports over OTLP/gRPC.
func TestStartExportsOverGRPC(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	col := &grpcCollector{}
	srv := grpc.NewServer()
	collectorpb.RegisterTraceServiceServer(srv, col)
	go srv.Serve(ln)
	defer srv.Stop()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://"+ln.Addr().String())
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
	p, err := tracing.Start(context.Background(), "1.2.3", slog.New(slog.DiscardHandler))
	if err != nil || p == nil {
		t.Fatalf("Start = %v, %v", p, err)
	}
	_, span := p.Tracer().Start(context.Background(), "over grpc", trace.SpanKindInternal)
	span.End()
	if err := p.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	col.mu.Lock()
	defer col.mu.Unlock()
	if len(col.names) != 1 || col.names[0] != "over grpc" {
		t.Errorf("collector received %v", col.names)
	}
}
