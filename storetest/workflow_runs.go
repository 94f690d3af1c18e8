package storetest

import (
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

var runTests = []test{
	{"RunQueuedWithEvent", testRunQueuedWithEvent},
	{"RunNotQueuedForDuplicate", testRunNotQueuedForDuplicate},
	{"RunClaim", testRunClaim},
	{"RunClaimWaitsForDelay", testRunClaimWaitsForDelay},
	{"RunHeldByIngest", testRunHeldByIngest},
	{"RunProgress", testRunProgress},
	{"RunProgressStaleClaim", testRunProgressStaleClaim},
	{"RunGoesWithEvent", testRunGoesWithEvent},
	{"RunList", testRunList},
	{"RunCreate", testRunCreate},
}

// newRun returns a queued run of w's current version.
func newRun(w *hookhub.Workflow) *hookhub.WorkflowRun {
	return &hookhub.WorkflowRun{ID: hookhub.NewID(hookhub.PrefixRun), WorkflowID: w.ID, Version: w.Version,
		Status: hookhub.RunQueued, Node: w.Start}
}

// queueRun stores an event of src received at at with one run of w.
func queueRun(t *testing.T, s hookhub.Store, w *hookhub.Workflow, src *hookhub.Source, at time.Time) (*hookhub.Event, *hookhub.WorkflowRun) {
	t.Helper()
	ev, run := newEvent(src.ID, at), newRun(w)
	must(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{{Event: ev, Runs: []*hookhub.WorkflowRun{run}}}))
	return ev, run
}

func getRun(t *testing.T, s hookhub.Store, id string) *hookhub.WorkflowRun {
	t.Helper()
	r, err := s.GetWorkflowRun(ctx(t), id)
	must(t, err)
	return r
}

func testRunQueuedWithEvent(t *testing.T, s hookhub.Store) {
	w, src := newWorkflow(t, s)
	ev, run := queueRun(t, s, w, src, t0)
	got := getRun(t, s, run.ID)
	want := &hookhub.WorkflowRun{ID: run.ID, WorkflowID: w.ID, Version: 1, EventID: ev.ID, Status: hookhub.RunQueued,
		Node: "end", Outputs: map[string]any{}, DueAt: t0, CreatedAt: t0, UpdatedAt: t0}
	equal(t, "queued run", got, want)
}

func testRunNotQueuedForDuplicate(t *testing.T, s hookhub.Store) {
	w, src := newWorkflow(t, s)
	var batch []*hookhub.NewEvent
	for range 2 {
		ev := newEvent(src.ID, t0)
		ev.DedupKey = "same-delivery"
		batch = append(batch, &hookhub.NewEvent{Event: ev, DedupScope: src.ID, Runs: []*hookhub.WorkflowRun{newRun(w)}})
	}
	must(t, s.SaveEvents(ctx(t), batch))
	if len(batch[0].Runs) != 1 || len(batch[1].Runs) != 0 {
		t.Fatalf("runs kept = %d, %d; want 1 for the first event and none for its duplicate", len(batch[0].Runs), len(batch[1].Runs))
	}
	list, _, err := s.ListWorkflowRuns(ctx(t), hookhub.RunFilter{WorkflowID: w.ID})
	must(t, err)
	equal(t, "stored runs", len(list), 1)
}

func testRunClaim(t *testing.T, s hookhub.Store) {
	w, src := newWorkflow(t, s)
	_, run := queueRun(t, s, w, src, t0)
	claimed, err := s.ClaimWorkflowRuns(ctx(t), t0, time.Minute, 10)
	must(t, err)
	if len(claimed) != 1 || claimed[0].ID != run.ID {
		t.Fatalf("claimed %d runs, want the queued one", len(claimed))
	}
	c := claimed[0]
	equal(t, "claimed run", []any{c.Status, c.Claims, c.LeaseUntil, c.StartedAt},
		[]any{hookhub.RunRunning, 1, t0.Add(time.Minute), t0})
	again, err := s.ClaimWorkflowRuns(ctx(t), t0.Add(30*time.Second), time.Minute, 10)
	must(t, err)
	equal(t, "runs claimed while leased", len(again), 0)
	again, err = s.ClaimWorkflowRuns(ctx(t), t0.Add(2*time.Minute), time.Minute, 10)
	must(t, err)
	if len(again) != 1 {
		t.Fatalf("claimed %d runs after the lease expired, want 1", len(again))
	}
	equal(t, "reclaimed run", []any{again[0].Claims, again[0].StartedAt}, []any{2, t0})
}

