package app

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// workflowOut is the part of a workflow's JSON the tests read.
type workflowOut struct {
	ID       string `json:"id"`
	URL      string `json:"url"`
	SourceID string `json:"source_id"`
	Version  int    `json:"version"`
	Nodes    []struct {
		ID      string            `json:"id"`
		Headers map[string]string `json:"headers"`
	} `json:"nodes"`
	Trigger struct {
		Auth struct {
			Scheme    string `json:"scheme"`
			Username  string `json:"username"`
			SecretSet bool   `json:"secret_set"`
		} `json:"auth"`
	} `json:"trigger"`
}

type runOut struct {
	ID         string `json:"id"`
	Status     string `json:"status"`
	EventID    string `json:"event_id"`
	RerunOf    string `json:"rerun_of"`
	Error      string `json:"error"`
	FailedNode string `json:"failed_node"`
	Steps      []struct {
		Node   string `json:"node"`
		Status string `json:"status"`
		Output any    `json:"output"`
		Error  string `json:"error"`
	} `json:"steps"`
}

// seed002 is seed 002's example, with Basic auth.
func seed002() map[string]any {
	return map[string]any{
		"name": "Payment callback",
		"trigger": map[string]any{
			"mode":  "sync",
			"auth":  map[string]any{"scheme": "basic", "username": "shop", "password": "s3cret"},
			"parse": map[string]any{"body": []map[string]any{{"path": "order_id", "alias": "order"}}},
		},
		"start": "check",
		"nodes": []map[string]any{
			{"id": "check", "type": "condition", "expression": "trigger.body.status == 'paid'", "then": "ok", "else": "fail"},
			{"id": "ok", "type": "respond", "status": 200, "body": `{"result": "success", "order": {{ trigger.vars.order }}}`},
			{"id": "fail", "type": "respond", "status": 422, "body": `{"result": "failure", "status": {{ trigger.body.status }}}`},
		},
	}
}

func basicAuth(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// hook posts a webhook to a URL and returns the status, headers and body.
func hook(t *testing.T, method, url string, headers map[string]string, body string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, resp.Header, b.String()
}

// waitRun waits until a run of a workflow reaches status.
func (h *testHub) waitRun(wfID, runID, status string) runOut {
	h.t.Helper()
	var run runOut
	eventually(h.t, "run "+runID+" "+status, func() bool {
		h.mustAPI(200, "GET", "/api/v1/workflows/"+wfID+"/runs/"+runID, nil, &run)
		return run.Status == status
	})
	return run
}

func TestWorkflowSeed002Sync(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		var wf workflowOut
		h.mustAPI(201, "POST", "/api/v1/workflows", seed002(), &wf)
		if wf.Trigger.Auth.Scheme != "basic" || wf.Trigger.Auth.Username != "shop" || !wf.Trigger.Auth.SecretSet {
			t.Fatalf("trigger.auth = %+v", wf.Trigger.Auth)
		}
		auth := map[string]string{"Content-Type": "application/json", "Authorization": basicAuth("shop", "s3cret")}

		code, hdr, body := hook(t, "POST", wf.URL, auth, `{"status": "paid", "order_id": 1234}`)
		if code != 200 || body != `{"result": "success", "order": 1234}` || hdr.Get("Content-Type") != "application/json" {
			t.Fatalf("paid: %d %q %v", code, body, hdr)
		}
		paidRun := hdr.Get("X-Hookhub-Run-Id")
		code, _, body = hook(t, "POST", wf.URL, auth, `{"status": "refused", "order_id": 1235}`)
		if code != 422 || body != `{"result": "failure", "status": "refused"}` {
			t.Fatalf("refused: %d %q", code, body)
		}

		run := h.waitRun(wf.ID, paidRun, "succeeded")
		if len(run.Steps) != 2 || run.Steps[0].Node != "check" || run.Steps[1].Node != "ok" {
			t.Fatalf("steps = %+v", run.Steps)
		}
		// The webhooks are the source's events: verified, in the inspector,
		// with the trigger's variables.
		evs := h.events("source_id=" + wf.SourceID)
		if len(evs) != 2 || evs[1].Verification.Result != "verified" || evs[1].Variables["order"] != 1234.0 || evs[1].ID != run.EventID {
			t.Fatalf("events = %+v", evs)
		}
		var runs list[runOut]
		h.mustAPI(200, "GET", "/api/v1/workflows/"+wf.ID+"/runs", nil, &runs)
		if len(runs.Data) != 2 {
			t.Fatalf("runs = %+v", runs.Data)
		}
	})
}

