package alert

import (
	"context"
	"net/http"
	"sync"

	"cel.dev/cel-go/cel"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/expr"
)

// resolveEnv declares what a resolve expression reads: body (the parsed
// JSON, dyn) and headers (lower-case names). Built once: an Env is
// immutable and safe to share.
var resolveEnv = sync.OnceValues(func() (*cel.Env, error) {
	return expr.NewEnv(
		cel.Variable("body", cel.DynType),
		cel.Variable("headers", cel.MapType(cel.StringType, cel.StringType)),
	)
})

// resolveExpr is a compiled resolve expression, under the limits every
// Hookhub expression shares (package expr).
type resolveExpr struct {
	prg *expr.Program
}

// compileResolve compiles a resolve expression. A dyn result is accepted
// because body fields are untyped; a non-bool value at evaluation then
// simply does not resolve.
func compileResolve(src string) (*resolveExpr, error) {
	env, err := resolveEnv()
	if err != nil {
		return nil, err
	}
	prg, err := expr.CompileBool(env, src)
	if err != nil {
		return nil, hookhub.Errorf(hookhub.EINVALID, "alert resolve_expression %s", hookhub.ErrorMessage(err))
	}
	return &resolveExpr{prg: prg}, nil
}

// eval reports whether the expression is true for a decoded body and its
// headers. An evaluation error, such as a missing field, means not
// resolved.
func (x *resolveExpr) eval(doc any, header http.Header) bool {
	ok, err := x.prg.EvalBool(context.Background(), map[string]any{"body": doc, "headers": expr.Headers(header)})
	return err == nil && ok
}
