package workflow

import (
	"context"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/expr"
)

// MaxDelaySeconds bounds a delay node: 30 days.
const MaxDelaySeconds = 30 * 24 * 60 * 60

// delayKind waits, durably: the run is saved as waiting and resumed when the
// delay is over, by whichever process is running then.
type delayKind struct{}

func (delayKind) fields() []string { return []string{"seconds", "next"} }

func (delayKind) compile(n *hookhub.Node) (node, error) {
	if n.Seconds < 1 || n.Seconds > MaxDelaySeconds {
		return nil, bad("seconds", "must be between 1 and %d", MaxDelaySeconds)
	}
	return &delay{d: time.Duration(n.Seconds) * time.Second, nextID: n.Next}, nil
}

type delay struct {
	d      time.Duration
	nextID string
}

func (d *delay) plan(context.Context, map[string]any) (Plan, error) {
	return Plan{Input: map[string]any{"seconds": int(d.d / time.Second)}, Next: d.nextID, Effect: Wait{Duration: d.d}}, nil
}

func (d *delay) edges() []edge             { return optional(d.nextID) }
func (d *delay) programs() []*expr.Program { return nil }