func TestWorkflowBadInput(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		var wf workflowOut
		h.mustAPI(201, "POST", "/api/v1/workflows", seed002(), &wf)
		good := basicAuth("shop", "s3cret")
		tests := []struct {
			name    string
			method  string
			headers map[string]string
			body    string
			want    int
		}{
			{"wrong method", "GET", map[string]string{"Authorization": good}, "", 405},
			{"missing auth", "POST", map[string]string{"Content-Type": "application/json"}, `{}`, 401},
			{"wrong auth", "POST", map[string]string{"Content-Type": "application/json", "Authorization": basicAuth("shop", "nope")}, `{}`, 401},
			{"not JSON", "POST", map[string]string{"Content-Type": "text/xml", "Authorization": good}, `<a/>`, 415},
			{"malformed JSON", "POST", map[string]string{"Content-Type": "application/json", "Authorization": good}, `{"status":`, 400},
			{"oversized", "POST", map[string]string{"Content-Type": "application/json", "Authorization": good}, `{"a":"` + strings.Repeat("x", 1<<20) + `"}`, 413},
		}
		for _, tt := range tests {
			code, hdr, body := hook(t, tt.method, wf.URL, tt.headers, tt.body)
			var e struct {
				Error struct{ Code, Message string }
			}
			if code != tt.want || json.Unmarshal([]byte(body), &e) != nil || e.Error.Message == "" {
				t.Errorf("%s: %d %q, want %d with a JSON error", tt.name, code, body, tt.want)
			}
			if tt.want == 405 && hdr.Get("Allow") != "POST" {
				t.Errorf("%s: Allow %q", tt.name, hdr.Get("Allow"))
			}
			if tt.want == 401 && !strings.HasPrefix(hdr.Get("WWW-Authenticate"), "Basic") {
				t.Errorf("%s: WWW-Authenticate %q", tt.name, hdr.Get("WWW-Authenticate"))
			}
		}
		var runs list[runOut]
		h.mustAPI(200, "GET", "/api/v1/workflows/"+wf.ID+"/runs", nil, &runs)
		if len(runs.Data) != 0 {
			t.Errorf("bad requests started runs: %+v", runs.Data)
		}

		var sources list[source]
		h.mustAPI(200, "GET", "/api/v1/sources", nil, &sources)
		before := len(sources.Data)
		invalid := []struct {
			change func(w map[string]any)
			want   string
		}{
			{func(w map[string]any) { node(w, 1)["type"] = "email" }, `node "ok", field type: "email" is not a node type`},
			{func(w map[string]any) { delete(node(w, 0), "else") }, `node "check", field else: is required`},
			{func(w map[string]any) { node(w, 0)["then"] = "nowhere" }, `node "check", field then: no node is named "nowhere"`},
			{func(w map[string]any) { node(w, 0)["else"] = "ok" }, `node "fail": is not reachable`},
			{func(w map[string]any) { node(w, 1)["next"] = "check" }, `node "ok", field next: "check" makes a cycle`},
			{func(w map[string]any) { node(w, 0)["expression"] = "trigger.body.status ==" }, `node "check", field expression does not compile: line 1, column 23`},
			{func(w map[string]any) { w["trigger"].(map[string]any)["mode"] = "async" }, `node "ok", field type: respond nodes need trigger.mode sync`},
			{func(w map[string]any) { w["trigger"].(map[string]any)["auth"] = map[string]any{"scheme": "hmac"} }, "field trigger.auth:"},
			{func(w map[string]any) {
				node(w, 1)["next"] = "d"
				w["nodes"] = append(w["nodes"].([]map[string]any), map[string]any{"id": "d", "type": "deliver", "destination_id": "dst_none"})
			}, `node "d", field destination_id: no destination dst_none`},
		}
		for _, tt := range invalid {
			w := seed002()
			tt.change(w)
			var e struct {
				Error struct{ Code, Message string }
			}
			if code := h.api("POST", "/api/v1/workflows", w, &e); code != 400 || !strings.Contains(e.Error.Message, tt.want) {
				t.Errorf("create: %d %q, want 400 with %q", code, e.Error.Message, tt.want)
			}
			if code := h.api("PATCH", "/api/v1/workflows/"+wf.ID, map[string]any{"nodes": w["nodes"], "trigger": w["trigger"]}, &e); code != 400 {
				t.Errorf("update: %d %q, want 400", code, e.Error.Message)
			}
		}
		h.mustAPI(200, "GET", "/api/v1/sources", nil, &sources)
		var wfs list[workflowOut]
		h.mustAPI(200, "GET", "/api/v1/workflows", nil, &wfs)
		var after workflowOut
		h.mustAPI(200, "GET", "/api/v1/workflows/"+wf.ID, nil, &after)
		if len(sources.Data) != before || len(wfs.Data) != 1 || after.Version != 1 {
			t.Errorf("invalid definitions changed something: %d sources (was %d), %d workflows, version %d",
				len(sources.Data), before, len(wfs.Data), after.Version)
		}
	})
}

