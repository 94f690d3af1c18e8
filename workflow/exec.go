package workflow

import (
	"context"
	"encoding/json"
	"runtime/debug"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/ingest"
)

// Answer is what a sync trigger's sender gets: a respond node's answer, or
// the outcome of a run that ended without one.
type Answer struct {
	Respond *Respond // the first respond node reached
	// Without Respond: the run succeeded, or failed at FailedNode with
	// Error, or waits on the delay node WaitingAt before it would answer.
	Failed     bool
	FailedNode string
	Error      string
	WaitingAt  string
}

// saveTimeout bounds one save of a run's progress.
const saveTimeout = 30 * time.Second

// execution is one runner's turn at one run.
type execution struct {
	r       *Runner
	c       *Compiled
	run     *hookhub.WorkflowRun
	trigger *Trigger
	answer  func(Answer) // nil once answered, or when nobody waits
	pending []*hookhub.WorkflowStep
	events  []*hookhub.NewEvent // made by deliver nodes, saved with the next save
}

// exec runs run from its node until it ends, waits on a delay, or its
// save fails (then its lease expires and the run resumes elsewhere).
func (r *Runner) exec(ctx context.Context, c *Compiled, run *hookhub.WorkflowRun, t *Trigger, answer func(Answer)) {
	x := &execution{r: r, c: c, run: run, trigger: t, answer: answer}
	if run.Outputs == nil {
		run.Outputs = map[string]any{}
	}
	ctx, span := x.startRun(ctx)
	defer x.endRun(span)
	defer func() {
		// A bug must not take the process down with every run in it, nor
		// make the run resume into it again and again: the run fails.
		if p := recover(); p != nil {
			r.log.Error("workflow run panicked", "run_id", run.ID, "node", run.Node, "panic", p, "stack", string(debug.Stack()))
			x.fail(ctx, run.Node, "internal error")
		}
	}()
	for run.Node != "" {
		if !x.step(ctx) {
			return
		}
	}
	run.Status, run.FinishedAt, run.LeaseUntil = hookhub.RunSucceeded, r.o.Now(), time.Time{}
	if x.save(ctx) {
		x.finished()
		x.reply(Answer{})
	}
}

// finished reports a run that ended to the observer.
func (x *execution) finished() {
	if obs := x.r.o.Observer.Run; obs != nil {
		obs(x.run.Status)
	}
}

// step runs the node the run is at and reports whether to go on.
func (x *execution) step(ctx context.Context) bool {
	r, run, id := x.r, x.run, x.run.Node
	started := r.o.Now()
	clock := time.Now()
	ctx, span := x.startStep(ctx, id)
	defer endStep(span)
	p, err := x.c.Step(ctx, id, x.trigger, run.Outputs)
	if req, ok := p.Effect.(HTTPRequest); ok && err == nil && !x.holdFor(ctx, req.Timeout) {
		return false
	}
	if err == nil && p.Effect != nil {
		p.Output, err = x.perform(ctx, id, p.Effect)
	}
	if err != nil && r.runCtx.Err() != nil {
		return false // stopping: abandoned, resumed from the last save
	}
	run.StepCount++
	st := &hookhub.WorkflowStep{
		RunID: run.ID, Seq: run.StepCount, Node: id, Type: x.c.Type(id), Status: hookhub.StepSucceeded,
		Input: p.Input, Output: p.Output, StartedAt: started.UTC(), DurationMS: time.Since(clock).Milliseconds(),
	}
	x.pending = append(x.pending, st)
	if err != nil {
		st.Status, st.Error = hookhub.StepFailed, err.Error()
	}
	stepDone(span, st)
	if obs := r.o.Observer.Step; obs != nil {
		obs(st.Type, st.Status, time.Since(clock))
	}
	if err != nil {
		x.fail(ctx, id, err.Error())
		return false
	}
	run.Outputs[id] = canonical(p.Output)
	run.Node = p.Next
	switch e := p.Effect.(type) {
	case Wait:
		run.Status, run.DueAt, run.LeaseUntil = hookhub.RunWaiting, r.o.Now().Add(e.Duration), time.Time{}
		if x.save(ctx) {
			x.reply(Answer{WaitingAt: id})
		}
		return false
	case HTTPRequest, Incident, Deliver:
		// Checkpoint after every effect on the world, so a resumed run
		// does not repeat it; a deliver node's event commits with it.
		return run.Node == "" || x.save(ctx)
	}
	return true
}

// fail ends the run as failed at node id and answers a waiting sender.
func (x *execution) fail(ctx context.Context, id, msg string) {
	run := x.run
	run.Status, run.Error, run.FailedNode = hookhub.RunFailed, msg, id
	run.Node, run.FinishedAt, run.LeaseUntil = "", x.r.o.Now(), time.Time{}
	if x.save(ctx) {
		x.finished()
		x.reply(Answer{Failed: true, FailedNode: id, Error: msg})
	}
}

// holdFor makes sure the run's lease outlasts an effect that may take d,
// saving the run with a longer lease when it would not, so no other runner
// takes the run over meanwhile. It reports whether the run is still held.
func (x *execution) holdFor(ctx context.Context, d time.Duration) bool {
	need := x.r.o.Now().Add(d + x.r.o.Lease/2)
	if x.run.LeaseUntil.After(need) {
		return true
	}
	return x.saveLease(ctx, d+x.r.o.Lease)
}

// save saves the run with its pending steps and events, renewing its lease
// while it goes on, and reports whether it was saved.
func (x *execution) save(ctx context.Context) bool {
	return x.saveLease(ctx, x.r.o.Lease)
}

// saveLease is save with a lease of the given length.
func (x *execution) saveLease(ctx context.Context, lease time.Duration) bool {
	r, run := x.r, x.run
	now := r.o.Now()
	run.UpdatedAt = now
	if run.Status == hookhub.RunRunning {
		run.LeaseUntil = now.Add(lease)
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), saveTimeout)
	defer cancel()
	p := &hookhub.RunProgress{Run: run, Steps: x.pending, Events: x.events}
	err := r.saver.save(sctx, p)
	if err != nil || p.Conflict {
		if err != nil {
			r.log.Error("save workflow run", "run_id", run.ID, "err", err)
		} else {
			r.log.Warn("workflow run taken over by another runner", "run_id", run.ID)
		}
		x.reply(Answer{Failed: true, FailedNode: run.FailedNode, Error: "the run could not be saved"})
		return false
	}
	x.pending = nil
	for _, ne := range x.events {
		if len(ne.Deliveries) > 0 && r.o.Delivered != nil {
			r.o.Delivered(ne.Event)
		}
	}
	x.events = nil
	return true
}

// reply answers the waiting sender, once.
func (x *execution) reply(a Answer) {
	if x.answer != nil {
		x.answer(a)
		x.answer = nil
	}
}

// canonical returns v as a resumed run reads it back from the store: JSON
// decoded as ingest decodes bodies, so a run behaves the same whether or
// not it was interrupted.
func canonical(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	out, err := ingest.DecodeJSON(b)
	if err != nil {
		return nil
	}
	return out
}
