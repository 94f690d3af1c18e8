package server

import (
	"time"

	"github.com/hookhub/hookhub"
)

// workflowJSON is a workflow as the API shows it. trigger.auth is its
// source's verification, secrets masked; http_request header values are
// masked too.
type workflowJSON struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Enabled    bool        `json:"enabled"`
	SourceID   string      `json:"source_id"`
	OwnsSource bool        `json:"owns_source"`
	URL        string      `json:"url"`
	Version    int         `json:"version"`
	Trigger    triggerJSON `json:"trigger"`
	Start      string      `json:"start"`
	Nodes      []nodeJSON  `json:"nodes"`
	CreatedAt  time.Time   `json:"created_at"`
	UpdatedAt  time.Time   `json:"updated_at"`
}

type triggerJSON struct {
	Mode           string            `json:"mode"`
	Auth           *verificationJSON `json:"auth"`
	Parse          parseJSON         `json:"parse"`
	Response       responseJSON      `json:"response"`
	TimeoutSeconds int               `json:"timeout_seconds"`
}

type parseJSON struct {
	Headers []headerParseJSON `json:"headers"`
	Query   []variableJSON    `json:"query"`
	Body    []variableJSON    `json:"body"`
}

type headerParseJSON struct {
	Name  string `json:"name"`
	Alias string `json:"alias,omitempty"`
}

// nodeJSON is one node; which fields apply depends on its type.
type nodeJSON struct {
	ID              string            `json:"id"`
	Type            string            `json:"type"`
	Next            string            `json:"next,omitempty"`
	Expression      string            `json:"expression,omitempty"`
	Then            string            `json:"then,omitempty"`
	Else            string            `json:"else,omitempty"`
	Status          int               `json:"status,omitempty"`
	Headers         map[string]string `json:"headers,omitempty"`
	Body            string            `json:"body,omitempty"`
	Method          string            `json:"method,omitempty"`
	URL             string            `json:"url,omitempty"`
	TimeoutSeconds  int               `json:"timeout_seconds,omitempty"`
	AcceptAnyStatus bool              `json:"accept_any_status,omitempty"`
	DestinationID   string            `json:"destination_id,omitempty"`
	EventType       string            `json:"event_type,omitempty"`
	Payload         string            `json:"payload,omitempty"`
	Action          string            `json:"action,omitempty"`
	Title           string            `json:"title,omitempty"`
	Severity        string            `json:"severity,omitempty"`
	Fingerprint     string            `json:"fingerprint,omitempty"`
	Output          string            `json:"output,omitempty"`
	Seconds         int               `json:"seconds,omitempty"`
}

func (s *Server) workflowOut(w *hookhub.Workflow, src *hookhub.Source) workflowJSON {
	t := w.Trigger
	out := workflowJSON{
		ID: w.ID, Name: w.Name, Enabled: w.Enabled, SourceID: w.SourceID, OwnsSource: w.OwnsSource,
		Version: w.Version, Start: w.Start, Nodes: make([]nodeJSON, len(w.Nodes)),
		Trigger: triggerJSON{
			Mode: t.Mode, TimeoutSeconds: t.TimeoutSec,
			Parse:    parseJSON{Headers: []headerParseJSON{}, Query: variablesOut(t.Parse.Query), Body: variablesOut(t.Parse.Body)},
			Response: responseJSON{Status: t.Response.Status, Headers: t.Response.Headers, Body: t.Response.Body},
		},
		CreatedAt: w.CreatedAt.UTC(), UpdatedAt: w.UpdatedAt.UTC(),
	}
	for _, h := range t.Parse.Headers {
		out.Trigger.Parse.Headers = append(out.Trigger.Parse.Headers, headerParseJSON{Name: h.Path, Alias: h.Alias})
	}
	if src != nil {
		so := s.sourceOut(src)
		out.URL, out.Trigger.Auth = so.URL, &so.Verification
	}
	for i, n := range w.Nodes {
		out.Nodes[i] = nodeOut(n)
	}
	return out
}

func variablesOut(vs []hookhub.Variable) []variableJSON {
	out := make([]variableJSON, len(vs))
	for i, v := range vs {
		out[i] = variableJSON{Path: v.Path, Alias: v.Alias}
	}
	return out
}

func nodeOut(n hookhub.Node) nodeJSON {
	out := nodeJSON{
		ID: n.ID, Type: n.Type, Next: n.Next, Expression: n.Expression, Then: n.Then, Else: n.Else,
		Status: n.Status, Headers: n.Headers, Body: n.Body, Method: n.Method, URL: n.URL,
		TimeoutSeconds: n.TimeoutSec, AcceptAnyStatus: n.AcceptAnyStatus, DestinationID: n.DestinationID,
		EventType: n.EventType, Payload: n.Payload, Action: n.Action, Title: n.Title, Severity: n.Severity,
		Fingerprint: n.Fingerprint, Output: n.Output, Seconds: n.Seconds,
	}
	if n.Type == hookhub.NodeHTTPRequest && len(n.Headers) > 0 {
		out.Headers = make(map[string]string, len(n.Headers))
		for k := range n.Headers {
			out.Headers[k] = masked
		}
	}
	return out
}