func node(w map[string]any, i int) map[string]any { return w["nodes"].([]map[string]any)[i] }

// slowSink answers, once hold is closed if set, and records what it was sent.
type slowSink struct {
	mu     sync.Mutex
	hold   chan struct{}
	status int
	bodies []string
}

func (s *slowSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var b bytes.Buffer
	b.ReadFrom(r.Body)
	s.mu.Lock()
	hold, st := s.hold, s.status
	s.bodies = append(s.bodies, b.String())
	s.mu.Unlock()
	if hold != nil {
		<-hold
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(st)
	w.Write([]byte(`{"ok": true}`))
}

func (s *slowSink) received() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.bodies...)
}

func TestWorkflowSyncOutcomes(t *testing.T) {
	h := startHub(t, "")
	sink := &slowSink{status: 200}
	srv := httptest.NewServer(sink)
	defer srv.Close()
	mk := func(timeout int, url string) workflowOut {
		var wf workflowOut
		h.mustAPI(201, "POST", "/api/v1/workflows", map[string]any{
			"name": "sync", "trigger": map[string]any{"mode": "sync", "timeout_seconds": timeout}, "start": "call",
			"nodes": []map[string]any{{"id": "call", "type": "http_request", "url": url, "body": `{"n": {{ trigger.body.n }}}`}},
		}, &wf)
		return wf
	}
	json := map[string]string{"Content-Type": "application/json"}

	// No respond node reached: 200 ok on success.
	wf := mk(10, srv.URL)
	if code, _, body := hook(t, "POST", wf.URL, json, `{"n": 1}`); code != 200 || body != "ok" {
		t.Errorf("success without a respond node: %d %q", code, body)
	}
	// A failed node: 500 naming it.
	sink.mu.Lock()
	sink.status = 503
	sink.mu.Unlock()
	code, hdr, body := hook(t, "POST", wf.URL, json, `{"n": 2}`)
	if code != 500 || !strings.Contains(body, `node \"call\" failed`) || !strings.Contains(body, "answered 503") {
		t.Errorf("failure: %d %q", code, body)
	}
	failed := h.waitRun(wf.ID, hdr.Get("X-Hookhub-Run-Id"), "failed")
	if failed.FailedNode != "call" {
		t.Errorf("failed run = %+v", failed)
	}
	// Past the timeout: 504 while the node is still waiting on its answer
	// (held until the 504 is in), and the run still finishes after it.
	hold := make(chan struct{})
	sink.mu.Lock()
	sink.status, sink.hold = 200, hold
	sink.mu.Unlock()
	slow := mk(1, srv.URL)
	code, hdr, body = hook(t, "POST", slow.URL, json, `{"n": 3}`)
	close(hold)
	if code != 504 || !strings.Contains(body, `"code":"timeout"`) {
		t.Errorf("timeout: %d %q", code, body)
	}
	done := h.waitRun(slow.ID, hdr.Get("X-Hookhub-Run-Id"), "succeeded")
	if len(done.Steps) != 1 || done.Steps[0].Status != "succeeded" {
		t.Errorf("run after the timeout = %+v", done)
	}
	_, _, metrics := hook(t, "GET", h.url+"/metrics", nil, "")
	for _, want := range []string{`hookhub_workflow_runs_total{status="succeeded"} 2`, `hookhub_workflow_runs_total{status="failed"} 1`,
		`hookhub_workflow_step_duration_seconds_count{status="failed",type="http_request"} 1`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestWorkflowAsyncActs(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		recv := newSink(t)
		dst := h.createDestination("orders", recv.srv.URL, nil)
		var wf workflowOut
		h.mustAPI(201, "POST", "/api/v1/workflows", map[string]any{
			"name": "orders",
			"trigger": map[string]any{"response": map[string]any{"status": 202, "body": "queued",
				"headers": map[string]string{"X-Shop": "yes"}}},
			"start": "shape",
			"nodes": []map[string]any{
				{"id": "shape", "type": "transform", "output": `{"order": {{ trigger.body.id }}, "who": "{{ trigger.body.customer }}"}`, "next": "check"},
				{"id": "check", "type": "condition", "expression": "trigger.body.total > 100", "then": "send", "else": "page"},
				{"id": "send", "type": "deliver", "destination_id": dst.ID, "event_type": "order.big", "payload": `{{ nodes.shape.output }}`},
				{"id": "page", "type": "incident", "title": "Small order {{ nodes.shape.output.order }}", "severity": "low"},
			},
		}, &wf)
		code, hdr, body := hook(t, "POST", wf.URL, map[string]string{"Content-Type": "application/json"}, `{"id": 7, "customer": "Ada", "total": 250}`)
		if code != 202 || body != "queued" || hdr.Get("X-Shop") != "yes" || hdr.Get("X-Hookhub-Run-Id") == "" {
			t.Fatalf("async answer: %d %q %v", code, body, hdr)
		}
		run := h.waitRun(wf.ID, hdr.Get("X-Hookhub-Run-Id"), "succeeded")
		if len(run.Steps) != 3 || run.Steps[2].Node != "send" {
			t.Fatalf("steps = %+v", run.Steps)
		}
		eventually(t, "the delivery", func() bool { return len(recv.withEvent("order.big")) == 1 })
		if got := recv.withEvent("order.big")[0].body; got != `{"order":7,"who":"Ada"}` {
			t.Errorf("delivered %s", got)
		}

		_, hdr, _ = hook(t, "POST", wf.URL, map[string]string{"Content-Type": "application/json"}, `{"id": 8, "customer": "Bob", "total": 5}`)
		h.waitRun(wf.ID, hdr.Get("X-Hookhub-Run-Id"), "succeeded")
		var incs list[struct {
			Title    string `json:"title"`
			Severity string `json:"severity"`
			SourceID string `json:"source_id"`
		}]
		h.mustAPI(200, "GET", "/api/v1/incidents", nil, &incs)
		if len(incs.Data) != 1 || incs.Data[0].Title != "Small order 8" || incs.Data[0].Severity != "low" || incs.Data[0].SourceID != wf.SourceID {
			t.Errorf("incidents = %+v", incs.Data)
		}

		// A re-run runs again on the same trigger event.
		var re runOut
		h.mustAPI(202, "POST", "/api/v1/workflows/"+wf.ID+"/runs/"+run.ID+"/rerun", nil, &re)
		again := h.waitRun(wf.ID, re.ID, "succeeded")
		if again.EventID != run.EventID || again.RerunOf != run.ID {
			t.Errorf("re-run = %+v", again)
		}
		eventually(t, "the re-run's delivery", func() bool { return len(recv.withEvent("order.big")) == 2 })
	})
}

