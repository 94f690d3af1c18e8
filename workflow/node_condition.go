package workflow

import (
	"context"
	"fmt"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/expr"
)

// conditionKind branches on a CEL expression: then when it is true, else
// when it is false.
type conditionKind struct{}

func (conditionKind) fields() []string { return []string{"expression", "then", "else"} }

func (conditionKind) compile(n *hookhub.Node) (node, error) {
	switch {
	case n.Expression == "":
		return nil, bad("expression", "is required")
	case n.Then == "":
		return nil, bad("then", "is required")
	case n.Else == "":
		return nil, bad("else", "is required")
	}
	prg, err := expr.CompileBool(env(), n.Expression)
	if err != nil {
		return nil, wrapped("expression", err)
	}
	return &condition{prg: prg, then: n.Then, els: n.Else}, nil
}

type condition struct {
	prg       *expr.Program
	then, els string
}

func (c *condition) plan(ctx context.Context, vars map[string]any) (Plan, error) {
	p := Plan{Input: map[string]any{"expression": c.prg.Source()}}
	ok, err := c.prg.EvalBool(ctx, vars)
	if err != nil {
		return p, fmt.Errorf("expression: %s", message(err))
	}
	p.Output, p.Next = map[string]any{"result": ok}, c.els
	if ok {
		p.Next = c.then
	}
	return p, nil
}

func (c *condition) edges() []edge             { return []edge{{"then", c.then}, {"else", c.els}} }
func (c *condition) programs() []*expr.Program { return []*expr.Program{c.prg} }
