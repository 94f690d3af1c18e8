package expr

import (
	"reflect"
	"sync"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/ext"

	"github.com/hookhub/hookhub"
)

// Event is an event as expressions and templates see it, the variable
// event: event.id, event.type, event.source_id, event.severity (incident
// events), event.received_at (a timestamp), event.payload (the decoded JSON
// body) and event.headers (lower-case names). Being a declared type rather
// than a map, a misspelt field is refused when the setting is saved.
type Event struct {
	ID         string            `cel:"id" json:"id"`
	Type       string            `cel:"type" json:"type"`
	SourceID   string            `cel:"source_id" json:"source_id"`
	Severity   string            `cel:"severity" json:"severity"`
	ReceivedAt time.Time         `cel:"received_at" json:"received_at"`
	Payload    any               `cel:"payload" json:"payload"`
	Headers    map[string]string `cel:"headers" json:"headers"`
}

// NewEvent returns ev as expressions see it, with its decoded payload
// (nil when the body is not JSON) and any severity it carries.
func NewEvent(ev *hookhub.Event, payload any, severity string) *Event {
	return &Event{
		ID: ev.ID, Type: ev.Type, SourceID: ev.SourceID, Severity: severity, ReceivedAt: ev.ReceivedAt,
		Payload: payload, Headers: Headers(ev.Headers),
	}
}

// eventEnv is built once: an Env is immutable and safe to share.
var eventEnv = sync.OnceValues(func() (*cel.Env, error) {
	return NewEnv(
		ext.NativeTypes(reflect.TypeFor[Event](), ext.ParseStructTags(true)),
		cel.Variable("event", cel.ObjectType("expr.Event")),
	)
})

// EventEnv returns the environment of settings evaluated per event
// (destination filters, bus subjects and keys): one variable, event.
func EventEnv() *cel.Env {
	env, err := eventEnv()
	if err != nil {
		panic("expr: event environment: " + err.Error()) // fixed declarations: a bug, not input
	}
	return env
}

// EventVars returns the variables of EventEnv for one event.
func EventVars(ev *Event) map[string]any {
	return map[string]any{"event": ev}
}
