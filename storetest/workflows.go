package storetest

import (
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

var workflowTests = []test{
	{"WorkflowRoundTrip", testWorkflowRoundTrip},
	{"WorkflowVersions", testWorkflowVersions},
	{"WorkflowOnePerSource", testWorkflowOnePerSource},
	{"WorkflowDeleteOwnedSource", testWorkflowDeleteOwnedSource},
	{"WorkflowDeleteBoundSource", testWorkflowDeleteBoundSource},
	{"WorkflowGoesWithSource", testWorkflowGoesWithSource},
	{"WorkflowList", testWorkflowList},
	{"WorkflowNotFound", testWorkflowNotFound},
}

// fullWorkflow returns a workflow of sourceID with every field set; its one
// node carries every node field (the store does not read them).
func fullWorkflow(sourceID string) *hookhub.Workflow {
	return &hookhub.Workflow{
		ID: hookhub.NewID(hookhub.PrefixWorkflow), Name: "Payment callback", SourceID: sourceID,
		OwnsSource: true, Enabled: true, Version: 1,
		Trigger: hookhub.Trigger{
			Mode: hookhub.WorkflowSync,
			Parse: hookhub.Parse{
				Headers: []hookhub.Variable{{Path: "X-Request-Id", Alias: "request_id"}},
				Query:   []hookhub.Variable{{Path: "query[0].a", Alias: "a"}},
				Body:    []hookhub.Variable{{Path: "b.c", Alias: "c"}},
			},
			Response:   hookhub.Response{Status: 202, Headers: map[string]string{"Content-Type": "text/plain"}, Body: "ok"},
			TimeoutSec: 7,
		},
		Start: "call",
		Nodes: []hookhub.Node{{
			ID: "call", Type: hookhub.NodeHTTPRequest, Next: "end", Expression: "true", Then: "a", Else: "b",
			Status: 201, Headers: map[string]string{"Authorization": "Bearer node-s3cr3t"}, Body: `{"x": 1}`,
			Method: "PUT", URL: "https://example.com/api", TimeoutSec: 5, AcceptAnyStatus: true,
			DestinationID: "dst_x", EventType: "order.paid", Payload: `{"p": 1}`, Action: "open", Title: "t",
			Severity: "high", Fingerprint: "f", Output: `{"o": 1}`, Seconds: 30,
		}},
		CreatedAt: t0,
		UpdatedAt: t0.Add(time.Second),
	}
}

// newWorkflow stores a minimal workflow with a source of its own.
func newWorkflow(t *testing.T, s hookhub.Store) (*hookhub.Workflow, *hookhub.Source) {
	t.Helper()
	src := &hookhub.Source{ID: hookhub.NewID(hookhub.PrefixSource), Name: "wf src", Type: hookhub.SourceGeneric,
		Key: "k_" + hookhub.NewID(""), Active: true}
	src.SetDefaults()
	w := &hookhub.Workflow{Name: "wf", OwnsSource: true, Enabled: true, Start: "end",
		Trigger: hookhub.Trigger{Mode: hookhub.WorkflowAsync},
		Nodes:   []hookhub.Node{{ID: "end", Type: hookhub.NodeTransform, Output: `{}`}}}
	must(t, s.CreateWorkflow(ctx(t), w, src))
	return w, src
}

func testWorkflowRoundTrip(t *testing.T, s hookhub.Store) {
	src := fullSource()
	w := fullWorkflow(src.ID)
	allSet(t, w)
	must(t, s.CreateWorkflow(ctx(t), w, src))
	got, err := s.GetWorkflow(ctx(t), w.ID)
	must(t, err)
	equal(t, "workflow", got, w)
	if _, err := s.GetSource(ctx(t), src.ID); err != nil {
		t.Fatalf("the source made with the workflow: %v", err)
	}
	got, err = s.GetWorkflowBySource(ctx(t), src.ID)
	must(t, err)
	equal(t, "workflow by source", got, w)
}

func testWorkflowVersions(t *testing.T, s hookhub.Store) {
	src := fullSource()
	w := fullWorkflow(src.ID)
	must(t, s.CreateWorkflow(ctx(t), w, src))
	v1 := *w
	w.Name, w.Enabled, w.Start = "renamed", false, "other"
	w.Nodes = []hookhub.Node{{ID: "other", Type: hookhub.NodeDelay, Seconds: 5}}
	w.UpdatedAt = t0.Add(time.Minute)
	src.Name = "renamed source"
	must(t, s.UpdateWorkflow(ctx(t), w, src))
	if w.Version != 2 {
		t.Fatalf("version after update = %d, want 2", w.Version)
	}
	got, err := s.GetWorkflow(ctx(t), w.ID)
	must(t, err)
	equal(t, "updated workflow", got, w)
	old, err := s.GetWorkflowVersion(ctx(t), w.ID, 1)
	must(t, err)
	equal(t, "version 1 definition", []any{old.Version, old.Start, old.Nodes, old.Trigger}, []any{1, v1.Start, v1.Nodes, v1.Trigger})
	gotSrc, err := s.GetSource(ctx(t), src.ID)
	must(t, err)
	equal(t, "source updated with the workflow", gotSrc.Name, "renamed source")
	_, err = s.GetWorkflowVersion(ctx(t), w.ID, 3)
	wantCode(t, err, hookhub.ENOTFOUND)
}

func testWorkflowOnePerSource(t *testing.T, s hookhub.Store) {
	w, src := newWorkflow(t, s)
	second := &hookhub.Workflow{Name: "second", SourceID: src.ID, Start: "end", Nodes: w.Nodes}
	wantCode(t, s.CreateWorkflow(ctx(t), second, nil), hookhub.ECONFLICT)
	missing := &hookhub.Workflow{Name: "third", SourceID: "src_missing", Start: "end", Nodes: w.Nodes}
	wantCode(t, s.CreateWorkflow(ctx(t), missing, nil), hookhub.EINVALID)
	list, _, err := s.ListWorkflows(ctx(t), hookhub.Page{})
	must(t, err)
	equal(t, "workflows after refused creates", len(list), 1)
}

func testWorkflowDeleteOwnedSource(t *testing.T, s hookhub.Store) {
	w, src := newWorkflow(t, s)
	ev := newEvent(src.ID, t0)
	ev.DedupKey = "d1"
	must(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{{Event: ev, Runs: []*hookhub.WorkflowRun{newRun(w)}}}))
	must(t, s.DeleteWorkflow(ctx(t), w.ID))
	_, err := s.GetWorkflow(ctx(t), w.ID)
	wantCode(t, err, hookhub.ENOTFOUND)
	_, err = s.GetSource(ctx(t), src.ID)
	wantCode(t, err, hookhub.ENOTFOUND)
	_, err = s.GetEvent(ctx(t), ev.ID)
	wantCode(t, err, hookhub.ENOTFOUND)
	wantCode(t, s.DeleteWorkflow(ctx(t), w.ID), hookhub.ENOTFOUND)
}

