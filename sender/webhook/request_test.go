package webhook

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/sender"
)

func TestBuildRequestMasksSecrets(t *testing.T) {
	t.Parallel()
	dest := &hookhub.Destination{
		ID: "dst_1", URL: "http://example.com/hook",
		Headers: map[string]string{"authorization": "Bearer top-secret"},
		Signing: hookhub.SigningConfig{Scheme: hookhub.SignHubSignature, Secret: "shh"},
	}
	ev := &hookhub.Event{ID: "evt_1", Type: "push", Body: []byte(`{"a":1}`), Headers: map[string][]string{
		"x-github-event": {"push"}, "Content-Length": {"7"}, "X-Hookhub-Delivery": {"forged"},
	}}
	d := &hookhub.Delivery{ID: "dlv_1"}
	m := &sender.Message{Delivery: d, Event: ev, Destination: dest, Forward: []string{"X-GitHub-Event", "content-length", "X-Hookhub-Delivery"}, Now: time.Unix(1700000000, 0)}
	out, err := buildRequest(context.Background(), "Hookhub/test", m)
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header(out.recorded)
	if h.Get("Authorization") != masked || h.Get("X-Hub-Signature-256") != masked {
		t.Errorf("secrets not masked: %v", out.recorded)
	}
	if out.req.Header.Get("Authorization") != "Bearer top-secret" || out.req.Header.Get("X-Hub-Signature-256") == masked {
		t.Errorf("request must carry the real values: %v", out.req.Header)
	}
	if h.Get(HeaderDelivery) != "dlv_1" || h.Get(HeaderEvent) != "push" || h.Get(HeaderTimestamp) != "2023-11-14T22:13:20Z" {
		t.Errorf("recorded headers: %v", out.recorded)
	}
	if out.req.Header.Get("X-Github-Event") != "push" || out.req.Header.Get("Content-Length") != "" {
		t.Errorf("forwarded headers: %v", out.req.Header)
	}
	if out.req.Method != http.MethodPost {
		t.Errorf("method %s, want POST", out.req.Method)
	}
}

// The attempt's trace context replaces the one the event's sender sent,
// when the source forwards it; without one, forwarded headers pass as they
// came.
func TestBuildRequestTraceContext(t *testing.T) {
	t.Parallel()
	const ours = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	ev := &hookhub.Event{ID: "evt_1", Type: "push", Body: []byte(`{}`), Headers: map[string][]string{
		"Traceparent": {"00-11111111111111111111111111111111-2222222222222222-01"}, "Tracestate": {"theirs=1"},
	}}
	dest := &hookhub.Destination{ID: "dst_1", URL: "http://example.com/hook", Signing: hookhub.SigningConfig{Scheme: hookhub.SignNone}}
	cases := []struct {
		name, parent, state   string
		wantParent, wantState string
	}{
		{"ours with state", ours, "vendor=abc", ours, "vendor=abc"},
		{"ours without state", ours, "", ours, ""},
		{"tracing off", "", "", ev.Headers["Traceparent"][0], "theirs=1"},
	}
	for _, c := range cases {
		m := &sender.Message{Delivery: &hookhub.Delivery{ID: "dlv_1"}, Event: ev, Destination: dest,
			Forward: []string{"traceparent", "tracestate"}, Now: time.Unix(1700000000, 0), TraceParent: c.parent, TraceState: c.state}
		out, err := buildRequest(context.Background(), "Hookhub/test", m)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range []http.Header{out.req.Header, http.Header(out.recorded)} {
			if h.Get("Traceparent") != c.wantParent || h.Get("Tracestate") != c.wantState {
				t.Errorf("%s: traceparent %q tracestate %q, want %q and %q", c.name, h.Get("Traceparent"), h.Get("Tracestate"), c.wantParent, c.wantState)
			}
		}
	}
}
