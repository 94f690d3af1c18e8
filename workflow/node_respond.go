package workflow

import (
	"context"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/expr"
)

// respondKind answers a sync trigger's sender: the first respond node a run
// reaches answers, and the run goes on with next, if set.
type respondKind struct{}

func (respondKind) fields() []string { return []string{"status", "headers", "body", "next"} }

func (respondKind) compile(n *hookhub.Node) (node, error) {
	r := &respond{status: n.Status, nextID: n.Next}
	if r.status == 0 {
		r.status = 200
	}
	if r.status < 200 || r.status > 599 {
		return nil, bad("status", "must be between 200 and 599")
	}
	var err error
	if r.headers, err = headerTemplates(n.Headers); err != nil {
		return nil, err
	}
	if r.body, r.contentType, err = bodyTemplate(n.Body, n.Headers); err != nil {
		return nil, err
	}
	return r, nil
}

type respond struct {
	status      int
	headers     map[string]*expr.Template
	body        *expr.Template
	contentType string
	nextID      string
}

func (r *respond) plan(ctx context.Context, vars map[string]any) (Plan, error) {
	headers, err := renderHeaders(ctx, r.headers, r.contentType, vars)
	if err != nil {
		return Plan{}, err
	}
	body, err := render(ctx, "body", r.body, vars)
	if err != nil {
		return Plan{}, err
	}
	return Plan{
		Input:  map[string]any{"status": r.status, "headers": headers, "body": body},
		Next:   r.nextID,
		Effect: Respond{Status: r.status, Headers: headers, Body: []byte(body)},
	}, nil
}

func (r *respond) edges() []edge { return optional(r.nextID) }
func (r *respond) programs() []*expr.Program {
	return append(headerPrograms(r.headers), programsOf(r.body)...)
}

// optional lists the edge to next when it is set.
func optional(next string) []edge {
	if next == "" {
		return nil
	}
	return []edge{{"next", next}}
}
