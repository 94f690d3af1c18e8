package console

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/hookhub/hookhub/web"
)

// apiWorkflow is a workflow as the API shows it; Raw keeps the definition
// for the editor.
type apiWorkflow struct {
	ID        string                `json:"id"`
	Name      string                `json:"name"`
	Enabled   bool                  `json:"enabled"`
	SourceID  string                `json:"source_id"`
	URL       string                `json:"url"`
	Version   int                   `json:"version"`
	Start     string                `json:"start"`
	Trigger   struct{ Mode string } `json:"trigger"`
	Nodes     []map[string]any      `json:"nodes"`
	UpdatedAt time.Time             `json:"updated_at"`
	Raw       json.RawMessage       `json:"-"`
}

// apiRun is a workflow run as the API shows it, steps included in one run.
type apiRun struct {
	ID         string     `json:"id"`
	Status     string     `json:"status"`
	EventID    string     `json:"event_id"`
	Version    int        `json:"version"`
	RerunOf    string     `json:"rerun_of"`
	Error      string     `json:"error"`
	FailedNode string     `json:"failed_node"`
	CreatedAt  time.Time  `json:"created_at"`
	FinishedAt *time.Time `json:"finished_at"`
	Steps      []struct {
		Seq        int    `json:"seq"`
		Node       string `json:"node"`
		Type       string `json:"type"`
		Status     string `json:"status"`
		Input      any    `json:"input"`
		Output     any    `json:"output"`
		Error      string `json:"error"`
		DurationMS int64  `json:"duration_ms"`
	} `json:"steps"`
}

func (c *Console) handleWorkflows(w http.ResponseWriter, r *http.Request) {
	var list struct {
		Data []apiWorkflow `json:"data"`
		Next string        `json:"next_cursor"`
	}
	path := "/api/v1/workflows" + queryString("cursor", r.URL.Query().Get("cursor"))
	if err := c.api.Call(r.Context(), callerOf(r), "GET", path, nil, &list); err != nil {
		web.Error(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "workflows", view{Title: "Workflows", Nav: "workflows",
		Data: map[string]any{"Workflows": list.Data, "Next": pageLink(r, list.Next)}})
}

// getWorkflow reads a workflow through the API, keeping its raw JSON.
func (c *Console) getWorkflow(r *http.Request, id string) (*apiWorkflow, error) {
	var raw json.RawMessage
	if err := c.api.Call(r.Context(), callerOf(r), "GET", "/api/v1/workflows/"+id, nil, &raw); err != nil {
		return nil, err
	}
	var wf apiWorkflow
	if err := json.Unmarshal(raw, &wf); err != nil {
		return nil, err
	}
	wf.Raw = raw
	return &wf, nil
}

func (c *Console) handleWorkflow(w http.ResponseWriter, r *http.Request) {
	wf, err := c.getWorkflow(r, r.PathValue("id"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	var runs struct {
		Data []apiRun `json:"data"`
		Next string   `json:"next_cursor"`
	}
	path := "/api/v1/workflows/" + wf.ID + "/runs" + queryString("cursor", r.URL.Query().Get("cursor"), "limit", "25")
	if err := c.api.Call(r.Context(), callerOf(r), "GET", path, nil, &runs); err != nil {
		web.Error(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "workflow", view{Title: wf.Name, Nav: "workflows",
		Data: map[string]any{"W": wf, "Runs": runs.Data, "Next": pageLink(r, runs.Next)}})
}

func (c *Console) handleWorkflowRun(w http.ResponseWriter, r *http.Request) {
	id, runID := r.PathValue("id"), r.PathValue("run_id")
	var run apiRun
	if err := c.api.Call(r.Context(), callerOf(r), "GET", "/api/v1/workflows/"+id+"/runs/"+runID, nil, &run); err != nil {
		web.Error(w, r, err)
		return
	}
	wf, err := c.getWorkflow(r, id)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "workflow_run", view{Title: "Run " + shortID(runID), Nav: "workflows",
		Data: map[string]any{"W": wf, "Run": run}})
}

// handleWorkflowRerun is Re-run: the run's event goes through the workflow
// again, as a new run.
func (c *Console) handleWorkflowRerun(w http.ResponseWriter, r *http.Request) {
	id, runID := r.PathValue("id"), r.PathValue("run_id")
	var out apiRun
	if err := c.api.Call(r.Context(), callerOf(r), "POST", "/api/v1/workflows/"+id+"/runs/"+runID+"/rerun", nil, &out); err != nil {
		c.actionError(w, r, err, "/workflows/"+id+"/runs/"+runID)
		return
	}
	to := "/workflows/" + id
	if out.ID != "" {
		to += "/runs/" + out.ID
	}
	redirect(w, r, to, "Re-run started.")
}
