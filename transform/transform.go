// Package transform reshapes an event for one destination with a CEL
// expression written by the user: a Panther alert into a Slack message, an
// internal event into a partner's format. The expression receives the event
// (the variable event, as in filters) and returns what to send:
//
//   - a string: the body, sent as is (text/plain unless headers say otherwise);
//   - a map, list, number or boolean: the body as JSON;
//   - a request: a map with a "body" key and no keys but body, method,
//     headers and path, which also sets the HTTP method (POST, PUT, PATCH),
//     extra headers, and a path (with an optional query) appended to the
//     destination URL's.
//
// A payload that happens to look like a request is wrapped: {"body": {...}}.
// Compile when the destination is saved (errors name the line and column);
// Apply per attempt. Every evaluation runs under the limits of package expr
// and the output under MaxBody.
package transform

import (
	"context"
	"encoding/json"
	"strings"
	"sync"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/expr"
)

// MaxBody bounds the body a transform produces.
const MaxBody = expr.MaxOutputBytes

// Content types of transformed bodies, unless the transform's headers set one.
const (
	JSONType = "application/json"
	TextType = "text/plain; charset=utf-8"
)

// Output is what a transform made of one event.
type Output struct {
	Body        []byte
	ContentType string
	Method      string            // "" keeps the destination's
	Headers     map[string]string // canonical names; never Hookhub's or a signature's
	Path        string            // "" keeps the URL; otherwise appended to its path
}

// Transform is one compiled expression; it is safe for concurrent use.
type Transform struct {
	prg *expr.Program
}

// Compile compiles a transform expression. Its errors are EINVALID and read
// after the field name ("transform does not compile: line 1, column 9: …").
func Compile(src string) (*Transform, error) {
	prg, err := expr.Compile(expr.EventEnv(), src)
	if err != nil {
		return nil, hookhub.Errorf(hookhub.EINVALID, "transform %s", hookhub.ErrorMessage(err))
	}
	return &Transform{prg: prg}, nil
}

// cache keeps compiled transforms by source: destinations change rarely,
// and compiling per attempt would cost more than evaluating.
var cache = struct {
	sync.Mutex
	m map[string]*Transform
}{m: map[string]*Transform{}}

// maxCached bounds the cache; past it, it starts over.
const maxCached = 1024

// Cached is Compile with a cache of recent sources.
func Cached(src string) (*Transform, error) {
	cache.Lock()
	t, ok := cache.m[src]
	cache.Unlock()
	if ok {
		return t, nil
	}
	t, err := Compile(src)
	if err != nil {
		return nil, err
	}
	cache.Lock()
	if len(cache.m) >= maxCached {
		clear(cache.m)
	}
	cache.m[src] = t
	cache.Unlock()
	return t, nil
}

// Apply runs the transform on one event. Its errors are EUNPROCESSABLE and
// say what went wrong for this event.
func (t *Transform) Apply(ctx context.Context, ev *expr.Event) (*Output, error) {
	v, err := t.prg.Eval(ctx, expr.EventVars(ev))
	if err != nil {
		return nil, hookhub.Errorf(hookhub.EUNPROCESSABLE, "transform %s", hookhub.ErrorMessage(err))
	}
	out, err := outputOf(v)
	if err != nil {
		return nil, hookhub.Errorf(hookhub.EUNPROCESSABLE, "transform: %s", hookhub.ErrorMessage(err))
	}
	return out, nil
}

// EventOf returns ev as a transform sees it: its JSON body decoded (an empty
// map when the body is not JSON, so event.payload.x fails with "no such
// key" rather than on null), and for incident events the severity, lower
// case as filters see it.
func EventOf(ev *hookhub.Event) *expr.Event {
	var payload any
	if json.Unmarshal(ev.Body, &payload) != nil || payload == nil {
		payload = map[string]any{}
	}
	var sev string
	if m, ok := payload.(map[string]any); ok && strings.HasPrefix(ev.Type, "incident.") {
		sev, _ = m["severity"].(string)
		sev = strings.ToLower(sev)
	}
	return expr.NewEvent(ev, payload, sev)
}
