package ingest

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestFlattenQuery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw  string
		want map[string]any
	}{
		{"query=1", map[string]any{"query": "1"}},
		{"query[0].a=1", map[string]any{
			"query": []any{map[string]any{"a": "1"}}, "query[0]": map[string]any{"a": "1"}, "query[0].a": "1",
		}},
		{"query[0][a]=1&query[1][a]=2", map[string]any{
			"query":      []any{map[string]any{"a": "1"}, map[string]any{"a": "2"}},
			"query[0]":   map[string]any{"a": "1"},
			"query[0].a": "1",
			"query[1]":   map[string]any{"a": "2"},
			"query[1].a": "2",
		}},
		{"a[b]=2", map[string]any{"a": map[string]any{"b": "2"}, "a.b": "2"}},
		{"a.b=2&a[c]=3", map[string]any{"a": map[string]any{"b": "2", "c": "3"}, "a.b": "2", "a.c": "3"}},
		{"t[]=x&t[]=y", map[string]any{"t": []any{"x", "y"}, "t[0]": "x", "t[1]": "y"}},
		{"t=x&t=y", map[string]any{"t": []any{"x", "y"}, "t[0]": "x", "t[1]": "y"}},
		{"x[5]=a", map[string]any{"x": []any{"a"}, "x[0]": "a"}},
		{"x[10]=b&x[2]=a", map[string]any{"x": []any{"a", "b"}, "x[0]": "a", "x[1]": "b"}},
		{"x[0]=a&x[k]=b", map[string]any{"x": map[string]any{"0": "a", "k": "b"}, "x.0": "a", "x.k": "b"}},
		{"x[01]=a", map[string]any{"x": map[string]any{"01": "a"}, "x.01": "a"}},
		{"a=1&a[b]=2", map[string]any{"a": "1"}},
		{"a[b]=2&a=1", map[string]any{"a": "1"}}, // sorted order, not wire order
		{"a[b=1", map[string]any{"a[b": "1"}},
		{"a[b]c=1", map[string]any{"a[b]c": "1"}},
		{"a..b=1", map[string]any{"a..b": "1"}},
		{"[x]=1&.y=2", map[string]any{"[x]": "1", ".y": "2"}},
		{"=1", map[string]any{}},
		{"payload=%7B%22a%22%3A1%7D", map[string]any{"payload": `{"a":1}`}}, // JSON only in forms
	}
	for _, tt := range tests {
		q, err := url.ParseQuery(tt.raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := FlattenQuery(q); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("FlattenQuery(%s)\n got %#v\nwant %#v", tt.raw, got, tt.want)
		}
	}
}

func TestFlattenQueryTooDeepIsOneName(t *testing.T) {
	t.Parallel()
	key := "a" + strings.Repeat("[b]", maxKeySegments)
	got := FlattenQuery(url.Values{key: {"1"}})
	if !reflect.DeepEqual(got, map[string]any{key: "1"}) {
		t.Fatalf("got %#v", got)
	}
}

func TestFlattenForm(t *testing.T) {
	t.Parallel()
	form := url.Values{
		"payload": {`{"type":"block_actions","user":{"id":"U1"},"actions":[{"value":"7"}],"n":3}`},
		"token":   {"abc"},
		"text":    {"{not json"},
		"count":   {"5"},
	}
	got := FlattenForm(form)
	want := map[string]any{
		"payload.type":             "block_actions",
		"payload.user.id":          "U1",
		"payload.actions[0].value": "7",
		"payload.n":                3.0,
		"token":                    "abc",
		"text":                     "{not json",
		"count":                    "5",
	}
	for p, v := range want {
		if !reflect.DeepEqual(got[p], v) {
			t.Errorf("%s = %#v, want %#v", p, got[p], v)
		}
	}
	if _, ok := got["payload"].(map[string]any); !ok {
		t.Errorf("payload = %#v, want the decoded object", got["payload"])
	}
}

func TestKeySegments(t *testing.T) {
	t.Parallel()
	tests := map[string][]string{
		"a":            {"a"},
		"a[b][c]":      {"a", "b", "c"},
		"query[0].a":   {"query", "0", "a"},
		"a.b.c":        {"a", "b", "c"},
		"a[]":          {"a", ""},
		"a[b.c]":       {"a", "b.c"},
		"a[b[c]]":      {"a[b[c]]"},
		"a.":           {"a."},
		"a[b]c":        {"a[b]c"},
		"[0]":          {"[0]"},
		"a[0][]":       {"a", "0", ""},
		"items[0].id.": {"items[0].id."},
	}
	for key, want := range tests {
		if got := keySegments(key); !reflect.DeepEqual(got, want) {
			t.Errorf("keySegments(%q) = %q, want %q", key, got, want)
		}
	}
}
