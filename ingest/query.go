package ingest

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// FlattenQuery turns query parameters into paths like Flatten's, reading
// nested keys as qs (the parser behind NocoBase and many PHP/Rails senders)
// does, with dots allowed as separators:
//
//	query[0][a]=1, query[0].a=1  → query, query[0], query[0].a = "1"
//	a[b]=2, a.b=2                → a, a.b = "2"
//	t[]=x&t[]=y, t=x&t=y         → t, t[0] = "x", t[1] = "y"
//
// Values stay strings. A level whose keys are all indices becomes an array,
// compacted in index order (so a lone x[5] is x[0], as in qs); any other key
// makes it an object ("x.5"). Keys are applied in sorted order and the first
// wins a conflict ("a=1" keeps a, dropping "a[b]=2"). A key that does not
// parse as a path (unbalanced brackets, empty names, deeper than 16) is kept
// whole as one name. At most DefaultLimit paths are kept.
func FlattenQuery(q url.Values) map[string]any {
	return flatten(buildTree(q, false), DefaultLimit)
}

// FlattenForm flattens a URL-encoded form body's fields like FlattenQuery,
// and also follows Slack's payload=<json> convention: a field whose single
// value is a JSON object or array is flattened under its name, so
// payload={"type":"block_actions"} gives payload and payload.type.
func FlattenForm(form url.Values) map[string]any {
	return flatten(buildTree(form, true), DefaultLimit)
}

// maxKeySegments bounds how deep one query key may nest.
const maxKeySegments = 16

// qnode is one level of the tree query keys describe: a leaf with values,
// or a container with children (an empty new node is neither yet).
type qnode struct {
	vals []string
	kids map[string]*qnode
	next int // the index "[]" appends at
}

// buildTree applies every key in sorted order, so the result does not
// depend on map order, and converts the tree to maps, slices and strings.
func buildTree(q url.Values, form bool) map[string]any {
	root := &qnode{kids: map[string]*qnode{}}
	for _, k := range slices.Sorted(maps.Keys(q)) {
		if k == "" {
			continue
		}
		segs := keySegments(k)
		for _, v := range q[k] {
			root.insert(segs, v)
		}
	}
	m := map[string]any{}
	for k, kid := range root.kids {
		m[k] = kid.value(form)
	}
	return m
}

// insert adds one value at the path segs; an empty segment ("[]") appends.
func (n *qnode) insert(segs []string, val string) {
	for _, seg := range segs {
		if n.vals != nil {
			return // a value already sits here; the earlier key wins
		}
		if seg == "" {
			seg = strconv.Itoa(n.next)
		}
		if i, ok := index(seg); ok && i >= n.next {
			n.next = i + 1
		}
		if n.kids == nil {
			n.kids = map[string]*qnode{}
		}
		kid := n.kids[seg]
		if kid == nil {
			kid = &qnode{}
			n.kids[seg] = kid
		}
		n = kid
	}
	if n.kids == nil {
		n.vals = append(n.vals, val)
	}
}

// value converts a node to a string, []any or map[string]any. Recursion is
// bounded by maxKeySegments.
func (n *qnode) value(form bool) any {
	switch {
	case n.kids == nil && len(n.vals) == 1:
		return leaf(n.vals[0], form)
	case n.kids == nil:
		vals := make([]any, len(n.vals))
		for i, v := range n.vals {
			vals[i] = v
		}
		return vals
	}
	if arr, ok := n.array(form); ok {
		return arr
	}
	m := make(map[string]any, len(n.kids))
	for k, kid := range n.kids {
		m[k] = kid.value(form)
	}
	return m
}

// array returns the children in index order when every key is an index.
func (n *qnode) array(form bool) ([]any, bool) {
	idx := make([]int, 0, len(n.kids))
	for k := range n.kids {
		i, ok := index(k)
		if !ok {
			return nil, false
		}
		idx = append(idx, i)
	}
	slices.Sort(idx)
	arr := make([]any, len(idx))
	for j, i := range idx {
		arr[j] = n.kids[strconv.Itoa(i)].value(form)
	}
	return arr, true
}

// leaf returns a form field's value decoded when it is a JSON object or
// array (Slack's payload), and the plain string otherwise.
func leaf(v string, form bool) any {
	t := strings.TrimSpace(v)
	if !form || t == "" || (t[0] != '{' && t[0] != '[') || CheckJSON([]byte(t), DefaultMaxDepth) != nil {
		return v
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(t)))
	dec.UseNumber() // flatten converts numbers as it walks
	var x any
	if dec.Decode(&x) != nil {
		return v
	}
	return x
}

// index reports whether seg is a canonical array index ("0", "12", not
// "012" or "+1"), short enough that it cannot overflow.
func index(seg string) (int, bool) {
	if seg == "" || len(seg) > 9 || (seg[0] == '0' && len(seg) > 1) {
		return 0, false
	}
	i := 0
	for j := 0; j < len(seg); j++ {
		if !isDigit(seg[j]) {
			return 0, false
		}
		i = i*10 + int(seg[j]-'0')
	}
	return i, true
}

// QueryTree returns the query parameters as the nested value FlattenQuery
// reads them into (query[0][a]=1 is {"query": [{"a": "1"}]}), for callers
// that need the whole structure rather than its paths.
func QueryTree(q url.Values) map[string]any {
	return buildTree(q, false)
}
