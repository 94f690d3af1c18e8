package expr

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"github.com/hookhub/hookhub"
)

// Program is one compiled expression. It is safe for concurrent use.
type Program struct {
	src string
	prg cel.Program
	ast *cel.Ast
}

// position is where a problem sits in a source: 1-based line and column
// (in characters), and the byte offset.
type position struct {
	line, column, offset int
}

// problem is a compile error with its position in the compiled text.
type problem struct {
	pos position
	msg string
}

func (p *problem) text() string {
	return fmt.Sprintf("line %d, column %d: %s", p.pos.line, p.pos.column, p.msg)
}

// Compile compiles src in env. An expression that does not parse or check
// is an EINVALID error naming the line and column of the first problem; its
// message reads after the setting's name ("filter expression does not
// compile: line 1, column 7: …").
func Compile(env *cel.Env, src string) (*Program, error) {
	p, prob := compile(env, src)
	if prob != nil {
		return nil, hookhub.Errorf(hookhub.EINVALID, "does not compile: %s", prob.text())
	}
	return p, nil
}

// CompileBool is Compile for expressions that decide: the result must be a
// bool, or dyn (a JSON field) which must then be a bool when evaluated.
func CompileBool(env *cel.Env, src string) (*Program, error) {
	p, err := Compile(env, src)
	if err != nil {
		return nil, err
	}
	if k := p.ast.OutputType().Kind(); k != types.BoolKind && k != types.DynKind {
		return nil, hookhub.Errorf(hookhub.EINVALID, "must evaluate to true or false, but it returns %s", p.ast.OutputType())
	}
	return p, nil
}

// compileMu serializes checking; see compile.
var compileMu sync.Mutex

func compile(env *cel.Env, src string) (*Program, *problem) {
	if len(src) > MaxExpressionBytes {
		return nil, &problem{pos: position{1, 1, 0}, msg: fmt.Sprintf("expression is longer than %d bytes", MaxExpressionBytes)}
	}
	if strings.TrimSpace(src) == "" {
		return nil, &problem{pos: position{1, 1, 0}, msg: "expression is empty"}
	}
	// cel-go's checker races with itself when one Env checks two
	// comprehensions at once (it clones scopes that share declarations), so
	// checking is serialized. It runs when a setting is saved or loaded,
	// never per event; programs evaluate concurrently as before.
	compileMu.Lock()
	defer compileMu.Unlock()
	checked, issues := env.Compile(src)
	if issues != nil && issues.Err() != nil {
		errs := issues.Errors()
		first := errs[0]
		line, col := first.Location.Line(), first.Location.Column()
		if line < 1 {
			line, col = 1, 0
		}
		return nil, &problem{pos: position{line: line, column: col + 1, offset: offsetOf(src, line, col)},
			msg: strings.TrimSpace(first.Message)}
	}
	prg, err := env.Program(checked,
		cel.CostLimit(MaxCost),
		cel.InterruptCheckFrequency(100),
		cel.EvalOptions(cel.OptOptimize),
	)
	if err != nil {
		return nil, &problem{pos: position{1, 1, 0}, msg: err.Error()}
	}
	return &Program{src: src, prg: prg, ast: checked}, nil
}

// offsetOf returns the byte offset of a 1-based line and 0-based character
// column in src.
func offsetOf(src string, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := strings.IndexByte(src[off:], '\n')
		if i < 0 {
			return len(src)
		}
		off += i + 1
	}
	for c := 0; c < col && off < len(src); c++ {
		_, size := utf8.DecodeRuneInString(src[off:])
		off += size
	}
	return off
}

// Source returns the expression as written.
func (p *Program) Source() string { return p.src }

// AST returns the checked expression, for callers that inspect what it
// reads (a filter skips decoding a body no expression looks at).
func (p *Program) AST() *ast.AST { return p.ast.NativeRep() }

// Eval evaluates the expression with vars (a value may be a func() any,
// computed only if the expression reads it) and returns the result as a Go
// JSON value: nil, bool, int64, uint64, float64, string, []any or
// map[string]any. Errors (a missing field, a type mismatch, the cost or
// time limit) are EUNPROCESSABLE.
func (p *Program) Eval(ctx context.Context, vars map[string]any) (any, error) {
	v, err := p.eval(ctx, vars)
	if err != nil {
		return nil, err
	}
	return native(v, MaxOutputBytes)
}

// EvalBool evaluates a deciding expression; a result that is not a bool is
// an EUNPROCESSABLE error.
func (p *Program) EvalBool(ctx context.Context, vars map[string]any) (bool, error) {
	v, err := p.eval(ctx, vars)
	if err != nil {
		return false, err
	}
	b, ok := v.(types.Bool)
	if !ok {
		return false, hookhub.Errorf(hookhub.EUNPROCESSABLE, "expression returned %s, not true or false", v.Type().TypeName())
	}
	return bool(b), nil
}

// eval runs the program under MaxEvalTime.
func (p *Program) eval(ctx context.Context, vars map[string]any) (ref.Val, error) {
	ctx, cancel := context.WithTimeout(ctx, MaxEvalTime)
	defer cancel()
	return p.evalIn(ctx, vars)
}

// evalIn runs the program under ctx's deadline.
func (p *Program) evalIn(ctx context.Context, vars map[string]any) (ref.Val, error) {
	out, _, err := p.prg.ContextEval(ctx, vars)
	if err != nil {
		return nil, evalError(ctx, err)
	}
	return out, nil
}

// evalError describes an evaluation failure in words a user can act on.
func evalError(ctx context.Context, err error) error {
	msg := err.Error()
	switch {
	case ctx.Err() != nil:
		msg = fmt.Sprintf("took longer than %s", MaxEvalTime)
	case strings.Contains(msg, "cost limit exceeded"):
		msg = fmt.Sprintf("costs more than %d units", MaxCost)
	}
	return hookhub.Errorf(hookhub.EUNPROCESSABLE, "evaluation failed: %s", msg)
}
