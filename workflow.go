package hookhub

import "time"

// Workflow trigger modes.
const (
	// WorkflowAsync answers the trigger's response as soon as the request is
	// stored and runs afterwards.
	WorkflowAsync = "async"
	// WorkflowSync runs at once and answers from the first respond node.
	WorkflowSync = "sync"
)

// Workflow node types.
const (
	NodeCondition   = "condition"
	NodeRespond     = "respond"
	NodeHTTPRequest = "http_request"
	NodeDeliver     = "deliver"
	NodeIncident    = "incident"
	NodeTransform   = "transform"
	NodeDelay       = "delay"
)

// Workflow run statuses.
const (
	RunQueued    = "queued"  // stored, not started
	RunRunning   = "running" // a runner holds it
	RunWaiting   = "waiting" // on a delay node, until DueAt
	RunSucceeded = "succeeded"
	RunFailed    = "failed"
)

// Step statuses.
const (
	StepSucceeded = "succeeded"
	StepFailed    = "failed"
)

// Workflow runs when a webhook reaches its source: it decides what to answer and
// what to do. Its definition (Trigger, Start, Nodes) is data; the workflow
// package validates and runs it.
type Workflow struct {
	ID       string
	Name     string
	SourceID string
	// OwnsSource marks a source created for the workflow, deleted with it;
	// a source it was bound to by ID stays.
	OwnsSource bool
	Enabled    bool
	// Version increases with every change of the definition; a run keeps
	// the version it started with.
	Version int

	Trigger Trigger
	Start   string // the first node's ID
	Nodes   []Node

	CreatedAt time.Time
	UpdatedAt time.Time
}

// Trigger says how a workflow's webhooks are answered and read. Their
// verification is the source's.
type Trigger struct {
	Mode       string   // async (default) or sync
	Parse      Parse    // values read into trigger.vars
	Response   Response // what an async trigger answers; default 200 "ok"
	TimeoutSec int      // how long a sync trigger waits for an answer; default 10
}

// Parse selects request values into a run's trigger.vars, each under its
// Alias, or else under its path: header names, query paths such as
// "query[0].a", JSON body paths such as "b.c".
type Parse struct {
	Headers []Variable
	Query   []Variable
	Body    []Variable
}

// Node is one step of a workflow. Which fields apply depends on Type;
// text fields are {{ <CEL> }} templates.
type Node struct {
	ID   string
	Type string
	Next string // every type but condition; "" ends the run

	Expression string // condition
	Then, Else string // condition

	Status  int               // respond
	Headers map[string]string // respond, http_request (values secret for http_request)
	Body    string            // respond, http_request

	Method          string // http_request; default POST
	URL             string // http_request
	TimeoutSec      int    // http_request; default 10
	AcceptAnyStatus bool   // http_request: a non-2xx answer is an output, not a failure

	DestinationID string // deliver
	EventType     string // deliver
	Payload       string // deliver: a JSON template; default the trigger's body

	Action      string // incident: open or resolve
	Title       string // incident
	Severity    string // incident
	Fingerprint string // incident; default the title

	Output string // transform: a JSON template

	Seconds int // delay
}

// WorkflowRun is one execution of a workflow started by one event.
type WorkflowRun struct {
	ID         string
	WorkflowID string
	Version    int    // the definition it runs
	EventID    string // the trigger event
	RerunOf    string // the run this one repeats, if any
	Status     string
	Node       string         // the node to run next, while not finished
	Outputs    map[string]any // node ID → output, so far
	Error      string         // why it failed
	FailedNode string
	StepCount  int // steps recorded so far
	// DueAt is when the run may next be taken by a runner: its creation for
	// a queued run, the end of the delay for a waiting one.
	DueAt time.Time
	// LeaseUntil and Claims belong to the runner holding it: a lease that
	// has expired lets another runner resume the run, and Claims counts the
	// takings so that only the current holder's progress is saved.
	LeaseUntil time.Time
	Claims     int

	StartedAt  time.Time
	FinishedAt time.Time // zero until succeeded or failed
	CreatedAt  time.Time
	UpdatedAt  time.Time

	Steps []*WorkflowStep // filled by GetWorkflowRun
}

// WorkflowStep is one node run within a run.
type WorkflowStep struct {
	RunID      string
	Seq        int // 1, 2, … within the run
	Node       string
	Type       string
	Status     string // succeeded or failed
	Input      any    // what the node evaluated (a request, a rendered body, …)
	Output     any
	Error      string
	StartedAt  time.Time
	DurationMS int64
}

// RunFilter selects runs to list, newest first.
type RunFilter struct {
	WorkflowID string
	Status     string
	Page       Page
}

// RunProgress is what a runner saves of a run it holds, in one
// transaction: the run's new state, the steps it took since the last save,
// and the events (with their deliveries) its deliver nodes made.
type RunProgress struct {
	Run    *WorkflowRun // its Claims must be the holder's, or nothing is saved
	Steps  []*WorkflowStep
	Events []*NewEvent
	// Conflict is set by the store when another runner holds the run now:
	// nothing of this progress was saved.
	Conflict bool
}

// Workflow defaults.
const (
	DefaultWorkflowTimeoutSec = 10
	MaxWorkflowTimeoutSec     = 300
)

// SetDefaults fills unset trigger settings with the documented defaults.
func (w *Workflow) SetDefaults() {
	t := &w.Trigger
	if t.Mode == "" {
		t.Mode = WorkflowAsync
	}
	if t.Response.Status == 0 {
		t.Response.Status = 200
		if t.Response.Body == "" {
			t.Response.Body = "ok"
		}
	}
	if t.TimeoutSec == 0 {
		t.TimeoutSec = DefaultWorkflowTimeoutSec
	}
}

// Validate checks a workflow's own settings; the workflow package checks
// its nodes and graph.
func (w *Workflow) Validate() error {
	t := w.Trigger
	switch {
	case w.Name == "":
		return Errorf(EINVALID, "field name: is required")
	case len(w.Name) > 200:
		return Errorf(EINVALID, "field name: is longer than 200 characters")
	case t.Mode != WorkflowAsync && t.Mode != WorkflowSync:
		return Errorf(EINVALID, "field trigger.mode: must be %s or %s, not %q", WorkflowAsync, WorkflowSync, t.Mode)
	case t.Response.Status < 200 || t.Response.Status > 299:
		return Errorf(EINVALID, "field trigger.response.status: must be a 2xx status")
	case t.TimeoutSec < 1 || t.TimeoutSec > MaxWorkflowTimeoutSec:
		return Errorf(EINVALID, "field trigger.timeout_seconds: must be between 1 and %d", MaxWorkflowTimeoutSec)
	}
	parts := []struct {
		field, key string
		vars       []Variable
	}{{"headers", "name", t.Parse.Headers}, {"query", "path", t.Parse.Query}, {"body", "path", t.Parse.Body}}
	for _, p := range parts {
		for i, v := range p.vars {
			if v.Path == "" {
				return Errorf(EINVALID, "field trigger.parse.%s[%d].%s: is required", p.field, i, p.key)
			}
		}
	}
	return nil
}
