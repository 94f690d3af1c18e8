package sqlstore

import "github.com/hookhub/hookhub"

// The stored JSON of a workflow's definition has its own types with
// explicit names, so that renaming a Go field never silently drops a stored
// setting. Header values of http_request nodes are secrets: they go to
// workflowSecrets, which is sealed.

type workflowDef struct {
	Trigger triggerDef `json:"trigger"`
	Start   string     `json:"start"`
	Nodes   []nodeDef  `json:"nodes"`
}

type triggerDef struct {
	Mode       string         `json:"mode"`
	Parse      parseDef       `json:"parse"`
	Response   responseConfig `json:"response"`
	TimeoutSec int            `json:"timeout_sec,omitempty"`
}

type parseDef struct {
	Headers []variableConfig `json:"headers,omitempty"`
	Query   []variableConfig `json:"query,omitempty"`
	Body    []variableConfig `json:"body,omitempty"`
}

type nodeDef struct {
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
	TimeoutSec      int               `json:"timeout_sec,omitempty"`
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

// workflowSecrets holds http_request header values by node ID.
type workflowSecrets struct {
	Headers map[string]map[string]string `json:"headers,omitempty"`
}

func variables(vs []hookhub.Variable) []variableConfig {
	out := make([]variableConfig, len(vs))
	for i, v := range vs {
		out[i] = variableConfig(v)
	}
	return out
}

func domainVariables(vs []variableConfig) []hookhub.Variable {
	if len(vs) == 0 {
		return nil
	}
	out := make([]hookhub.Variable, len(vs))
	for i, v := range vs {
		out[i] = hookhub.Variable(v)
	}
	return out
}

// workflowDefOf splits a workflow's definition into what is stored plain
// and what is sealed.
func workflowDefOf(w *hookhub.Workflow) (workflowDef, workflowSecrets) {
	t := w.Trigger
	def := workflowDef{
		Trigger: triggerDef{
			Mode:       t.Mode,
			Parse:      parseDef{Headers: variables(t.Parse.Headers), Query: variables(t.Parse.Query), Body: variables(t.Parse.Body)},
			Response:   responseConfig(t.Response),
			TimeoutSec: t.TimeoutSec,
		},
		Start: w.Start,
		Nodes: make([]nodeDef, len(w.Nodes)),
	}
	var sec workflowSecrets
	for i, n := range w.Nodes {
		nd := nodeDef(n)
		if n.Type == hookhub.NodeHTTPRequest && len(n.Headers) > 0 {
			if sec.Headers == nil {
				sec.Headers = map[string]map[string]string{}
			}
			sec.Headers[n.ID] = n.Headers
			nd.Headers = nil
		}
		def.Nodes[i] = nd
	}
	return def, sec
}

func (def workflowDef) applyTo(w *hookhub.Workflow, sec workflowSecrets) {
	t := def.Trigger
	w.Trigger = hookhub.Trigger{
		Mode: t.Mode,
		Parse: hookhub.Parse{
			Headers: domainVariables(t.Parse.Headers), Query: domainVariables(t.Parse.Query), Body: domainVariables(t.Parse.Body),
		},
		Response:   hookhub.Response(t.Response),
		TimeoutSec: t.TimeoutSec,
	}
	w.Start = def.Start
	w.Nodes = make([]hookhub.Node, len(def.Nodes))
	for i, nd := range def.Nodes {
		n := hookhub.Node(nd)
		if h, ok := sec.Headers[n.ID]; ok && n.Type == hookhub.NodeHTTPRequest {
			n.Headers = h
		}
		w.Nodes[i] = n
	}
}