// workflowInput is the body of create and update; nil fields are left as
// they are. nodes replaces every node; an http_request header sent as
// "<masked>" keeps the value it had in the node of the same ID.
type workflowInput struct {
	Name     *string       `json:"name"`
	Enabled  *bool         `json:"enabled"`
	SourceID *string       `json:"source_id"`
	Trigger  *triggerInput `json:"trigger"`
	Start    *string       `json:"start"`
	Nodes    *[]nodeJSON   `json:"nodes"`
}

// triggerInput changes the fields it sends; auth keeps secrets left out.
type triggerInput struct {
	Mode           *string           `json:"mode"`
	Auth           *verificationJSON `json:"auth"`
	Parse          *parseJSON        `json:"parse"`
	Response       *responseJSON     `json:"response"`
	TimeoutSeconds *int              `json:"timeout_seconds"`
}

// apply copies the given fields onto w.
func (in *workflowInput) apply(w *hookhub.Workflow) {
	setIf(&w.Name, in.Name)
	setIf(&w.Enabled, in.Enabled)
	setIf(&w.Start, in.Start)
	if t := in.Trigger; t != nil {
		setIf(&w.Trigger.Mode, t.Mode)
		setIf(&w.Trigger.TimeoutSec, t.TimeoutSeconds)
		if r := t.Response; r != nil {
			w.Trigger.Response = hookhub.Response{Status: r.Status, Headers: r.Headers, Body: r.Body}
		}
		if p := t.Parse; p != nil {
			w.Trigger.Parse = hookhub.Parse{Query: variablesIn(p.Query), Body: variablesIn(p.Body)}
			for _, h := range p.Headers {
				w.Trigger.Parse.Headers = append(w.Trigger.Parse.Headers, hookhub.Variable{Path: h.Name, Alias: h.Alias})
			}
		}
	}
	if in.Nodes != nil {
		old := map[string]hookhub.Node{}
		for _, n := range w.Nodes {
			old[n.ID] = n
		}
		w.Nodes = make([]hookhub.Node, len(*in.Nodes))
		for i, n := range *in.Nodes {
			w.Nodes[i] = nodeIn(n, old[n.ID])
		}
	}
}

func variablesIn(vs []variableJSON) []hookhub.Variable {
	out := make([]hookhub.Variable, len(vs))
	for i, v := range vs {
		out[i] = hookhub.Variable{Path: v.Path, Alias: v.Alias}
	}
	return out
}

// nodeIn reads a node; masked header values come from the node it replaces.
func nodeIn(n nodeJSON, old hookhub.Node) hookhub.Node {
	headers := n.Headers
	if n.Type == hookhub.NodeHTTPRequest && len(headers) > 0 {
		headers = make(map[string]string, len(n.Headers))
		for k, v := range n.Headers {
			if v == masked && old.Type == hookhub.NodeHTTPRequest {
				v = old.Headers[k]
			}
			headers[k] = v
		}
	}
	return hookhub.Node{
		ID: n.ID, Type: n.Type, Next: n.Next, Expression: n.Expression, Then: n.Then, Else: n.Else,
		Status: n.Status, Headers: headers, Body: n.Body, Method: n.Method, URL: n.URL,
		TimeoutSec: n.TimeoutSeconds, AcceptAnyStatus: n.AcceptAnyStatus, DestinationID: n.DestinationID,
		EventType: n.EventType, Payload: n.Payload, Action: n.Action, Title: n.Title, Severity: n.Severity,
		Fingerprint: n.Fingerprint, Output: n.Output, Seconds: n.Seconds,
	}
}

// runJSON is a run as the API shows it; steps only in a single run.
type runJSON struct {
	ID         string     `json:"id"`
	WorkflowID string     `json:"workflow_id"`
	Version    int        `json:"version"`
	EventID    string     `json:"event_id"`
	RerunOf    string     `json:"rerun_of,omitempty"`
	Status     string     `json:"status"`
	Node       string     `json:"node,omitempty"`
	Error      string     `json:"error,omitempty"`
	FailedNode string     `json:"failed_node,omitempty"`
	ResumeAt   *time.Time `json:"resume_at,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	StartedAt  *time.Time `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at"`
	Steps      []stepJSON `json:"steps,omitempty"`
}

type stepJSON struct {
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

func runOut(r *hookhub.WorkflowRun, withSteps bool) runJSON {
	out := runJSON{
		ID: r.ID, WorkflowID: r.WorkflowID, Version: r.Version, EventID: r.EventID, RerunOf: r.RerunOf,
		Status: r.Status, Node: r.Node, Error: r.Error, FailedNode: r.FailedNode, CreatedAt: r.CreatedAt.UTC(),
		StartedAt: timeOrNil(r.StartedAt), FinishedAt: timeOrNil(r.FinishedAt),
	}
	if r.Status == hookhub.RunWaiting {
		out.ResumeAt = timeOrNil(r.DueAt)
	}
	if withSteps {
		out.Steps = make([]stepJSON, len(r.Steps))
		for i, st := range r.Steps {
			out.Steps[i] = stepJSON{Seq: st.Seq, Node: st.Node, Type: st.Type, Status: st.Status, Input: st.Input,
				Output: st.Output, Error: st.Error, StartedAt: st.StartedAt.UTC(), DurationMS: st.DurationMS}
		}
	}
	return out
}

func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