func testWorkflowDeleteBoundSource(t *testing.T, s hookhub.Store) {
	src := newSource(t, s)
	w := &hookhub.Workflow{Name: "bound", SourceID: src.ID, Start: "end",
		Nodes: []hookhub.Node{{ID: "end", Type: hookhub.NodeDelay, Seconds: 1}}}
	must(t, s.CreateWorkflow(ctx(t), w, nil))
	ev := newEvent(src.ID, t0)
	run := newRun(w)
	must(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{{Event: ev, Runs: []*hookhub.WorkflowRun{run}}}))
	must(t, s.DeleteWorkflow(ctx(t), w.ID))
	if _, err := s.GetSource(ctx(t), src.ID); err != nil {
		t.Fatalf("a bound source stays when its workflow goes: %v", err)
	}
	if _, err := s.GetEvent(ctx(t), ev.ID); err != nil {
		t.Fatalf("a bound source keeps its events: %v", err)
	}
	_, err := s.GetWorkflowRun(ctx(t), run.ID)
	wantCode(t, err, hookhub.ENOTFOUND)
}

func testWorkflowGoesWithSource(t *testing.T, s hookhub.Store) {
	w, src := newWorkflow(t, s)
	must(t, s.DeleteSource(ctx(t), src.ID))
	_, err := s.GetWorkflow(ctx(t), w.ID)
	wantCode(t, err, hookhub.ENOTFOUND)
}

func testWorkflowList(t *testing.T, s hookhub.Store) {
	var ids []string
	for range 5 {
		w, _ := newWorkflow(t, s)
		ids = append(ids, w.ID)
	}
	got := pageAll(t, 2, func(p hookhub.Page) ([]string, string, error) {
		list, next, err := s.ListWorkflows(ctx(t), p)
		var out []string
		for _, w := range list {
			out = append(out, w.ID)
		}
		return out, next, err
	})
	equal(t, "workflow IDs", got, newest(ids))
}

func testWorkflowNotFound(t *testing.T, s hookhub.Store) {
	_, err := s.GetWorkflow(ctx(t), "wf_missing")
	wantCode(t, err, hookhub.ENOTFOUND)
	_, err = s.GetWorkflowBySource(ctx(t), "src_missing")
	wantCode(t, err, hookhub.ENOTFOUND)
	w := &hookhub.Workflow{ID: "wf_missing", Name: "x", Start: "a"}
	wantCode(t, s.UpdateWorkflow(ctx(t), w, nil), hookhub.ENOTFOUND)
	_, err = s.GetWorkflowRun(ctx(t), "run_missing")
	wantCode(t, err, hookhub.ENOTFOUND)
}
