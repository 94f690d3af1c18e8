package workflow

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hookhub/hookhub"
)

// fuzzNode is a node as the API spells it.
type fuzzNode struct {
	ID, Type, Next, Expression, Then, Else, Body, Method, URL  string
	Status, TimeoutSec, Seconds                                int
	Headers                                                    map[string]string
	DestinationID, EventType, Payload, Action, Title, Severity string
	Fingerprint, Output                                        string
	AcceptAnyStatus                                            bool
}

// FuzzCompile checks arbitrary definitions: Compile never panics, and a
// definition it accepts runs from start to an end, whatever the trigger,
// in at most one step per node (it is a DAG).
func FuzzCompile(f *testing.F) {
	seeds := []string{
		`{"mode":"sync","start":"check","nodes":[{"ID":"check","Type":"condition","Expression":"trigger.body.status == 'paid'","Then":"ok","Else":"fail"},{"ID":"ok","Type":"respond","Status":200,"Body":"{\"order\": {{ trigger.body.order_id }}}"},{"ID":"fail","Type":"respond","Status":422,"Body":"{\"result\": \"failure\"}"}]}`,
		`{"start":"a","nodes":[{"ID":"a","Type":"transform","Output":"{\"x\": {{ trigger.body }}}","Next":"b"},{"ID":"b","Type":"delay","Seconds":5,"Next":"c"},{"ID":"c","Type":"http_request","URL":"https://example.com/{{ nodes.a.output.x }}"}]}`,
		`{"start":"a","nodes":[{"ID":"a","Type":"condition","Expression":"true","Then":"a","Else":"a"}]}`,
		`{"start":"a","nodes":[{"ID":"a","Type":"deliver","DestinationID":"d","Next":"b"},{"ID":"b","Type":"incident","Title":"{{ trigger.vars.x }}"}]}`,
		`{"start":"x","nodes":[]}`,
		`{"mode":"async","start":"r","nodes":[{"ID":"r","Type":"respond"}]}`,
	}
	for _, s := range seeds {
		f.Add(s, `{"status":"paid","order_id":7,"x":[1,{"y":null}]}`)
	}
	f.Fuzz(func(t *testing.T, def, body string) {
		var in struct {
			Mode  string
			Start string
			Nodes []fuzzNode
		}
		if json.Unmarshal([]byte(def), &in) != nil {
			return
		}
		w := &hookhub.Workflow{Name: "fuzz", Trigger: hookhub.Trigger{Mode: in.Mode}, Start: in.Start}
		for _, n := range in.Nodes {
			w.Nodes = append(w.Nodes, hookhub.Node{ID: n.ID, Type: n.Type, Next: n.Next, Expression: n.Expression,
				Then: n.Then, Else: n.Else, Status: n.Status, Headers: n.Headers, Body: n.Body, Method: n.Method,
				URL: n.URL, TimeoutSec: n.TimeoutSec, AcceptAnyStatus: n.AcceptAnyStatus, DestinationID: n.DestinationID,
				EventType: n.EventType, Payload: n.Payload, Action: n.Action, Title: n.Title, Severity: n.Severity,
				Fingerprint: n.Fingerprint, Output: n.Output, Seconds: n.Seconds})
		}
		w.SetDefaults()
		c, err := Compile(w)
		if err != nil {
			if hookhub.ErrorCode(err) != hookhub.EINVALID {
				t.Fatalf("Compile error is not EINVALID: %v", err)
			}
			return
		}
		ev := &hookhub.Event{ID: "evt_f", Headers: map[string][]string{"Content-Type": {"application/json"}}, Body: []byte(body)}
		trig := c.NewTrigger(ev, nil)
		outputs := map[string]any{}
		id := w.Start
		for range len(w.Nodes) {
			p, err := c.Step(context.Background(), id, trig, outputs)
			if err != nil {
				return
			}
			outputs[id] = p.Output
			if id = p.Next; id == "" {
				return
			}
		}
		t.Fatalf("a run of a compiled workflow took more steps than it has nodes")
	})
}
