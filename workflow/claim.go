package workflow

import (
	"context"
	"time"

	"github.com/hookhub/hookhub"
)

// loop claims due runs while workers are free, until stopped.
func (r *Runner) loop() {
	defer close(r.loopDone)
	t := time.NewTicker(r.o.PollInterval)
	defer t.Stop()
	for {
		r.takeHanded()
		for r.claim() {
		}
		select {
		case <-r.stop:
			return
		case <-r.notify:
		case <-t.C:
		}
	}
}

// claim takes as many due runs as there are free workers and starts them;
// it reports whether it took a full batch (there may be more).
func (r *Runner) claim() bool {
	free := r.o.Workers - len(r.slots)
	if free <= 0 || r.stopping() {
		return false
	}
	ctx, cancel := context.WithTimeout(r.runCtx, 30*time.Second)
	runs, err := r.o.Store.ClaimWorkflowRuns(ctx, r.o.Now(), r.o.Lease, free)
	cancel()
	if err != nil {
		r.log.Error("claim workflow runs", "err", err)
		return false
	}
	for _, run := range runs {
		r.slots <- struct{}{}
		r.work(func() { r.resume(run) })
	}
	return len(runs) == free
}

// work runs fn on a worker whose slot the caller took.
func (r *Runner) work(fn func()) {
	r.runs.Add(1)
	go func() {
		defer r.runs.Done()
		defer func() { <-r.slots; r.Notify() }()
		fn()
	}()
}

// resume runs a claimed run from where it stands.
func (r *Runner) resume(run *hookhub.WorkflowRun) {
	ctx := r.runCtx
	c, err := r.versions.get(ctx, run.WorkflowID, run.Version)
	if err == nil {
		var ev *hookhub.Event
		if ev, err = r.o.Store.GetEvent(ctx, run.EventID); err == nil {
			r.exec(ctx, c, run, c.NewTrigger(ev, nil), nil)
			return
		}
	}
	if ctx.Err() != nil {
		return
	}
	if hookhub.ErrorCode(err) != hookhub.ENOTFOUND && hookhub.ErrorCode(err) != hookhub.EINVALID {
		r.log.Error("load workflow run", "run_id", run.ID, "err", err)
		return // the lease expires and the run is tried again
	}
	x := &execution{r: r, run: run}
	x.fail(ctx, run.Node, "the run cannot continue: "+hookhub.ErrorMessage(err))
}
