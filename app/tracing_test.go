package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/hookhub/hookhub/config"
	"github.com/hookhub/hookhub/secret"
	"github.com/hookhub/hookhub/tracing"
	"github.com/hookhub/hookhub/tracing/tracingtest"
)

// The sender's trace: the ingest continues it.
const (
	senderTrace  = "4bf92f3577b34da6a3ce929d0e0e4736"
	senderSpan   = "00f067aa0ba902b7"
	senderParent = "00-" + senderTrace + "-" + senderSpan + "-01"
)

// A webhook's trace, exported by a running Hookhub to a collector named by
// the OTEL_* variables: the ingest span continues the sender's traceparent
// and has verify, route and commit children; the delivery attempt is a
// child of the ingest span, and the receiver gets the attempt's span as its
// traceparent.
func TestTraceOfAWebhook(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		col := tracingtest.NewCollector()
		defer col.Close()
		col.Export(t)
		h := startHub(t, dbURL(t))
		sink := newSink(t)
		dst := h.createDestination("traced", sink.srv.URL, nil)
		eventually(t, "the ping", func() bool { return len(sink.withEvent("ping")) == 1 })
		gh := presetCases(t)[0]
		var src source
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "gh", "type": gh.typ, "content_types": []string{"text/plain"},
			"verification": map[string]any{"scheme": gh.typ, "secret": gh.secret}, "destination_ids": []string{dst.ID}}, &src)
		headers := map[string]string{"Traceparent": senderParent, "Tracestate": "sender=1"}
		for k, v := range gh.headers {
			headers[k] = v
		}
		if code, body := h.post("/hooks/"+src.Key, headers, []byte(gh.body)); code != 200 {
			t.Fatalf("ingest: %d %s", code, body)
		}
		if code, _ := h.post("/hooks/"+src.Key, gh.headers, []byte(gh.body+"!")); code != 401 {
			t.Fatalf("tampered body: %d, want 401", code)
		}
		eventually(t, "the push", func() bool { return len(sink.withEvent("push")) == 1 })
		got := sink.withEvent("push")[0]
		dl := h.delivery(got.header.Get("X-Hookhub-Delivery"))
		ping := sink.withEvent("ping")[0]
		closeHub(t, h) // flushes every span
		spans := col.Spans(t)

		ingest := tracingtest.One(t, spans, "POST /hooks/", string(tracing.AttrEventID), dl.EventID)
		if ingest.TraceID != senderTrace || ingest.ParentID != senderSpan || ingest.Kind != trace.SpanKindServer ||
			ingest.Service != "hookhub" {
			t.Errorf("ingest span: trace %s parent %s kind %v service %q; want the sender's trace and span, server, hookhub",
				ingest.TraceID, ingest.ParentID, ingest.Kind, ingest.Service)
		}
		wantAttrs(t, "ingest span", ingest, map[string]string{"http.response.status_code": "200", "http.request.method": "POST",
			"http.route": "/hooks/", string(tracing.AttrSourceID): src.ID, string(tracing.AttrEventStatus): "accepted",
			string(tracing.AttrEventType): "push"})
		kids := map[string]tracingtest.Span{}
		for _, c := range tracingtest.Children(spans, ingest) {
			kids[c.Name] = c
		}
		wantAttrs(t, "verify span", kids[tracing.SpanVerify], map[string]string{string(tracing.AttrVerifyResult): "verified"})
		wantAttrs(t, "route span", kids[tracing.SpanRoute], map[string]string{string(tracing.AttrDeliveries): "1"})
		wantAttrs(t, "commit span", kids[tracing.SpanCommit], map[string]string{string(tracing.AttrEventID): dl.EventID})

		attempt := tracingtest.One(t, spans, tracing.SpanAttempt, string(tracing.AttrDeliveryID), dl.ID)
		if attempt.TraceID != senderTrace || attempt.ParentID != ingest.SpanID || attempt.Kind != trace.SpanKindClient {
			t.Errorf("attempt span: trace %s parent %s kind %v; want a client span under the ingest span %s",
				attempt.TraceID, attempt.ParentID, attempt.Kind, ingest.SpanID)
		}
		wantAttrs(t, "attempt span", attempt, map[string]string{string(tracing.AttrAttemptOutcome): "success",
			"http.response.status_code": "200", string(tracing.AttrDestinationID): dst.ID, "server.address": "127.0.0.1"})
		if _, ok := attempt.Attrs[string(tracing.AttrAttemptTarget)]; ok {
			t.Errorf("a webhook attempt span names its URL: %v", attempt.Attrs)
		}
		if tp, want := got.header.Get("Traceparent"), "00-"+senderTrace+"-"+attempt.SpanID+"-01"; tp != want ||
			got.header.Get("Tracestate") != "sender=1" {
			t.Errorf("receiver got traceparent %q tracestate %q, want %q and sender=1", tp, got.header.Get("Tracestate"), want)
		}

		// The tampered request: its own trace, a failed verify, the
		// rejected event committed.
		var rejected tracingtest.Span
		for _, s := range tracingtest.Named(spans, "POST /hooks/") {
			if s.Attrs[string(tracing.AttrEventStatus)] == "rejected" {
				rejected = s
			}
		}
		if rejected.ParentID != "" || rejected.Attrs["http.response.status_code"] != "401" || rejected.Failed {
			t.Errorf("rejected request's span: %+v; want a root answered 401, not a server error", rejected)
		}
		for _, c := range tracingtest.Children(spans, rejected) {
			if c.Name == tracing.SpanVerify && (!c.Failed || c.Attrs[string(tracing.AttrVerifyResult)] != "failed") {
				t.Errorf("verify span of the tampered request: %+v", c)
			}
		}

		// The ping is in the trace of the request that created the
		// destination.
		create := tracingtest.One(t, spans, "POST /api/v1/destinations", "", "")
		pingAttempt := tracingtest.One(t, spans, tracing.SpanAttempt, string(tracing.AttrDeliveryID), ping.header.Get("X-Hookhub-Delivery"))
		if pingAttempt.ParentID != create.SpanID || pingAttempt.TraceID != create.TraceID {
			t.Errorf("ping attempt under %s in trace %s, want under the create request's span %s", pingAttempt.ParentID, pingAttempt.TraceID, create.SpanID)
		}
	})
}

