package filter

import (
	"reflect"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/ext"

	"github.com/hookhub/hookhub"
)

// Limits on user-written expressions, so one destination's filter cannot
// slow routing for everyone.
const (
	maxExpressionBytes = 4096
	maxCost            = 100_000 // CEL cost units per evaluation
)

// celEvent is the event as a CEL expression sees it. Declaring it as a
// native type, rather than a map, lets the checker reject a misspelt field
// or a non-boolean result when the filter is saved.
type celEvent struct {
	Type     string            `cel:"type"`
	Severity string            `cel:"severity"`
	SourceID string            `cel:"source_id"`
	Payload  map[string]any    `cel:"payload"`
	Headers  map[string]string `cel:"headers"`
}

// expression is a compiled CEL filter.
type expression struct {
	prg         cel.Program
	usesPayload bool
	usesHeaders bool
}

// newEnv builds the CEL environment. It is built per compile so nothing is
// shared between filters.
func newEnv() (*cel.Env, error) {
	return cel.NewEnv(
		ext.NativeTypes(reflect.TypeFor[celEvent](), ext.ParseStructTags(true)),
		cel.Variable("event", cel.ObjectType("filter.celEvent")),
		ext.Strings(),
		cel.ParserExpressionSizeLimit(maxExpressionBytes),
	)
}

func compileExpression(src string) (*expression, error) {
	env, err := newEnv()
	if err != nil {
		return nil, err
	}
	checked, issues := env.Compile(src)
	if issues.Err() != nil {
		return nil, hookhub.Errorf(hookhub.EINVALID, "filter expression does not compile: %s", strings.TrimSpace(issues.String()))
	}
	// dyn is accepted because payload fields are untyped; a non-bool value at
	// evaluation then simply does not match.
	if k := checked.OutputType().Kind(); k != types.BoolKind && k != types.DynKind {
		return nil, hookhub.Errorf(hookhub.EINVALID,
			"filter expression must evaluate to true or false, but it returns %s", checked.OutputType())
	}
	prg, err := env.Program(checked, cel.CostLimit(maxCost))
	if err != nil {
		return nil, hookhub.Errorf(hookhub.EINVALID, "filter expression: %s", err)
	}
	fields, whole := references(checked.NativeRep())
	return &expression{prg: prg, usesPayload: whole || fields["payload"], usesHeaders: whole || fields["headers"]}, nil
}

// references returns the fields of event the expression selects, and
// whether it uses event in any other way (then every field may be read).
func references(a *ast.AST) (fields map[string]bool, whole bool) {
	fields = map[string]bool{}
	selected := map[int64]bool{} // IDs of event idents consumed by a select
	ast.PreOrderVisit(a.Expr(), ast.NewExprVisitor(func(e ast.Expr) {
		switch e.Kind() {
		case ast.SelectKind:
			sel := e.AsSelect()
			if op := sel.Operand(); op.Kind() == ast.IdentKind && op.AsIdent() == "event" {
				fields[sel.FieldName()] = true
				selected[op.ID()] = true
			}
		case ast.IdentKind:
			if e.AsIdent() == "event" && !selected[e.ID()] {
				whole = true
			}
		}
	}))
	return fields, whole
}

// eval runs the expression; any evaluation error or non-bool result is no
// match.
func (x *expression) eval(in Input) bool {
	ev := &celEvent{Type: in.Type, Severity: in.Severity, SourceID: in.SourceID, Payload: in.Payload}
	if ev.Payload == nil {
		ev.Payload = map[string]any{}
	}
	if x.usesHeaders {
		ev.Headers = flattenHeaders(in.Headers)
	}
	out, _, err := x.prg.Eval(map[string]any{"event": ev})
	if err != nil {
		return false
	}
	b, ok := out.Value().(bool)
	return ok && b
}

// flattenHeaders lower-cases names, since CEL map keys are exact, and joins
// repeated values as HTTP does (RFC 9110 §5.3).
func flattenHeaders(h map[string][]string) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		k = strings.ToLower(k)
		if prev, ok := out[k]; ok {
			v = append([]string{prev}, v...)
		}
		out[k] = strings.Join(v, ", ")
	}
	return out
}