func testRunClaimWaitsForDelay(t *testing.T, s hookhub.Store) {
	w, src := newWorkflow(t, s)
	_, run := queueRun(t, s, w, src, t0)
	c := claimRun(t, s, t0)
	c.Status, c.Node, c.DueAt, c.LeaseUntil = hookhub.RunWaiting, "after", t0.Add(time.Hour), time.Time{}
	must(t, s.SaveRunProgress(ctx(t), []*hookhub.RunProgress{{Run: c}}))
	none, err := s.ClaimWorkflowRuns(ctx(t), t0.Add(59*time.Minute), time.Minute, 10)
	must(t, err)
	equal(t, "runs claimed before the delay ends", len(none), 0)
	due := claimRun(t, s, t0.Add(time.Hour))
	equal(t, "resumed run", []any{due.ID, due.Node, due.Claims}, []any{run.ID, "after", 2})
}

// claimRun claims the one run due at now.
func claimRun(t *testing.T, s hookhub.Store, now time.Time) *hookhub.WorkflowRun {
	t.Helper()
	list, err := s.ClaimWorkflowRuns(ctx(t), now, time.Minute, 10)
	must(t, err)
	if len(list) != 1 {
		t.Fatalf("claimed %d runs, want 1", len(list))
	}
	return list[0]
}

func testRunHeldByIngest(t *testing.T, s hookhub.Store) {
	w, src := newWorkflow(t, s)
	ev, run := newEvent(src.ID, t0), newRun(w)
	run.Status, run.Claims, run.StartedAt, run.LeaseUntil = hookhub.RunRunning, 1, t0, t0.Add(time.Minute)
	must(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{{Event: ev, Runs: []*hookhub.WorkflowRun{run}}}))
	none, err := s.ClaimWorkflowRuns(ctx(t), t0.Add(time.Second), time.Minute, 10)
	must(t, err)
	equal(t, "runs claimed under the ingest's lease", len(none), 0)
	run.Status, run.Node, run.FinishedAt, run.LeaseUntil = hookhub.RunSucceeded, "", t0.Add(time.Second), time.Time{}
	must(t, s.SaveRunProgress(ctx(t), []*hookhub.RunProgress{{Run: run}}))
	equal(t, "status", getRun(t, s, run.ID).Status, hookhub.RunSucceeded)
}

func testRunProgress(t *testing.T, s hookhub.Store) {
	w, src := newWorkflow(t, s)
	dst := newDestination(t, s)
	_, run := queueRun(t, s, w, src, t0)
	c := claimRun(t, s, t0)
	steps := []*hookhub.WorkflowStep{
		{RunID: run.ID, Seq: 1, Node: "check", Type: hookhub.NodeCondition, Status: hookhub.StepSucceeded,
			Input: map[string]any{"expression": "true"}, Output: map[string]any{"result": true}, StartedAt: t0, DurationMS: 1},
		{RunID: run.ID, Seq: 2, Node: "send", Type: hookhub.NodeDeliver, Status: hookhub.StepFailed,
			Input: "x", Output: nil, Error: "destination refused", StartedAt: t0.Add(time.Millisecond), DurationMS: 12},
	}
	made := &hookhub.Event{ID: hookhub.NewID(hookhub.PrefixEvent), Type: "order.paid", Status: hookhub.EventAccepted,
		ReceivedAt: t0, Body: []byte(`{"a":1}`)}
	ne := &hookhub.NewEvent{Event: made, Deliveries: []*hookhub.Delivery{deliveryTo(dst.ID, t0)}}
	c.Status, c.Node, c.StepCount, c.FinishedAt, c.Error, c.FailedNode = hookhub.RunFailed, "", 2, t0.Add(time.Second), "destination refused", "send"
	c.Outputs = map[string]any{"check": map[string]any{"result": true}}
	c.LeaseUntil = time.Time{}
	must(t, s.SaveRunProgress(ctx(t), []*hookhub.RunProgress{{Run: c, Steps: steps, Events: []*hookhub.NewEvent{ne}}}))
	got := getRun(t, s, run.ID)
	equal(t, "steps", got.Steps, steps)
	got.Steps = nil
	c.UpdatedAt = got.UpdatedAt
	equal(t, "saved run", got, c)
	if _, err := s.GetEvent(ctx(t), made.ID); err != nil {
		t.Fatalf("event made by the run: %v", err)
	}
	ds, _, err := s.ListDeliveries(ctx(t), hookhub.DeliveryFilter{EventID: made.ID})
	must(t, err)
	equal(t, "deliveries of the event made by the run", len(ds), 1)
}