// closeHub stops a hub now (its cleanup then does nothing), so every span
// it made is exported.
func closeHub(t *testing.T, h *testHub) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.main.Close(ctx); err != nil {
		t.Fatalf("close: %v", err)
	}
}

func wantAttrs(t *testing.T, what string, s tracingtest.Span, want map[string]string) {
	t.Helper()
	if s.SpanID == "" {
		t.Errorf("%s: missing", what)
		return
	}
	for k, v := range want {
		if s.Attrs[k] != v {
			t.Errorf("%s: %s = %q, want %q (all: %v)", what, k, s.Attrs[k], v, s.Attrs)
		}
	}
}

// A workflow run's trace, exported by a running Hookhub: the run is a span
// under the webhook's ingest span with a child per step, and the deliver
// node's attempt is a child of that step, all in the sender's trace.
func TestTraceOfAWorkflowRun(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		col := tracingtest.NewCollector()
		defer col.Close()
		col.Export(t)
		h := startHub(t, dbURL(t))
		recv := newSink(t)
		dst := h.createDestination("orders", recv.srv.URL, nil)
		var wf workflowOut
		h.mustAPI(201, "POST", "/api/v1/workflows", map[string]any{
			"name": "orders", "start": "check",
			"nodes": []map[string]any{
				{"id": "check", "type": "condition", "expression": "trigger.body.total > 100", "then": "send", "else": "send"},
				{"id": "send", "type": "deliver", "destination_id": dst.ID, "event_type": "order.big"},
			},
		}, &wf)
		code, hdr, _ := hook(t, "POST", wf.URL, map[string]string{"Content-Type": "application/json", "Traceparent": senderParent}, `{"total": 250}`)
		if code != 200 && code != 202 {
			t.Fatalf("webhook: %d", code)
		}
		runID := hdr.Get("X-Hookhub-Run-Id")
		h.waitRun(wf.ID, runID, "succeeded")
		eventually(t, "the delivery", func() bool { return len(recv.withEvent("order.big")) == 1 })
		got := recv.withEvent("order.big")[0]
		closeHub(t, h)
		spans := col.Spans(t)

		ingest := tracingtest.One(t, spans, "POST /hooks/", string(tracing.AttrEventID), hdr.Get("X-Hookhub-Event-Id"))
		run := tracingtest.One(t, spans, tracing.SpanRun, string(tracing.AttrRunID), runID)
		if ingest.TraceID != senderTrace || run.TraceID != senderTrace || run.ParentID != ingest.SpanID {
			t.Fatalf("run span in trace %s under %s; ingest span %s in trace %s; want both in the sender's trace %s",
				run.TraceID, run.ParentID, ingest.SpanID, ingest.TraceID, senderTrace)
		}
		wantAttrs(t, "run span", run, map[string]string{string(tracing.AttrWorkflowID): wf.ID,
			string(tracing.AttrRunStatus): "succeeded"})
		steps := map[string]tracingtest.Span{}
		for _, s := range tracingtest.Children(spans, run) {
			steps[s.Attrs[string(tracing.AttrNodeID)]] = s
		}
		if len(steps) != 2 || steps["check"].Name != tracing.SpanStep || steps["send"].Name != tracing.SpanStep {
			t.Fatalf("steps under the run span: %+v", steps)
		}
		attempt := tracingtest.One(t, spans, tracing.SpanAttempt, string(tracing.AttrDeliveryID), got.header.Get("X-Hookhub-Delivery"))
		if attempt.TraceID != senderTrace || attempt.ParentID != steps["send"].SpanID {
			t.Errorf("attempt span under %s, want under the deliver step %s", attempt.ParentID, steps["send"].SpanID)
		}
		if tp := got.header.Get("Traceparent"); tp != "00-"+senderTrace+"-"+attempt.SpanID+"-01" {
			t.Errorf("receiver got traceparent %q", tp)
		}
	})
}

// A tracing setting Hookhub cannot honour stops the start, naming the
// variable, before anything listens.
func TestBadTracingSettingStopsStart(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")
	_, full := secret.NewAPIKey()
	m := &Main{Config: &config.Config{Listen: "127.0.0.1:0", DataDir: t.TempDir(), AdminAPIKey: config.Secret(full),
		ShutdownTimeout: time.Second}, hashPassword: quickHash}
	err := m.Run(context.Background())
	if err == nil {
		m.Close(context.Background())
		t.Fatal("started with an unsupported OTLP protocol")
	}
	if !strings.Contains(err.Error(), "OTEL_EXPORTER_OTLP_PROTOCOL") {
		t.Errorf("error %q does not name the variable", err)
	}
	if m.listener != nil {
		t.Error("listening after a failed start")
	}
}
