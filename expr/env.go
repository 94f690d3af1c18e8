package expr

import (
	"net/http"
	"strings"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/ext"
)

// Limits every expression and template runs under, so that one user's
// setting cannot slow ingest, routing or workflows for everyone.
const (
	// MaxExpressionBytes bounds the source of one expression.
	MaxExpressionBytes = 4096
	// MaxTemplateBytes bounds the source of one template.
	MaxTemplateBytes = 64 << 10
	// MaxCost bounds the CEL cost units of one evaluation.
	MaxCost = 100_000
	// MaxEvalTime bounds the wall time of one evaluation or one rendering.
	MaxEvalTime = 100 * time.Millisecond
	// MaxOutputBytes bounds the text one rendering or one value produces.
	MaxOutputBytes = 1 << 20
)

// maxRecursion bounds the parser's nesting depth, below cel-go's default,
// so hostile input cannot exhaust the stack at save time.
const maxRecursion = 100

// NewEnv returns a CEL environment with Hookhub's extensions (strings,
// encoders, math, lists, optional values) and parser limits, plus the
// caller's declarations (variables, native types). An Env is safe for
// concurrent use; build one per kind of setting and reuse it.
func NewEnv(decls ...cel.EnvOption) (*cel.Env, error) {
	opts := []cel.EnvOption{
		ext.Strings(),
		ext.Encoders(),
		ext.Math(),
		ext.Lists(),
		cel.OptionalTypes(),
		cel.CrossTypeNumericComparisons(true),
		cel.ParserExpressionSizeLimit(MaxExpressionBytes),
		cel.ParserRecursionLimit(maxRecursion),
	}
	return cel.NewEnv(append(opts, decls...)...)
}

// Headers returns request headers as expressions see them: lower-case
// names, since CEL map keys are exact, with repeated values joined by ", "
// as HTTP allows (RFC 9110 §5.3).
func Headers(h http.Header) map[string]string {
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