func TestWorkflowDisableAndDelete(t *testing.T) {
	h := startHub(t, "")
	var wf workflowOut
	h.mustAPI(201, "POST", "/api/v1/workflows", map[string]any{
		"name": "w", "start": "t", "nodes": []map[string]any{{"id": "t", "type": "transform", "output": `{}`}},
	}, &wf)
	h.mustAPI(200, "PATCH", "/api/v1/workflows/"+wf.ID, map[string]any{"enabled": false}, nil)
	if code, _, body := hook(t, "POST", wf.URL, map[string]string{"Content-Type": "application/json"}, `{}`); code != 403 || !strings.Contains(body, "inactive") {
		t.Errorf("disabled: %d %q", code, body)
	}
	h.mustAPI(200, "PATCH", "/api/v1/workflows/"+wf.ID, map[string]any{"enabled": true}, nil)
	if code, _, _ := hook(t, "POST", wf.URL, map[string]string{"Content-Type": "application/json"}, `{}`); code != 200 {
		t.Errorf("enabled again: %d", code)
	}
	h.mustAPI(204, "DELETE", "/api/v1/workflows/"+wf.ID, nil, nil)
	if code, _, _ := hook(t, "POST", wf.URL, map[string]string{"Content-Type": "application/json"}, `{}`); code != 404 {
		t.Errorf("deleted: %d", code)
	}
	h.mustAPI(404, "GET", "/api/v1/sources/"+wf.SourceID, nil, nil)
}

