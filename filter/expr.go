package filter

import (
	"context"

	"cel.dev/cel-go/common/ast"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/expr"
)

// expression is a compiled CEL filter over the variable event (see
// expr.Event), in the environment and under the limits every Hookhub
// expression shares.
type expression struct {
	prg         *expr.Program
	usesPayload bool
	usesHeaders bool
}

func compileExpression(src string) (*expression, error) {
	// A dyn result is accepted because payload fields are untyped; a
	// non-bool value at evaluation then simply does not match.
	prg, err := expr.CompileBool(expr.EventEnv(), src)
	if err != nil {
		return nil, hookhub.Errorf(hookhub.EINVALID, "filter expression %s", hookhub.ErrorMessage(err))
	}
	fields, whole := references(prg.AST())
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
	ev := &expr.Event{ID: in.ID, Type: in.Type, Severity: in.Severity, SourceID: in.SourceID, Payload: in.Payload}
	if in.Payload == nil {
		ev.Payload = map[string]any{}
	}
	if x.usesHeaders {
		ev.Headers = expr.Headers(in.Headers)
	}
	ok, err := x.prg.EvalBool(context.Background(), expr.EventVars(ev))
	return err == nil && ok
}
