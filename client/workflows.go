package client

import (
	"context"
	"encoding/json"
	"net/url"
	"time"
)

// Workflow is started by webhooks posted to its URL; it decides what to
// answer and what to do. Its definition is kept as generic JSON (see
// docs/workflows.md), so it round-trips whatever fields its nodes use.
type Workflow struct {
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	Enabled    bool            `json:"enabled"`
	SourceID   string          `json:"source_id"`
	OwnsSource bool            `json:"owns_source"`
	URL        string          `json:"url"`
	Version    int             `json:"version"`
	Trigger    json.RawMessage `json:"trigger"`
	Start      string          `json:"start"`
	Nodes      []Object        `json:"nodes"`
	CreatedAt  time.Time       `json:"created_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
}

// WorkflowRun is one execution of a workflow.
type WorkflowRun struct {
	ID         string         `json:"id"`
	WorkflowID string         `json:"workflow_id"`
	Version    int            `json:"version"`
	EventID    string         `json:"event_id"`
	RerunOf    string         `json:"rerun_of,omitempty"`
	Status     string         `json:"status"`
	Node       string         `json:"node,omitempty"`
	Error      string         `json:"error,omitempty"`
	FailedNode string         `json:"failed_node,omitempty"`
	ResumeAt   *time.Time     `json:"resume_at,omitempty"`
	CreatedAt  time.Time      `json:"created_at"`
	StartedAt  *time.Time     `json:"started_at"`
	FinishedAt *time.Time     `json:"finished_at"`
	Steps      []WorkflowStep `json:"steps,omitempty"`
}

// WorkflowStep is one node a run ran.
type WorkflowStep struct {
	Seq        int       `json:"seq"`
	Node       string    `json:"node"`
	Type       string    `json:"type"`
	Status     string    `json:"status"`
	Input      any       `json:"input"`
	Output     any       `json:"output"`
	Error      string    `json:"error,omitempty"`
	StartedAt  time.Time `json:"started_at"`
	DurationMS int64     `json:"duration_ms"`
}

// WorkflowSample lists the paths a sample request offers for trigger.parse.
type WorkflowSample struct {
	Headers []SamplePath `json:"headers"`
	Query   []SamplePath `json:"query"`
	Body    []SamplePath `json:"body"`
}

// SamplePath is one header name (Name) or path (Path) with its value.
type SamplePath struct {
	Name  string `json:"name,omitempty"`
	Path  string `json:"path,omitempty"`
	Value any    `json:"value"`
}

// ListWorkflows returns one page of workflows, newest first.
func (c *Client) ListWorkflows(ctx context.Context, o ListOptions) (*Page[Workflow], error) {
	return listPage[Workflow](ctx, c, path("workflows"), url.Values{}, o)
}

// GetWorkflow returns a workflow.
func (c *Client) GetWorkflow(ctx context.Context, id string) (*Workflow, error) {
	var out Workflow
	return &out, c.call(ctx, request{method: "GET", path: path("workflows", id)}, &out)
}

// CreateWorkflow creates a workflow from its API JSON (name, trigger,
// start, nodes, …).
func (c *Client) CreateWorkflow(ctx context.Context, in Object) (*Workflow, error) {
	var out Workflow
	return &out, c.call(ctx, request{method: "POST", path: path("workflows"), body: in}, &out)
}

// UpdateWorkflow changes the fields in of a workflow.
func (c *Client) UpdateWorkflow(ctx context.Context, id string, in Object) (*Workflow, error) {
	var out Workflow
	return &out, c.call(ctx, request{method: "PATCH", path: path("workflows", id), body: in}, &out)
}

// DeleteWorkflow deletes a workflow (and the source made for it).
func (c *Client) DeleteWorkflow(ctx context.Context, id string) error {
	return c.call(ctx, request{method: "DELETE", path: path("workflows", id)}, nil)
}

// RunListOptions filters and pages a workflow's runs.
type RunListOptions struct {
	ListOptions
	Status string
}

// ListWorkflowRuns returns one page of a workflow's runs, newest first.
func (c *Client) ListWorkflowRuns(ctx context.Context, id string, o RunListOptions) (*Page[WorkflowRun], error) {
	q := url.Values{}
	setIf(q, "status", o.Status)
	return listPage[WorkflowRun](ctx, c, path("workflows", id, "runs"), q, o.ListOptions)
}

// GetWorkflowRun returns a run with its steps.
func (c *Client) GetWorkflowRun(ctx context.Context, id, runID string) (*WorkflowRun, error) {
	var out WorkflowRun
	return &out, c.call(ctx, request{method: "GET", path: path("workflows", id, "runs", runID)}, &out)
}

// RerunWorkflowRun queues a new run on the same trigger event.
func (c *Client) RerunWorkflowRun(ctx context.Context, id, runID string) (*WorkflowRun, error) {
	var out WorkflowRun
	return &out, c.call(ctx, request{method: "POST", path: path("workflows", id, "runs", runID, "rerun")}, &out)
}

// ParseWorkflowSample lists the paths of a sample request: its URL (or only
// its query), headers and JSON body.
func (c *Client) ParseWorkflowSample(ctx context.Context, rawURL string, headers map[string]string, body json.RawMessage) (*WorkflowSample, error) {
	in := map[string]any{"url": rawURL, "headers": headers}
	if len(body) > 0 {
		in["body"] = body
	}
	var out WorkflowSample
	return &out, c.call(ctx, request{method: "POST", path: path("workflows", "parse-sample"), body: in}, &out)
}
