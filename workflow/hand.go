package workflow

import "github.com/hookhub/hookhub"

// maxHanded bounds the handed-over runs waiting for a free worker.
const maxHanded = 4096

// handedRun is an async run handed over with its trigger.
type handedRun struct {
	c   *Compiled
	run *hookhub.WorkflowRun
	t   *Trigger
}

// canHand reports whether NewRun may hold an async run for Hand: the
// runner is started and has room to keep it until a worker is free.
func (r *Runner) canHand() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.started && len(r.handed) < maxHanded
}

// Hand runs an async run NewRun made, once its webhook is committed, with
// the trigger the request was read into. A run NewRun queued instead is
// left to the claim loop, which Hand wakes.
func (r *Runner) Hand(c *Compiled, run *hookhub.WorkflowRun, t *Trigger) {
	if run.Status != hookhub.RunRunning || run.Claims != 1 {
		r.Notify()
		return
	}
	select {
	case r.slots <- struct{}{}:
		r.work(func() { r.exec(r.runCtx, c, run, t, nil) })
		return
	default:
	}
	r.mu.Lock()
	if len(r.handed) < maxHanded {
		r.handed = append(r.handed, handedRun{c: c, run: run, t: t})
	}
	r.mu.Unlock()
}

// takeHanded starts waiting handed-over runs on the free workers. A run
// whose hold is about to end is left to be claimed: another runner may
// take it over any moment.
func (r *Runner) takeHanded() {
	for {
		r.mu.Lock()
		if len(r.handed) == 0 || r.stopping() {
			r.mu.Unlock()
			return
		}
		select {
		case r.slots <- struct{}{}:
		default:
			r.mu.Unlock()
			return
		}
		h := r.handed[0]
		r.handed = r.handed[1:]
		r.mu.Unlock()
		if !r.o.Now().Before(h.run.LeaseUntil.Add(-r.o.Lease / 5)) {
			<-r.slots
			continue
		}
		r.work(func() { r.exec(r.runCtx, h.c, h.run, h.t, nil) })
	}
}
