package server

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/web"
	"github.com/hookhub/hookhub/workflow"
)

var runStatuses = []string{hookhub.RunQueued, hookhub.RunRunning, hookhub.RunWaiting, hookhub.RunSucceeded, hookhub.RunFailed}

func (s *Server) handleListWorkflowRuns(w http.ResponseWriter, r *http.Request) {
	page, err := pageOf(r)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	status, err := oneOf(r, "status", runStatuses...)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	wf, err := s.store.GetWorkflow(r.Context(), r.PathValue("id"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	list, next, err := s.store.ListWorkflowRuns(r.Context(), hookhub.RunFilter{WorkflowID: wf.ID, Status: status, Page: page})
	if err != nil {
		web.Error(w, r, err)
		return
	}
	out := make([]runJSON, len(list))
	for i, run := range list {
		out[i] = runOut(run, false)
	}
	web.JSON(w, http.StatusOK, listJSON[runJSON]{Data: out, NextCursor: next})
}

// loadRun reads the run named in the path, which must be of the workflow
// named there.
func (s *Server) loadRun(r *http.Request) (*hookhub.WorkflowRun, error) {
	run, err := s.store.GetWorkflowRun(r.Context(), r.PathValue("run_id"))
	if err == nil && run.WorkflowID != r.PathValue("id") {
		err = hookhub.Errorf(hookhub.ENOTFOUND, "workflow %q has no run %q", r.PathValue("id"), run.ID)
	}
	return run, err
}

func (s *Server) handleGetWorkflowRun(w http.ResponseWriter, r *http.Request) {
	run, err := s.loadRun(r)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, runOut(run, true))
}

// handleRerunWorkflowRun queues a new run of the workflow's current
// definition on the same trigger event. Nobody waits for it: respond nodes
// are recorded, not sent.
func (s *Server) handleRerunWorkflowRun(w http.ResponseWriter, r *http.Request) {
	run, err := s.loadRun(r)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	wf, err := s.store.GetWorkflow(r.Context(), run.WorkflowID)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	if _, err := s.store.GetEvent(r.Context(), run.EventID); hookhub.ErrorCode(err) == hookhub.ENOTFOUND {
		web.Error(w, r, hookhub.Errorf(hookhub.ECONFLICT, "the run's trigger event %s is no longer stored", run.EventID))
		return
	} else if err != nil {
		web.Error(w, r, err)
		return
	}
	now := s.now().UTC()
	re := &hookhub.WorkflowRun{
		ID: hookhub.NewID(hookhub.PrefixRun), WorkflowID: wf.ID, Version: wf.Version, EventID: run.EventID, RerunOf: run.ID,
		Status: hookhub.RunQueued, Node: wf.Start, Outputs: map[string]any{}, DueAt: now, CreatedAt: now, UpdatedAt: now,
	}
	if err := s.store.CreateWorkflowRun(r.Context(), re); err != nil {
		web.Error(w, r, err)
		return
	}
	s.workflows.Notify()
	web.JSON(w, http.StatusAccepted, runOut(re, false))
}

// sampleInput is a sample request: its URL (or only its query), headers
// and JSON body (a JSON value, or a string holding the JSON text).
type sampleInput struct {
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"`
}

// sampleJSON lists the paths a sample offers for trigger.parse.
type sampleJSON struct {
	Headers []samplePathJSON `json:"headers"`
	Query   []samplePathJSON `json:"query"`
	Body    []samplePathJSON `json:"body"`
}

type samplePathJSON struct {
	Name  string `json:"name,omitempty"`
	Path  string `json:"path,omitempty"`
	Value any    `json:"value"`
}

// handleParseSample is seed 002's "parse" button: it lists the header
// names, query paths and body paths of a sample request.
func (s *Server) handleParseSample(w http.ResponseWriter, r *http.Request) {
	var in sampleInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.Error(w, r, err)
		return
	}
	body := bytes.TrimSpace(in.Body)
	if len(body) > 0 && body[0] == '"' {
		var text string
		if err := json.Unmarshal(body, &text); err != nil {
			web.Error(w, r, hookhub.Errorf(hookhub.EINVALID, "field body: %v", err))
			return
		}
		body = []byte(text)
	}
	sample, err := workflow.ParseSample(in.URL, in.Headers, body)
	if err != nil {
		web.Error(w, r, hookhub.Errorf(hookhub.ErrorCode(err), "field body: %s", hookhub.ErrorMessage(err)))
		return
	}
	out := sampleJSON{Headers: []samplePathJSON{}, Query: []samplePathJSON{}, Body: []samplePathJSON{}}
	for _, p := range sample.Headers {
		out.Headers = append(out.Headers, samplePathJSON{Name: p.Path, Value: p.Value})
	}
	for _, p := range sample.Query {
		out.Query = append(out.Query, samplePathJSON{Path: p.Path, Value: p.Value})
	}
	for _, p := range sample.Body {
		out.Body = append(out.Body, samplePathJSON{Path: p.Path, Value: p.Value})
	}
	web.JSON(w, http.StatusOK, out)
}
