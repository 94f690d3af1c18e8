package workflow

import (
	"slices"
	"strings"

	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"

	"github.com/hookhub/hookhub"
)

// graph checks that nodes form a DAG from start that reaches every node.
type graph struct {
	start string
	order []string // node IDs as defined, for deterministic messages
	nodes map[string]node
	vars  []string // the keys trigger.parse selects into trigger.vars
}

func (g *graph) check() error {
	if g.start == "" {
		return hookhub.Errorf(hookhub.EINVALID, "field start: is required")
	}
	if g.nodes[g.start] == nil {
		return hookhub.Errorf(hookhub.EINVALID, "field start: no node is named %q", g.start)
	}
	for _, id := range g.order {
		for _, e := range g.nodes[id].edges() {
			if g.nodes[e.to] == nil {
				return nodeError(id, bad(e.field, "no node is named %q", e.to))
			}
		}
	}
	if err := g.acyclic(); err != nil {
		return err
	}
	seen := g.reachable(g.start)
	for _, id := range g.order {
		if !seen[id] {
			return nodeError(id, hookhub.Errorf(hookhub.EINVALID, "is not reachable from start %q", g.start))
		}
	}
	return nil
}

// acyclic walks the graph depth first with an explicit stack; an edge back
// to a node on the current path is a cycle.
func (g *graph) acyclic() error {
	const (
		unseen = iota
		onPath
		done
	)
	state := map[string]int{}
	for _, root := range g.order {
		if state[root] != unseen {
			continue
		}
		path := []frame{{id: root}}
		state[root] = onPath
		for len(path) > 0 {
			top := &path[len(path)-1]
			edges := g.nodes[top.id].edges()
			if top.next == len(edges) {
				state[top.id] = done
				path = path[:len(path)-1]
				continue
			}
			e := edges[top.next]
			top.next++
			switch state[e.to] {
			case onPath:
				return nodeError(top.id, bad(e.field, "%q makes a cycle (%s); a workflow may not loop", e.to, cycle(path, e.to)))
			case unseen:
				state[e.to] = onPath
				path = append(path, frame{id: e.to})
			}
		}
	}
	return nil
}

// frame is a node on the depth-first path and the index of its next edge.
type frame struct {
	id   string
	next int
}

// cycle spells the loop that closes at to: "a → b → a".
func cycle(path []frame, to string) string {
	var ids []string
	for i := len(path) - 1; i >= 0; i-- {
		ids = append([]string{path[i].id}, ids...)
		if path[i].id == to {
			break
		}
	}
	return strings.Join(append(ids, to), " → ")
}

// reachable returns the nodes reachable from id, id included.
func (g *graph) reachable(id string) map[string]bool {
	seen := map[string]bool{id: true}
	stack := []string{id}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, e := range g.nodes[n].edges() {
			if !seen[e.to] {
				seen[e.to] = true
				stack = append(stack, e.to)
			}
		}
	}
	return seen
}

// checkReferences checks that every nodes.<id> an expression reads names a
// node that can run before the one reading it (has() may test any node),
// and every trigger.vars.<key> one that trigger.parse selects.
func (g *graph) checkReferences() error {
	before := g.ancestors()
	for _, id := range g.order {
		for _, prg := range g.nodes[id].programs() {
			src := strings.TrimSpace(prg.Source())
			for _, key := range varRefs(prg.AST()) {
				if !slices.Contains(g.vars, key) {
					return nodeError(id, hookhub.Errorf(hookhub.EINVALID, "%q reads trigger.vars.%s, which trigger.parse does not select%s",
						src, key, selected(g.vars)))
				}
			}
			for _, ref := range nodeRefs(prg.AST()) {
				switch {
				case g.nodes[ref.id] == nil:
					return nodeError(id, hookhub.Errorf(hookhub.EINVALID, "%q reads nodes.%s, but no node is named %q", src, ref.id, ref.id))
				case ref.field != "" && ref.field != "output":
					return nodeError(id, hookhub.Errorf(hookhub.EINVALID, "%q reads nodes.%s.%s; a node has only output", src, ref.id, ref.field))
				case !ref.test && !before[id][ref.id]:
					return nodeError(id, hookhub.Errorf(hookhub.EINVALID, "%q reads nodes.%s, which never runs before this node", src, ref.id))
				}
			}
		}
	}
	return nil
}

