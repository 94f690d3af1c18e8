package ingest

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/hookhub/hookhub"
)

// DefaultLimit is how many paths Flatten, FlattenQuery and FlattenForm keep
// when given a limit of 0 or less.
const DefaultLimit = 1000

// maxPathLen bounds one path's length. Without it a body with a 500 KB key
// over thousands of children would build gigabytes of path strings.
const maxPathLen = 512

// Flatten parses a JSON body and returns every value under a dot path, as
// NocoBase's webhook trigger does: {"a":1,"b":{"c":2},"items":[{"id":3}]}
// gives a, b, b.c, items, items[0] and items[0].id. Objects and arrays are
// present as values too, sharing structure with their children (treat them
// as read-only).
//
// Paths are added breadth first, object keys in sorted order, so a limit
// (DefaultLimit when ≤ 0) keeps the shallowest paths and the result does not
// depend on map order; past the limit, or past 512 bytes of path, nothing
// more is added and Flatten still succeeds. Where two paths are spelt the
// same ({"a.b":1,"a":{"b":2}}) the shallower wins. Numbers are float64,
// except integers beyond ±2^53 and values beyond float64's range, which stay
// json.Number so they are not silently changed. A scalar top-level value has
// no paths. Only a body that is not one JSON value is an EINVALID error.
func Flatten(body []byte, limit int) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return nil, hookhub.Errorf(hookhub.EINVALID, "invalid JSON")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, hookhub.Errorf(hookhub.EINVALID, "invalid JSON: data after the value")
	}
	return flatten(root, limit), nil
}

// FlattenValue is Flatten for a value DecodeJSON returned, which it shares
// structure with and does not change.
func FlattenValue(doc any, limit int) map[string]any {
	return flatten(doc, limit)
}

// walkItem is a container waiting to be walked and the path it sits at;
// emit is false once its paths could no longer be added.
type walkItem struct {
	path string
	v    any
	emit bool
}

// flatten walks root breadth first with an explicit queue (no recursion, so
// depth costs no Go stack) and converts json.Number values as it goes. The
// walk visits every node even past the limit, because containers already
// added hold those nodes and must not leak json.Number.
func flatten(root any, limit int) map[string]any {
	if limit <= 0 {
		limit = DefaultLimit
	}
	out := map[string]any{}
	queue := []walkItem{{v: root, emit: true}}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		switch v := it.v.(type) {
		case map[string]any:
			for _, k := range keys(v, it.emit) {
				convert(v, k)
				queue = visit(out, queue, it, step{key: k, index: -1}, v[k], limit)
			}
		case []any:
			for i := range v {
				if f, ok := converted(v[i]); ok {
					v[i] = f
				}
				queue = visit(out, queue, it, step{index: i}, v[i], limit)
			}
		}
	}
	return out
}

// keys returns an object's keys, sorted when their paths will be added so
// the result does not depend on map order.
func keys(m map[string]any, sorted bool) []string {
	if sorted {
		return slices.Sorted(maps.Keys(m))
	}
	return slices.Collect(maps.Keys(m))
}

// visit adds one child's path when allowed and queues the child if it is a
// container.
func visit(out map[string]any, queue []walkItem, parent walkItem, s step, v any, limit int) []walkItem {
	emit := parent.emit && len(out) < limit
	var p string
	if emit {
		p = s.join(parent.path)
		emit = len(p) <= maxPathLen
	}
	if emit {
		if _, taken := out[p]; !taken {
			out[p] = v
		}
	}
	switch v.(type) {
	case map[string]any, []any:
		queue = append(queue, walkItem{path: p, v: v, emit: emit})
	}
	return queue
}

// step is one move down a tree: an object key, or an array index when
// index ≥ 0.
type step struct {
	key   string
	index int
}

// join returns the path one step below parent: "b.c" or "items[0]". Paths
// are only built for values that will be added.
func (s step) join(parent string) string {
	switch {
	case s.index >= 0:
		return parent + "[" + strconv.Itoa(s.index) + "]"
	case parent == "":
		return s.key
	}
	return parent + "." + s.key
}

// convert replaces a json.Number under key with its number, writing only
// when there is one, so a tree DecodeJSON made can be walked by several
// readers.
func convert(m map[string]any, key string) {
	if f, ok := converted(m[key]); ok {
		m[key] = f
	}
}

// converted returns v as float64 when it is a json.Number that float64
// holds exactly.
func converted(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, ok := number(n).(float64)
	return f, ok
}

// number turns a json.Number into float64 where that keeps its value.
func number(v any) any {
	n, ok := v.(json.Number)
	if !ok {
		return v
	}
	s := string(n)
	if !strings.ContainsAny(s, ".eE") {
		i, err := strconv.ParseInt(s, 10, 64)
		if err != nil || i > 1<<53 || i < -(1<<53) {
			return n // float64 would round it: keep ids exact
		}
		return float64(i)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return n // beyond float64's range; ±Inf could not be encoded again
	}
	return f
}
