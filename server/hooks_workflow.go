package server

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/ingest"
	"github.com/hookhub/hookhub/web"
	"github.com/hookhub/hookhub/workflow"
)

// workflowHook is the workflow a webhook's source triggers; nil when it
// triggers none. Its methods accept a nil receiver.
type workflowHook struct {
	c   *workflow.Compiled
	run *hookhub.WorkflowRun
}

// workflowOf returns the workflow a source triggers, or nil. A hung store
// answers 503 within the store timeout.
func (s *Server) workflowOf(ctx context.Context, src *hookhub.Source) (*workflowHook, error) {
	c, ok, err := s.workflows.Bound(ctx, src.ID, s.storeTimeout)
	if err != nil || !ok {
		return nil, err
	}
	return &workflowHook{c: c}, nil
}

// disabled reports whether the source's workflow is disabled: its URL then
// answers as an inactive source does.
func (h *workflowHook) disabled() bool {
	return h != nil && !h.c.Workflow().Enabled
}

// runs returns the run the webhook starts, to be stored with its event.
func (h *workflowHook) runs(s *Server) []*hookhub.WorkflowRun {
	if h == nil {
		return nil
	}
	h.run = s.workflows.NewRun(h.c)
	return []*hookhub.WorkflowRun{h.run}
}

// answer answers a committed webhook of a workflow's source: an async
// trigger's configured response at once, a sync trigger's from its run.
// It reports whether it answered (false: no workflow).
func (h *workflowHook) answer(s *Server, w http.ResponseWriter, r *http.Request, ne *hookhub.NewEvent, body *ingest.Body) bool {
	if h == nil {
		return false
	}
	ev, t := ne.Event, h.c.Workflow().Trigger
	w.Header().Set("X-Hookhub-Event-Id", ev.ID)
	switch {
	case len(ne.Runs) == 0:
		// A duplicate starts no run: the first delivery's run stands.
		w.Header().Set("X-Hookhub-Duplicate-Of", ev.DuplicateOf)
		writeResponse(w, t.Response.Status, t.Response.Headers, []byte(t.Response.Body))
	case !h.c.Sync():
		w.Header().Set("X-Hookhub-Run-Id", h.run.ID)
		writeResponse(w, t.Response.Status, t.Response.Headers, []byte(t.Response.Body))
		s.workflows.Hand(h.c, h.run, h.c.NewTrigger(ev, body))
	default:
		w.Header().Set("X-Hookhub-Run-Id", h.run.ID)
		s.runSync(w, r, h, h.c.NewTrigger(ev, body))
	}
	return true
}

// runSync runs a sync trigger's run and answers from it, or 504 once the
// trigger's timeout passes; the run goes on either way.
func (s *Server) runSync(w http.ResponseWriter, r *http.Request, h *workflowHook, t *workflow.Trigger) {
	answers := make(chan workflow.Answer, 1)
	s.workflows.RunNow(h.c, h.run, t, func(a workflow.Answer) { answers <- a })
	timeout := time.Duration(h.c.Workflow().Trigger.TimeoutSec) * time.Second
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case a := <-answers:
		writeAnswer(w, r, h.run, a)
	case <-timer.C:
		workflowError(w, http.StatusGatewayTimeout, "timeout",
			fmt.Sprintf("workflow run %s did not answer within %s; it goes on", h.run.ID, timeout))
	case <-r.Context().Done():
		// The sender stopped waiting; the run goes on.
	}
}

// writeAnswer answers a sync trigger: the respond node's answer, 200 ok
// for a run that succeeded without one, 500 naming the node that failed,
// 202 for a run that waits on a delay before it would answer.
func writeAnswer(w http.ResponseWriter, r *http.Request, run *hookhub.WorkflowRun, a workflow.Answer) {
	switch {
	case a.Respond != nil:
		writeResponse(w, a.Respond.Status, a.Respond.Headers, a.Respond.Body)
	case a.Failed && a.FailedNode != "":
		web.Logger(r).Warn("workflow run failed", "run_id", run.ID, "node", a.FailedNode, "err", a.Error)
		workflowError(w, http.StatusInternalServerError, "workflow_failed", fmt.Sprintf("node %q failed: %s", a.FailedNode, a.Error))
	case a.Failed:
		workflowError(w, http.StatusServiceUnavailable, hookhub.EUNAVAILABLE, "the workflow run could not be saved; retry later")
	case a.WaitingAt != "":
		web.JSON(w, http.StatusAccepted, map[string]string{"run_id": run.ID, "status": hookhub.RunWaiting, "node": a.WaitingAt})
	default:
		writeResponse(w, http.StatusOK, nil, []byte("ok"))
	}
}

func workflowError(w http.ResponseWriter, status int, code, msg string) {
	web.JSON(w, status, web.ErrorBody{Error: web.ErrorDetail{Code: code, Message: msg}})
}

// writeResponse writes a configured answer, text/plain unless it says
// otherwise.
func writeResponse(w http.ResponseWriter, status int, headers map[string]string, body []byte) {
	for k, v := range headers {
		w.Header().Set(k, v)
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	}
	w.WriteHeader(status)
	w.Write(body)
}
