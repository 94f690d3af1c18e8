package workflow

import (
	"context"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/expr"
)

// kind is one node type: it checks a node's settings and compiles them
// when a workflow is saved.
type kind interface {
	// fields names the node fields the type reads, besides id and type.
	fields() []string
	// compile checks a node and compiles its expressions and templates;
	// errors are fieldErrors.
	compile(n *hookhub.Node) (node, error)
}

// node is a compiled node, safe for concurrent use.
type node interface {
	// plan evaluates the node with a run's variables.
	plan(ctx context.Context, vars map[string]any) (Plan, error)
	// edges lists the nodes it may continue with.
	edges() []edge
	// programs lists its compiled expressions, for reference checks.
	programs() []*expr.Program
}

// edge is a field of a node naming the node that may follow it.
type edge struct {
	field string
	to    string
}

// kinds is the node type registry. It is filled once here and never changed.
var kinds = map[string]kind{
	hookhub.NodeCondition:   conditionKind{},
	hookhub.NodeRespond:     respondKind{},
	hookhub.NodeHTTPRequest: httpKind{},
	hookhub.NodeDeliver:     deliverKind{},
	hookhub.NodeIncident:    incidentKind{},
	hookhub.NodeTransform:   transformKind{},
	hookhub.NodeDelay:       delayKind{},
}

// Plan is what evaluating one node decided.
type Plan struct {
	Input  any    // what the node evaluated, kept in the step
	Output any    // the node's output, when it needs no effect
	Next   string // the node after it; "" ends the run
	// Effect is the I/O the runner performs before the output is known;
	// nil when the node needs none.
	Effect Effect
}

// Effect is one piece of I/O a node asks the runner for.
type Effect interface{ effect() }

// Respond answers a sync trigger's sender.
type Respond struct {
	Status  int
	Headers map[string]string
	Body    []byte
}

// HTTPRequest calls a URL through the outbound SSRF guard.
type HTTPRequest struct {
	Method          string
	URL             string
	Headers         map[string]string
	Body            []byte
	Timeout         time.Duration
	AcceptAnyStatus bool
}

// Deliver hands a new event to one destination through the delivery engine.
type Deliver struct {
	DestinationID string
	EventType     string
	Payload       []byte
}

// Incident opens (or joins) or resolves an incident of the workflow's source.
type Incident struct {
	Action      string // open or resolve
	Title       string
	Severity    string
	Fingerprint string
}

// Wait suspends the run, durably, for Duration.
type Wait struct {
	Duration time.Duration
}

func (Respond) effect()     {}
func (HTTPRequest) effect() {}
func (Deliver) effect()     {}
func (Incident) effect()    {}
func (Wait) effect()        {}
