package workflow

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/hookhub/hookhub"
)

// MaxNodes bounds a workflow's size.
const MaxNodes = 200

// nodeID is what a node ID may be: short, and readable in nodes.<id>.
var nodeID = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]{0,63}$`)

// Compiled is a valid workflow with every expression and template
// compiled, ready to run. It is safe for concurrent use.
type Compiled struct {
	w     *hookhub.Workflow
	nodes map[string]node
	types map[string]string
	vars  []hookhub.Variable // trigger.parse as ingest selections
}

// Compile checks a workflow (with its defaults set, see
// hookhub.Workflow.SetDefaults) and compiles it. A problem is an EINVALID
// error naming the node and field: an unknown node type, a field that does
// not apply to the type, a missing or dangling then/else/next, an
// unreachable node, a cycle, an expression or template that does not compile
// (with its line and column), a respond node in an async workflow.
func Compile(w *hookhub.Workflow) (*Compiled, error) {
	if err := w.Validate(); err != nil {
		return nil, err
	}
	switch {
	case len(w.Nodes) == 0:
		return nil, hookhub.Errorf(hookhub.EINVALID, "field nodes: a workflow needs at least one node")
	case len(w.Nodes) > MaxNodes:
		return nil, hookhub.Errorf(hookhub.EINVALID, "field nodes: a workflow has at most %d nodes", MaxNodes)
	}
	c := &Compiled{w: w, nodes: map[string]node{}, types: map[string]string{}, vars: selections(w.Trigger.Parse)}
	for i := range w.Nodes {
		if err := c.add(i, &w.Nodes[i]); err != nil {
			return nil, err
		}
	}
	g := graph{start: w.Start, order: ids(w.Nodes), nodes: c.nodes, vars: varKeys(c.vars)}
	if err := g.check(); err != nil {
		return nil, err
	}
	if err := g.checkReferences(); err != nil {
		return nil, err
	}
	return c, nil
}

// add checks and compiles one node.
func (c *Compiled) add(i int, n *hookhub.Node) error {
	switch {
	case n.ID == "":
		return hookhub.Errorf(hookhub.EINVALID, "nodes[%d], field id: is required", i)
	case !nodeID.MatchString(n.ID):
		return hookhub.Errorf(hookhub.EINVALID,
			"nodes[%d], field id: %q must start with a letter or _ and hold at most 64 letters, digits, _ or -", i, n.ID)
	case c.nodes[n.ID] != nil:
		return nodeError(n.ID, bad("id", "is used by more than one node"))
	}
	k, ok := kinds[n.Type]
	if !ok {
		return nodeError(n.ID, bad("type", "%q is not a node type; use one of %s", n.Type, strings.Join(Types(), ", ")))
	}
	if f, ok := foreignField(n, k.fields()); ok {
		return nodeError(n.ID, bad(f, "does not apply to %s nodes", n.Type))
	}
	if n.Type == hookhub.NodeRespond && c.w.Trigger.Mode != hookhub.WorkflowSync {
		return nodeError(n.ID, bad("type",
			"respond nodes need trigger.mode sync; an async workflow answers with trigger.response"))
	}
	cn, err := k.compile(n)
	if err != nil {
		return nodeError(n.ID, err)
	}
	c.nodes[n.ID], c.types[n.ID] = cn, n.Type
	return nil
}

// Types lists the node types, sorted.
func Types() []string {
	out := make([]string, 0, len(kinds))
	for t := range kinds {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

func ids(nodes []hookhub.Node) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.ID
	}
	return out
}

func varKeys(vs []hookhub.Variable) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Alias
	}
	return out
}

// selections turns a trigger's parse settings into ingest selections, each
// keyed by its alias or else as the user wrote it.
func selections(p hookhub.Parse) []hookhub.Variable {
	var out []hookhub.Variable
	add := func(prefix string, vs []hookhub.Variable) {
		for _, v := range vs {
			key := v.Alias
			if key == "" {
				key = v.Path
			}
			out = append(out, hookhub.Variable{Path: prefix + v.Path, Alias: key})
		}
	}
	add("header.", p.Headers)
	add("query.", p.Query)
	add("body.", p.Body)
	return out
}

// Workflow returns the definition c was compiled from.
func (c *Compiled) Workflow() *hookhub.Workflow { return c.w }

// Sync reports whether the trigger waits for the run to answer.
func (c *Compiled) Sync() bool { return c.w.Trigger.Mode == hookhub.WorkflowSync }

// Type returns the type of node id.
func (c *Compiled) Type(id string) string { return c.types[id] }

// Step evaluates the node id with a run's trigger and the outputs so far.
// It does no I/O: a node that needs some returns it as Plan.Effect, for
// the runner to perform. An evaluation failure (a missing field, a
// template that renders a bad URL, a limit) is the node's failure.
func (c *Compiled) Step(ctx context.Context, id string, t *Trigger, outputs map[string]any) (Plan, error) {
	n, ok := c.nodes[id]
	if !ok {
		return Plan{}, hookhub.Errorf(hookhub.EINVALID, "the workflow has no node %q", id)
	}
	return n.plan(ctx, vars(t, outputs))
}

// Selections returns what a trigger's parse settings select, as source
// variables keyed like trigger.vars, so a source made for a workflow keeps
// the same values with each event.
func Selections(p hookhub.Parse) []hookhub.Variable {
	return selections(p)
}