func TestWorkflowBoundSourceAndSecrets(t *testing.T) {
	h := startHub(t, "")
	var src source
	h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "shop", "type": "generic",
		"verification": map[string]any{"scheme": "token", "secret": "tok"}}, &src)
	def := map[string]any{
		"name": "bound", "source_id": src.ID, "start": "call",
		"nodes": []map[string]any{{"id": "call", "type": "http_request", "url": "https://api.example.com/x",
			"headers": map[string]string{"Authorization": "Bearer node-secret"}}},
	}
	var wf workflowOut
	h.mustAPI(201, "POST", "/api/v1/workflows", def, &wf)
	if wf.URL != src.URL || wf.Nodes[0].Headers["Authorization"] != "<masked>" {
		t.Fatalf("bound workflow = %+v", wf)
	}
	h.mustAPI(409, "POST", "/api/v1/workflows", def, nil)
	// Sending the masked value back keeps the secret.
	var shown struct{ Nodes []map[string]any }
	h.mustAPI(200, "GET", "/api/v1/workflows/"+wf.ID, nil, &shown)
	var updated workflowOut
	h.mustAPI(200, "PATCH", "/api/v1/workflows/"+wf.ID, map[string]any{"nodes": shown.Nodes}, &updated)
	got, err := h.main.store.GetWorkflow(t.Context(), wf.ID)
	if err != nil || got.Nodes[0].Headers["Authorization"] != "Bearer node-secret" || updated.Version != 2 {
		t.Errorf("after a masked update: %+v, %v", got, err)
	}
	code, _, _ := hook(t, "POST", src.URL, map[string]string{"Content-Type": "application/json"}, `{}`)
	if code != 401 {
		t.Errorf("a bound workflow verifies as its source: %d", code)
	}
	h.mustAPI(204, "DELETE", "/api/v1/workflows/"+wf.ID, nil, nil)
	h.mustAPI(200, "GET", "/api/v1/sources/"+src.ID, nil, nil)
}

func TestWorkflowParseSample(t *testing.T) {
	h := startHub(t, "")
	var out struct {
		Headers []struct{ Name string }
		Query   []struct{ Path string }
		Body    []struct {
			Path  string
			Value any
		}
	}
	h.mustAPI(200, "POST", "/api/v1/workflows/parse-sample", map[string]any{
		"url": "http://localhost:13000/api/webhook:trigger/1hfmkioou0d?query[0][a]=1", "headers": map[string]string{"X-Request-Id": "r"},
		"body": `{"a": 1, "b": {"c": 2}}`,
	}, &out)
	var paths []string
	for _, p := range out.Body {
		paths = append(paths, p.Path)
	}
	if strings.Join(paths, " ") != "a b b.c" || len(out.Headers) != 1 || out.Query[len(out.Query)-1].Path != "query[0].a" {
		t.Errorf("sample = %+v", out)
	}
	h.mustAPI(400, "POST", "/api/v1/workflows/parse-sample", map[string]any{"body": `{"a":`}, nil)
}
