// Package expr is Hookhub's one home for user-written CEL: the environment
// every expression is compiled in, the limits every evaluation runs under,
// and the {{ <CEL> }} text templates built on them. Destination filters,
// alert resolve expressions, workflow nodes and event-bus destinations all
// compile here, so an expression means the same thing, and costs at most the
// same, wherever it is written.
//
// Use it in two steps: compile when the setting is saved (errors name the
// line and column), evaluate or render per event with a variables map.
//
//	env := expr.EventEnv()                        // the variable `event`, see Event
//	t, err := expr.ParseTemplate(env, "hooks.{{ event.type }}")
//	subject, err := t.Render(ctx, expr.EventVars(ev, payload))
//
// Values in templates are formatted predictably: a string as it is; null,
// numbers, booleans, lists and maps as compact JSON (map keys sorted); bytes
// as base64; timestamps in RFC 3339; durations as CEL writes them ("1.5s").
// A JSON template (ParseJSONTemplate) is for bodies: outside JSON strings a
// substitution is the value's JSON, inside a string it is the value's text,
// escaped, so the result is always valid JSON.
//
// JSON numbers reach CEL as doubles (integers beyond 2^53 as ints, so ids stay
// exact); comparisons across int and double work (amount > 100), arithmetic
// needs matching types (amount * 2.0, or int(amount) * 2).
package expr
