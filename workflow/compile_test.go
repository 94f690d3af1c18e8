package workflow

import (
	"strings"
	"testing"

	"github.com/hookhub/hookhub"
)

// seed002 is seed 002's example: a condition on a body field answers
// success or failure.
func seed002() *hookhub.Workflow {
	w := &hookhub.Workflow{
		Name:    "Payment callback",
		Trigger: hookhub.Trigger{Mode: hookhub.WorkflowSync},
		Start:   "check",
		Nodes: []hookhub.Node{
			{ID: "check", Type: hookhub.NodeCondition, Expression: "trigger.body.status == 'paid'", Then: "ok", Else: "fail"},
			{ID: "ok", Type: hookhub.NodeRespond, Status: 200, Body: `{"result": "success", "order": {{ trigger.body.order_id }}}`},
			{ID: "fail", Type: hookhub.NodeRespond, Status: 422, Body: `{"result": "failure"}`},
		},
	}
	w.SetDefaults()
	return w
}

func TestCompileSeed002(t *testing.T) {
	c, err := Compile(seed002())
	if err != nil {
		t.Fatal(err)
	}
	if !c.Sync() || c.Type("ok") != hookhub.NodeRespond {
		t.Errorf("compiled: sync %v, type of ok %q", c.Sync(), c.Type("ok"))
	}
}

func TestCompileRefuses(t *testing.T) {
	tests := []struct {
		name   string
		change func(w *hookhub.Workflow)
		want   string
	}{
		{"no name", func(w *hookhub.Workflow) { w.Name = "" }, "field name: is required"},
		{"bad mode", func(w *hookhub.Workflow) { w.Trigger.Mode = "later" }, "field trigger.mode: must be async or sync"},
		{"bad timeout", func(w *hookhub.Workflow) { w.Trigger.TimeoutSec = 301 }, "field trigger.timeout_seconds"},
		{"bad response status", func(w *hookhub.Workflow) { w.Trigger.Response.Status = 500 }, "field trigger.response.status"},
		{"parse path missing", func(w *hookhub.Workflow) { w.Trigger.Parse.Body = []hookhub.Variable{{Alias: "c"}} }, "field trigger.parse.body[0].path: is required"},
		{"no nodes", func(w *hookhub.Workflow) { w.Nodes = nil }, "field nodes: a workflow needs at least one node"},
		{"no start", func(w *hookhub.Workflow) { w.Start = "" }, "field start: is required"},
		{"dangling start", func(w *hookhub.Workflow) { w.Start = "nope" }, `field start: no node is named "nope"`},
		{"unknown type", func(w *hookhub.Workflow) { w.Nodes[1].Type = "email" }, `node "ok", field type: "email" is not a node type`},
		{"missing id", func(w *hookhub.Workflow) { w.Nodes[2].ID = "" }, "nodes[2], field id: is required"},
		{"bad id", func(w *hookhub.Workflow) { w.Nodes[2].ID = "no spaces" }, "nodes[2], field id:"},
		{"duplicate id", func(w *hookhub.Workflow) { w.Nodes[2].ID = "ok" }, `node "ok", field id: is used by more than one node`},
		{"missing then", func(w *hookhub.Workflow) { w.Nodes[0].Then = "" }, `node "check", field then: is required`},
		{"missing else", func(w *hookhub.Workflow) { w.Nodes[0].Else = "" }, `node "check", field else: is required`},
		{"dangling then", func(w *hookhub.Workflow) { w.Nodes[0].Then = "okk" }, `node "check", field then: no node is named "okk"`},
		{"dangling next", func(w *hookhub.Workflow) { w.Nodes[1].Next = "gone" }, `node "ok", field next: no node is named "gone"`},
		{"foreign field", func(w *hookhub.Workflow) { w.Nodes[0].Next = "ok" }, `node "check", field next: does not apply to condition nodes`},
		{"unreachable", func(w *hookhub.Workflow) { w.Nodes[0].Else = "ok" }, `node "fail": is not reachable from start "check"`},
		{"cycle", func(w *hookhub.Workflow) { w.Nodes[1].Next = "check" }, `node "ok", field next: "check" makes a cycle (check → ok → check)`},
		{"self loop", func(w *hookhub.Workflow) { w.Nodes[0].Then = "check" }, `node "check", field then: "check" makes a cycle (check → check)`},
		{"expression does not compile", func(w *hookhub.Workflow) { w.Nodes[0].Expression = "trigger.body.status ==" },
			`node "check", field expression does not compile: line 1, column 23`},
		{"misspelt trigger field", func(w *hookhub.Workflow) { w.Nodes[0].Expression = "trigger.bdy.status == 'paid'" },
			`node "check", field expression does not compile: line 1, column 8: undefined field 'bdy'`},
		{"expression not bool", func(w *hookhub.Workflow) { w.Nodes[0].Expression = "'paid'" },
			`node "check", field expression must evaluate to true or false`},
		{"template does not compile", func(w *hookhub.Workflow) { w.Nodes[1].Body = `{"order": {{ trigger.body.order_id + }}}` },
			`node "ok", field body is not a valid JSON template: line 1, column 38`},
		{"template not closed", func(w *hookhub.Workflow) { w.Nodes[2].Body = `failed {{ trigger.body` },
			`node "fail", field body is not a valid template: line 1, column 8: {{ is not closed by }}`},
		{"JSON content type, not JSON", func(w *hookhub.Workflow) {
			w.Nodes[2].Headers = map[string]string{"Content-Type": "application/json"}
			w.Nodes[2].Body = "failure"
		}, `node "fail", field body is not a valid JSON template: line 1, column 3`},
		{"bad header name", func(w *hookhub.Workflow) { w.Nodes[1].Headers = map[string]string{"Bad Name": "x"} }, `node "ok", field headers: "Bad Name" is not a valid header name`},
		{"respond in async", func(w *hookhub.Workflow) { w.Trigger.Mode = hookhub.WorkflowAsync }, `node "ok", field type: respond nodes need trigger.mode sync`},
		{"bad respond status", func(w *hookhub.Workflow) { w.Nodes[2].Status = 99 }, `node "fail", field status: must be between 200 and 599`},
		{"unknown node reference", func(w *hookhub.Workflow) { w.Nodes[1].Body = `{"x": {{ nodes.nope.output }}}` },
			`node "ok": "nodes.nope.output" reads nodes.nope, but no node is named "nope"`},
		{"reference to a later node", func(w *hookhub.Workflow) { w.Nodes[0].Expression = "nodes.ok.output.status == 200" },
			`node "check": "nodes.ok.output.status == 200" reads nodes.ok, which never runs before this node`},
		{"reference to a sibling branch", func(w *hookhub.Workflow) { w.Nodes[2].Body = `{"x": {{ nodes.ok.output }}}` },
			`node "fail": "nodes.ok.output" reads nodes.ok, which never runs before this node`},
		{"unselected trigger variable", func(w *hookhub.Workflow) { w.Nodes[1].Body = `{"x": {{ trigger.vars.ordr }}}` },
			`node "ok": "trigger.vars.ordr" reads trigger.vars.ordr, which trigger.parse does not select (it selects nothing)`},
		{"unselected trigger variable by index", func(w *hookhub.Workflow) {
			w.Trigger.Parse.Body = []hookhub.Variable{{Path: "order_id", Alias: "order"}}
			w.Nodes[1].Body = `{"x": {{ trigger.vars['b.c'] }}}`
		}, `reads trigger.vars.b.c, which trigger.parse does not select (it selects order)`},
		{"reference to a field other than output", func(w *hookhub.Workflow) { w.Nodes[1].Body = `{"x": {{ nodes.check.result }}}` },
			`reads nodes.check.result; a node has only output`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := seed002()
			tt.change(w)
			_, err := Compile(w)
			if hookhub.ErrorCode(err) != hookhub.EINVALID || !strings.Contains(hookhub.ErrorMessage(err), tt.want) {
				t.Fatalf("Compile = %v\nwant EINVALID containing %q", err, tt.want)
			}
		})
	}
}

