package workflow

import (
	"context"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/expr"
)

// Incident actions.
const (
	ActionOpen    = "open"
	ActionResolve = "resolve"
)

// incidentKind opens, joins or resolves an incident of the workflow's
// source from mapped fields, as an alert source's alert would: one open
// incident per fingerprint (default: the title).
type incidentKind struct{}

func (incidentKind) fields() []string {
	return []string{"action", "title", "severity", "fingerprint", "next"}
}

func (incidentKind) compile(n *hookhub.Node) (node, error) {
	in := &incident{action: n.Action, nextID: n.Next}
	if in.action == "" {
		in.action = ActionOpen
	}
	if in.action != ActionOpen && in.action != ActionResolve {
		return nil, bad("action", "must be %s or %s", ActionOpen, ActionResolve)
	}
	if n.Title == "" && n.Fingerprint == "" {
		return nil, bad("title", "is required (or, to resolve, a fingerprint)")
	}
	if in.action == ActionOpen && n.Title == "" {
		return nil, bad("title", "is required to open an incident")
	}
	var err error
	for _, f := range []struct {
		name, src string
		dst       **expr.Template
	}{{"title", n.Title, &in.title}, {"severity", n.Severity, &in.severity}, {"fingerprint", n.Fingerprint, &in.fingerprint}} {
		if f.src == "" {
			continue
		}
		if *f.dst, err = textTemplate(f.name, f.src); err != nil {
			return nil, err
		}
	}
	return in, nil
}

type incident struct {
	action                       string
	title, severity, fingerprint *expr.Template
	nextID                       string
}

func (in *incident) plan(ctx context.Context, vars map[string]any) (Plan, error) {
	var e Incident
	e.Action = in.action
	var err error
	if e.Title, err = render(ctx, "title", in.title, vars); err != nil {
		return Plan{}, err
	}
	if e.Severity, err = render(ctx, "severity", in.severity, vars); err != nil {
		return Plan{}, err
	}
	if e.Fingerprint, err = render(ctx, "fingerprint", in.fingerprint, vars); err != nil {
		return Plan{}, err
	}
	if e.Fingerprint == "" {
		e.Fingerprint = e.Title
	}
	if e.Title == "" {
		e.Title = e.Fingerprint
	}
	input := map[string]any{"action": e.Action, "title": e.Title, "severity": e.Severity, "fingerprint": e.Fingerprint}
	return Plan{Input: input, Next: in.nextID, Effect: e}, nil
}

func (in *incident) edges() []edge { return optional(in.nextID) }
func (in *incident) programs() []*expr.Program {
	return programsOf(in.title, in.severity, in.fingerprint)
}
