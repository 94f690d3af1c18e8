package workflow

import (
	"reflect"
	"sync"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/ext"

	"github.com/hookhub/hookhub/expr"
)

// Trigger is a run's trigger as expressions see it, the variable trigger.
// Being a declared type, a misspelt field is refused when the workflow is
// saved.
type Trigger struct {
	Headers   map[string]string `cel:"headers" json:"headers"` // lower-case names
	Query     map[string]any    `cel:"query" json:"query"`     // the query string, nested as qs reads it
	Body      any               `cel:"body" json:"body"`       // the JSON body; null when there is none
	Vars      map[string]any    `cel:"vars" json:"vars"`       // the trigger's parse selections, by alias
	EventID   string            `cel:"event_id" json:"event_id"`
	EventType string            `cel:"event_type" json:"event_type"`

	raw []byte // the body as received
	// traceParent and traceState are the trigger event's ingest trace
	// context: the run's spans continue it.
	traceParent, traceState string
}

// env is the one environment of workflow expressions, built once.
var env = sync.OnceValue(func() *cel.Env {
	e, err := expr.NewEnv(
		ext.NativeTypes(reflect.TypeFor[Trigger](), ext.ParseStructTags(true)),
		cel.Variable("trigger", cel.ObjectType("workflow.Trigger")),
		cel.Variable("nodes", cel.MapType(cel.StringType, cel.DynType)),
	)
	if err != nil {
		panic("workflow: environment: " + err.Error()) // fixed declarations: a bug, not input
	}
	return e
})

// vars returns the variables of a run: its trigger and the outputs so far.
func vars(t *Trigger, outputs map[string]any) map[string]any {
	nodes := make(map[string]any, len(outputs))
	for id, out := range outputs {
		nodes[id] = map[string]any{"output": out}
	}
	return map[string]any{"trigger": t, "nodes": nodes}
}