func TestCompileNodeKinds(t *testing.T) {
	tests := []struct {
		node hookhub.Node
		want string // "" for valid
	}{
		{hookhub.Node{Type: hookhub.NodeHTTPRequest, URL: "https://example.com/{{ trigger.body.id }}", Headers: map[string]string{"Authorization": "Bearer {{ trigger.headers['x-token'] }}"}}, ""},
		{hookhub.Node{Type: hookhub.NodeHTTPRequest}, "field url: is required"},
		{hookhub.Node{Type: hookhub.NodeHTTPRequest, URL: "ftp://example.com"}, "field url: destination URL must start with http"},
		{hookhub.Node{Type: hookhub.NodeHTTPRequest, URL: "https://example.com", Method: "TRACE"}, "field method: must be one of"},
		{hookhub.Node{Type: hookhub.NodeHTTPRequest, URL: "https://example.com", TimeoutSec: 61}, "field timeout_seconds"},
		{hookhub.Node{Type: hookhub.NodeHTTPRequest, URL: "https://example.com", Then: "x"}, "field then: does not apply to http_request nodes"},
		{hookhub.Node{Type: hookhub.NodeDeliver, DestinationID: "dst_1", Payload: `{"order": {{ trigger.body.order_id }}}`}, ""},
		{hookhub.Node{Type: hookhub.NodeDeliver}, "field destination_id: is required"},
		{hookhub.Node{Type: hookhub.NodeDeliver, DestinationID: "dst_1", Payload: "not json"}, "field payload is not a valid JSON template"},
		{hookhub.Node{Type: hookhub.NodeIncident, Title: "Payment {{ trigger.body.order_id }} failed", Severity: "high"}, ""},
		{hookhub.Node{Type: hookhub.NodeIncident, Action: ActionResolve, Fingerprint: "{{ trigger.body.order_id }}"}, ""},
		{hookhub.Node{Type: hookhub.NodeIncident}, "field title: is required"},
		{hookhub.Node{Type: hookhub.NodeIncident, Action: "close", Title: "x"}, "field action: must be open or resolve"},
		{hookhub.Node{Type: hookhub.NodeTransform, Output: `{"id": {{ trigger.body.order_id }}}`}, ""},
		{hookhub.Node{Type: hookhub.NodeTransform}, "field output: is required"},
		{hookhub.Node{Type: hookhub.NodeTransform, Output: `{"id": }`}, "field output is not a valid JSON template"},
		{hookhub.Node{Type: hookhub.NodeDelay, Seconds: 60}, ""},
		{hookhub.Node{Type: hookhub.NodeDelay}, "field seconds: must be between 1 and"},
		{hookhub.Node{Type: hookhub.NodeDelay, Seconds: 5, URL: "https://x"}, "field url: does not apply to delay nodes"},
	}
	for _, tt := range tests {
		n := tt.node
		n.ID = "n"
		w := &hookhub.Workflow{Name: "w", Start: "n", Nodes: []hookhub.Node{n}}
		w.SetDefaults()
		_, err := Compile(w)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s node: %v", n.Type, err)
		case tt.want != "" && !strings.Contains(hookhub.ErrorMessage(err), tt.want):
			t.Errorf("%s node: err = %v, want %q", n.Type, err, tt.want)
		}
	}
}
