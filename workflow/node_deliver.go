package workflow

import (
	"context"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/expr"
)

// deliverKind hands a new event to one destination through the delivery
// engine, so its retries, attempts and resend apply. The payload is a JSON
// template (default: the trigger's body as received); the event type
// defaults to the trigger event's.
type deliverKind struct{}

func (deliverKind) fields() []string {
	return []string{"destination_id", "event_type", "payload", "next"}
}

func (deliverKind) compile(n *hookhub.Node) (node, error) {
	if n.DestinationID == "" {
		return nil, bad("destination_id", "is required")
	}
	d := &deliver{destinationID: n.DestinationID, nextID: n.Next}
	var err error
	if n.EventType != "" {
		if d.eventType, err = textTemplate("event_type", n.EventType); err != nil {
			return nil, err
		}
	}
	if n.Payload != "" {
		if d.payload, err = jsonTemplate("payload", n.Payload); err != nil {
			return nil, err
		}
	}
	return d, nil
}

type deliver struct {
	destinationID string
	eventType     *expr.Template
	payload       *expr.Template // nil: the trigger's body
	nextID        string
}

func (d *deliver) plan(ctx context.Context, vars map[string]any) (Plan, error) {
	typ, err := render(ctx, "event_type", d.eventType, vars)
	if err != nil {
		return Plan{}, err
	}
	if d.eventType == nil {
		typ = vars["trigger"].(*Trigger).EventType
	}
	var payload []byte
	if d.payload != nil {
		s, err := render(ctx, "payload", d.payload, vars)
		if err != nil {
			return Plan{}, err
		}
		payload = []byte(s)
	}
	in := map[string]any{"destination_id": d.destinationID, "event_type": typ}
	if payload != nil {
		in["payload"] = string(payload)
	}
	return Plan{Input: in, Next: d.nextID, Effect: Deliver{DestinationID: d.destinationID, EventType: typ, Payload: payload}}, nil
}

func (d *deliver) edges() []edge             { return optional(d.nextID) }
func (d *deliver) programs() []*expr.Program { return programsOf(d.eventType, d.payload) }