func testRunProgressStaleClaim(t *testing.T, s hookhub.Store) {
	w, src := newWorkflow(t, s)
	_, run := queueRun(t, s, w, src, t0)
	first := claimRun(t, s, t0)
	second := claimRun(t, s, t0.Add(2*time.Minute))
	stale := *first
	stale.Status, stale.StepCount = hookhub.RunSucceeded, 1
	step := &hookhub.WorkflowStep{RunID: run.ID, Seq: 1, Node: "end", Type: hookhub.NodeTransform, Status: hookhub.StepSucceeded, StartedAt: t0}
	// A batch saves the runs still held and skips the one taken over.
	_, other := queueRun(t, s, w, src, t0.Add(150*time.Second))
	held := claimRun(t, s, t0.Add(150*time.Second))
	held.Status, held.StepCount, held.LeaseUntil = hookhub.RunSucceeded, 1, time.Time{}
	heldStep := &hookhub.WorkflowStep{RunID: other.ID, Seq: 1, Node: "end", Type: hookhub.NodeTransform, Status: hookhub.StepSucceeded, StartedAt: t0}
	batch := []*hookhub.RunProgress{
		{Run: &stale, Steps: []*hookhub.WorkflowStep{step}},
		{Run: held, Steps: []*hookhub.WorkflowStep{heldStep}},
	}
	must(t, s.SaveRunProgress(ctx(t), batch))
	equal(t, "conflicts", []bool{batch[0].Conflict, batch[1].Conflict}, []bool{true, false})
	got := getRun(t, s, run.ID)
	equal(t, "run after a stale save", []any{got.Status, got.Claims, len(got.Steps)}, []any{hookhub.RunRunning, second.Claims, 0})
	saved := getRun(t, s, other.ID)
	equal(t, "run saved with it", []any{saved.Status, len(saved.Steps)}, []any{hookhub.RunSucceeded, 1})
}

func testRunGoesWithEvent(t *testing.T, s hookhub.Store) {
	w, src := newWorkflow(t, s)
	_, run := queueRun(t, s, w, src, t0)
	n, err := s.PruneEvents(ctx(t), src.ID, t0.Add(time.Second), 0, 10)
	must(t, err)
	equal(t, "pruned", n, 1)
	_, err = s.GetWorkflowRun(ctx(t), run.ID)
	wantCode(t, err, hookhub.ENOTFOUND)
}

func testRunList(t *testing.T, s hookhub.Store) {
	w, src := newWorkflow(t, s)
	other, otherSrc := newWorkflow(t, s)
	var ids []string
	for i := range 5 {
		_, r := queueRun(t, s, w, src, t0.Add(time.Duration(i)*time.Second))
		ids = append(ids, r.ID)
	}
	queueRun(t, s, other, otherSrc, t0)
	got := pageAll(t, 2, func(p hookhub.Page) ([]string, string, error) {
		list, next, err := s.ListWorkflowRuns(ctx(t), hookhub.RunFilter{WorkflowID: w.ID, Page: p})
		var out []string
		for _, r := range list {
			out = append(out, r.ID)
		}
		return out, next, err
	})
	equal(t, "run IDs", got, newest(ids))
	claimed, err := s.ClaimWorkflowRuns(ctx(t), t0, time.Minute, 10)
	must(t, err)
	running, _, err := s.ListWorkflowRuns(ctx(t), hookhub.RunFilter{Status: hookhub.RunRunning})
	must(t, err)
	equal(t, "running runs", len(running), len(claimed))
}

func testRunCreate(t *testing.T, s hookhub.Store) {
	w, src := newWorkflow(t, s)
	ev, first := queueRun(t, s, w, src, t0)
	re := &hookhub.WorkflowRun{WorkflowID: w.ID, Version: w.Version, EventID: ev.ID, RerunOf: first.ID,
		Node: w.Start, CreatedAt: t0.Add(time.Hour)}
	must(t, s.CreateWorkflowRun(ctx(t), re))
	got := getRun(t, s, re.ID)
	equal(t, "re-run", []any{got.Status, got.RerunOf, got.EventID, got.DueAt}, []any{hookhub.RunQueued, first.ID, ev.ID, t0.Add(time.Hour)})
	bad := &hookhub.WorkflowRun{WorkflowID: w.ID, Version: 1, EventID: "evt_missing", Node: "end"}
	wantCode(t, s.CreateWorkflowRun(ctx(t), bad), hookhub.EINVALID)
}