// ancestors returns, for each node, the nodes on some path from start to it.
func (g *graph) ancestors() map[string]map[string]bool {
	out := make(map[string]map[string]bool, len(g.order))
	for _, id := range g.order {
		for n := range g.reachable(id) {
			if n == id {
				continue
			}
			if out[n] == nil {
				out[n] = map[string]bool{}
			}
			out[n][id] = true
		}
	}
	return out
}

// nodeRef is one read of nodes.<id>[.field] in an expression.
type nodeRef struct {
	id    string
	field string // the field selected on it, if any
	test  bool   // inside has(): a presence test
}

// nodeRefs finds the reads of nodes.<id> and nodes["<id>"] in an expression.
func nodeRefs(a *ast.AST) []nodeRef {
	var refs []nodeRef
	parents := map[int64]ast.Expr{}
	ast.PreOrderVisit(a.Expr(), ast.NewExprVisitor(func(e ast.Expr) {
		for _, kid := range children(e) {
			parents[kid.ID()] = e
		}
		ref, ok := nodesAccess(e)
		if !ok {
			return
		}
		if p, ok := parents[e.ID()]; ok && p.Kind() == ast.SelectKind {
			ref.field = p.AsSelect().FieldName()
			ref.test = ref.test || p.AsSelect().IsTestOnly()
		}
		refs = append(refs, ref)
	}))
	return refs
}

// nodesAccess reports whether e selects one entry of nodes.
func nodesAccess(e ast.Expr) (nodeRef, bool) {
	switch e.Kind() {
	case ast.SelectKind:
		sel := e.AsSelect()
		if isNodesIdent(sel.Operand()) {
			return nodeRef{id: sel.FieldName(), test: sel.IsTestOnly()}, true
		}
	case ast.CallKind:
		call := e.AsCall()
		if call.FunctionName() == operators.Index && len(call.Args()) == 2 && isNodesIdent(call.Args()[0]) {
			if key := call.Args()[1]; key.Kind() == ast.LiteralKind {
				if s, ok := key.AsLiteral().Value().(string); ok {
					return nodeRef{id: s}, true
				}
			}
		}
	}
	return nodeRef{}, false
}

func isNodesIdent(e ast.Expr) bool { return e.Kind() == ast.IdentKind && e.AsIdent() == "nodes" }

// children returns the direct subexpressions of e that nodeRefs looks through.
func children(e ast.Expr) []ast.Expr {
	switch e.Kind() {
	case ast.SelectKind:
		return []ast.Expr{e.AsSelect().Operand()}
	case ast.CallKind:
		c := e.AsCall()
		kids := slices.Clone(c.Args())
		if c.IsMemberFunction() {
			kids = append(kids, c.Target())
		}
		return kids
	}
	return nil
}

// selected lists what trigger.parse selects, for a message.
func selected(keys []string) string {
	if len(keys) == 0 {
		return " (it selects nothing)"
	}
	return " (it selects " + strings.Join(keys, ", ") + ")"
}

// varRefs finds the keys of trigger.vars an expression reads outside has().
func varRefs(a *ast.AST) []string {
	var keys []string
	ast.PreOrderVisit(a.Expr(), ast.NewExprVisitor(func(e ast.Expr) {
		switch e.Kind() {
		case ast.SelectKind:
			sel := e.AsSelect()
			if isTriggerVars(sel.Operand()) && !sel.IsTestOnly() {
				keys = append(keys, sel.FieldName())
			}
		case ast.CallKind:
			call := e.AsCall()
			if call.FunctionName() == operators.Index && len(call.Args()) == 2 && isTriggerVars(call.Args()[0]) {
				if key := call.Args()[1]; key.Kind() == ast.LiteralKind {
					if s, ok := key.AsLiteral().Value().(string); ok {
						keys = append(keys, s)
					}
				}
			}
		}
	}))
	return keys
}

// isTriggerVars reports whether e is trigger.vars.
func isTriggerVars(e ast.Expr) bool {
	if e.Kind() != ast.SelectKind {
		return false
	}
	sel := e.AsSelect()
	op := sel.Operand()
	return sel.FieldName() == "vars" && op.Kind() == ast.IdentKind && op.AsIdent() == "trigger"
}
