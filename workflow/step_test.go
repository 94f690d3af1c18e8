package workflow

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/ingest"
)

func mustCompile(t *testing.T, w *hookhub.Workflow) *Compiled {
	t.Helper()
	w.SetDefaults()
	c, err := Compile(w)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func triggerOf(t *testing.T, c *Compiled, body string) *Trigger {
	t.Helper()
	ev := &hookhub.Event{ID: "evt_1", Type: "payment", RawQuery: "query[0][a]=1&x=y",
		Headers: map[string][]string{"Content-Type": {"application/json"}, "X-Request-Id": {"req-7"}}, Body: []byte(body)}
	return c.NewTrigger(ev, nil)
}

func TestStepSeed002(t *testing.T) {
	c := mustCompile(t, seed002())
	tests := []struct {
		body       string
		next       string
		status     int
		answerBody string
	}{
		{`{"status": "paid", "order_id": 1234}`, "ok", 200, `{"result": "success", "order": 1234}`},
		{`{"status": "open", "order_id": 1234}`, "fail", 422, `{"result": "failure"}`},
	}
	for _, tt := range tests {
		trig := triggerOf(t, c, tt.body)
		p, err := c.Step(context.Background(), "check", trig, nil)
		if err != nil || p.Next != tt.next || p.Effect != nil {
			t.Fatalf("check on %s: %+v, %v; want next %q", tt.body, p, err, tt.next)
		}
		p, err = c.Step(context.Background(), p.Next, trig, map[string]any{"check": p.Output})
		if err != nil {
			t.Fatal(err)
		}
		r, ok := p.Effect.(Respond)
		if !ok || r.Status != tt.status || string(r.Body) != tt.answerBody || r.Headers["Content-Type"] != "application/json" {
			t.Errorf("%s answers %+v (body %s), want %d %s", tt.next, p.Effect, r.Body, tt.status, tt.answerBody)
		}
	}
}

func TestStepFailsOnMissingField(t *testing.T) {
	c := mustCompile(t, seed002())
	_, err := c.Step(context.Background(), "check", triggerOf(t, c, `{"order_id": 1}`), nil)
	if err == nil || !strings.Contains(err.Error(), "expression: evaluation failed: no such key: status") {
		t.Errorf("err = %v", err)
	}
}

func TestTriggerVariables(t *testing.T) {
	w := seed002()
	w.Trigger.Parse = hookhub.Parse{
		Headers: []hookhub.Variable{{Path: "X-Request-Id", Alias: "request_id"}},
		Query:   []hookhub.Variable{{Path: "query[0].a", Alias: "a"}, {Path: "x"}},
		Body:    []hookhub.Variable{{Path: "b.c", Alias: "c"}, {Path: "a"}},
	}
	c := mustCompile(t, w)
	trig := triggerOf(t, c, `{"a": 1, "b": {"c": 2}, "status": "paid"}`)
	wantVars := map[string]any{"request_id": "req-7", "a": 1.0, "x": "y", "c": 2.0}
	if !reflect.DeepEqual(trig.Vars, wantVars) {
		t.Errorf("vars = %v, want %v", trig.Vars, wantVars)
	}
	if got := trig.Query["query"]; !reflect.DeepEqual(got, []any{map[string]any{"a": "1"}}) {
		t.Errorf("query.query = %v", got)
	}
	if trig.Headers["x-request-id"] != "req-7" || trig.EventID != "evt_1" || trig.EventType != "payment" {
		t.Errorf("trigger = %+v", trig)
	}
}

func TestTriggerSameFromStoredEvent(t *testing.T) {
	c := mustCompile(t, seed002())
	ev := &hookhub.Event{ID: "evt_1", Headers: map[string][]string{"Content-Type": {"application/json"}},
		Body: []byte(`{"status": "paid", "n": 12345678901234567890, "f": 1.5}`)}
	fromRequest := c.NewTrigger(ev, ingest.NewBody(ev.Body, "application/json"))
	fromStore := c.NewTrigger(ev, nil)
	if !reflect.DeepEqual(fromRequest, fromStore) {
		t.Errorf("request trigger %+v differs from stored %+v", fromRequest, fromStore)
	}
}

func TestStepNodes(t *testing.T) {
	w := &hookhub.Workflow{Name: "w", Trigger: hookhub.Trigger{Mode: hookhub.WorkflowAsync}, Start: "shape", Nodes: []hookhub.Node{
		{ID: "shape", Type: hookhub.NodeTransform, Output: `{"id": {{ trigger.body.order_id }}, "who": "{{ trigger.headers['x-request-id'] }}"}`, Next: "call"},
		{ID: "call", Type: hookhub.NodeHTTPRequest, URL: "https://api.example.com/orders/{{ nodes.shape.output.id }}",
			Headers: map[string]string{"Authorization": "Bearer s3cret"}, Body: `{"order": {{ nodes.shape.output }}}`, Next: "send"},
		{ID: "send", Type: hookhub.NodeDeliver, DestinationID: "dst_1", Next: "page"},
		{ID: "page", Type: hookhub.NodeIncident, Title: "Order {{ nodes.shape.output.id }} failed", Severity: "high", Next: "wait"},
		{ID: "wait", Type: hookhub.NodeDelay, Seconds: 90},
	}}
	c := mustCompile(t, w)
	trig := triggerOf(t, c, `{"order_id": 1234}`)
	ctx := context.Background()
	p, err := c.Step(ctx, "shape", trig, nil)
	if err != nil || p.Next != "call" || !reflect.DeepEqual(p.Output, map[string]any{"id": 1234.0, "who": "req-7"}) {
		t.Fatalf("transform: %+v, %v", p, err)
	}
	outputs := map[string]any{"shape": p.Output}
	p, err = c.Step(ctx, "call", trig, outputs)
	req, ok := p.Effect.(HTTPRequest)
	if err != nil || !ok || req.Method != "POST" || req.URL != "https://api.example.com/orders/1234" ||
		string(req.Body) != `{"order": {"id":1234,"who":"req-7"}}` || req.Headers["Authorization"] != "Bearer s3cret" ||
		req.Headers["Content-Type"] != "application/json" || req.Timeout != 10*time.Second {
		t.Fatalf("http_request: %+v (body %s), %v", p.Effect, req.Body, err)
	}
	if in := p.Input.(map[string]any); in["headers"].(map[string]string)["Authorization"] != masked {
		t.Errorf("the step input shows a header value: %v", in["headers"])
	}
	p, err = c.Step(ctx, "send", trig, outputs)
	if d, ok := p.Effect.(Deliver); err != nil || !ok || d.DestinationID != "dst_1" || d.EventType != "payment" || d.Payload != nil {
		t.Fatalf("deliver: %+v, %v", p.Effect, err)
	}
	p, err = c.Step(ctx, "page", trig, outputs)
	if in, ok := p.Effect.(Incident); err != nil || !ok || in != (Incident{Action: ActionOpen, Title: "Order 1234 failed", Severity: "high", Fingerprint: "Order 1234 failed"}) {
		t.Fatalf("incident: %+v, %v", p.Effect, err)
	}
	p, err = c.Step(ctx, "wait", trig, outputs)
	if wt, ok := p.Effect.(Wait); err != nil || !ok || wt.Duration != 90*time.Second || p.Next != "" {
		t.Fatalf("delay: %+v, %v", p, err)
	}
}

func TestStepRefusesRenderedBadURL(t *testing.T) {
	w := &hookhub.Workflow{Name: "w", Start: "call", Nodes: []hookhub.Node{
		{ID: "call", Type: hookhub.NodeHTTPRequest, URL: "{{ trigger.body.url }}"},
	}}
	c := mustCompile(t, w)
	_, err := c.Step(context.Background(), "call", triggerOf(t, c, `{"url": "file:///etc/passwd"}`), nil)
	if err == nil || !strings.Contains(err.Error(), "url: destination URL must start with http") {
		t.Errorf("err = %v", err)
	}
}

func TestHTTPOutput(t *testing.T) {
	req := HTTPRequest{Method: "GET", URL: "https://x"}
	resp := &HTTPResponse{Status: 200, Headers: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"ok": true}`)}
	out, err := httpOutput(req, resp)
	want := map[string]any{"status": 200, "headers": map[string]string{"content-type": "application/json"}, "body": `{"ok": true}`, "json": map[string]any{"ok": true}}
	if err != nil || !reflect.DeepEqual(out, want) {
		t.Errorf("2xx: %v, %v", out, err)
	}
	resp.Status = 503
	if _, err := httpOutput(req, resp); err == nil || !strings.Contains(err.Error(), "answered 503") {
		t.Errorf("503 without accept_any_status: err = %v", err)
	}
	req.AcceptAnyStatus = true
	if out, err := httpOutput(req, resp); err != nil || out.(map[string]any)["status"] != 503 {
		t.Errorf("503 with accept_any_status: %v, %v", out, err)
	}
}

func TestParseSample(t *testing.T) {
	s, err := ParseSample("http://localhost:13000/api/webhook:trigger/1hfmkioou0d?query[0][a]=1&b=2",
		map[string]string{"X-Request-Id": "r1"}, []byte(`{"a": 1, "b": {"c": 2}}`))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(s)
	want := `{"Headers":[{"Path":"X-Request-Id","Value":"r1"}],` +
		`"Query":[{"Path":"b","Value":"2"},{"Path":"query","Value":[{"a":"1"}]},{"Path":"query[0]","Value":{"a":"1"}},{"Path":"query[0].a","Value":"1"}],` +
		`"Body":[{"Path":"a","Value":1},{"Path":"b","Value":{"c":2}},{"Path":"b.c","Value":2}]}`
	if string(got) != want {
		t.Errorf("sample =\n%s\nwant\n%s", got, want)
	}
	if _, err := ParseSample("a=1", nil, []byte(`{"a":`)); hookhub.ErrorCode(err) != hookhub.EINVALID {
		t.Errorf("bad JSON: err = %v", err)
	}
	if s, err := ParseSample("?x=1", nil, nil); err != nil || len(s.Query) != 1 {
		t.Errorf("query only: %+v, %v", s, err)
	}
}
