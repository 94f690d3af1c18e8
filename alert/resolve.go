package alert

import (
	"encoding/json"
	"net/http"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/ext"

	"github.com/hookhub/hookhub"
)

// Limits on a resolve expression, so one source's expression cannot slow
// the ingest of every other.
const (
	maxExpressionBytes = 4096
	maxCost            = 100_000 // CEL cost units per evaluation
)

// resolveExpr is a compiled resolve expression.
type resolveExpr struct {
	prg cel.Program
}

// compileResolve compiles a resolve expression over body (the parsed JSON,
// dyn) and headers (lower-case names). The environment is built per compile
// so nothing is shared between sources.
func compileResolve(src string) (*resolveExpr, error) {
	env, err := cel.NewEnv(
		cel.Variable("body", cel.DynType),
		cel.Variable("headers", cel.MapType(cel.StringType, cel.StringType)),
		ext.Strings(),
		cel.ParserExpressionSizeLimit(maxExpressionBytes),
	)
	if err != nil {
		return nil, err
	}
	checked, issues := env.Compile(src)
	if issues.Err() != nil {
		return nil, hookhub.Errorf(hookhub.EINVALID, "alert resolve_expression does not compile: %s", strings.TrimSpace(issues.String()))
	}
	// dyn is accepted because body fields are untyped; a non-bool value at
	// evaluation then simply does not resolve.
	if k := checked.OutputType().Kind(); k != types.BoolKind && k != types.DynKind {
		return nil, hookhub.Errorf(hookhub.EINVALID,
			"alert resolve_expression must evaluate to true or false, but it returns %s", checked.OutputType())
	}
	prg, err := env.Program(checked, cel.CostLimit(maxCost))
	if err != nil {
		return nil, hookhub.Errorf(hookhub.EINVALID, "alert resolve_expression: %s", err)
	}
	return &resolveExpr{prg: prg}, nil
}

// eval reports whether the expression is true for a body and its headers.
// An evaluation error, such as a missing field, means not resolved.
func (x *resolveExpr) eval(body []byte, header http.Header) bool {
	var doc any
	if json.Unmarshal(body, &doc) != nil {
		return false
	}
	out, _, err := x.prg.Eval(map[string]any{"body": doc, "headers": flattenHeaders(header)})
	if err != nil {
		return false
	}
	b, ok := out.Value().(bool)
	return ok && b
}

// flattenHeaders lower-cases names, since CEL map keys are exact, and joins
// repeated values as HTTP does (RFC 9110 §5.3).
func flattenHeaders(h http.Header) map[string]string {
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
