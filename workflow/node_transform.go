package workflow

import (
	"context"
	"fmt"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/expr"
	"github.com/hookhub/hookhub/ingest"
)

// transformKind builds a JSON value from a JSON template: its output is
// the value, for later nodes to read as nodes.<id>.output.
type transformKind struct{}

func (transformKind) fields() []string { return []string{"output", "next"} }

func (transformKind) compile(n *hookhub.Node) (node, error) {
	if n.Output == "" {
		return nil, bad("output", "is required")
	}
	t, err := jsonTemplate("output", n.Output)
	if err != nil {
		return nil, err
	}
	return &transform{output: t, nextID: n.Next}, nil
}

type transform struct {
	output *expr.Template
	nextID string
}

func (t *transform) plan(ctx context.Context, vars map[string]any) (Plan, error) {
	b, err := t.output.RenderBytes(ctx, vars)
	if err != nil {
		return Plan{}, fmt.Errorf("output: %s", message(err))
	}
	v, err := ingest.DecodeJSON(b)
	if err != nil {
		return Plan{}, fmt.Errorf("output: %s", message(err))
	}
	return Plan{Output: v, Next: t.nextID}, nil
}

func (t *transform) edges() []edge             { return optional(t.nextID) }
func (t *transform) programs() []*expr.Program { return programsOf(t.output) }
