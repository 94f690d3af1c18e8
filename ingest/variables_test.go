package ingest

import (
	"net/http"
	"net/url"
	"reflect"
	"testing"

	"github.com/hookhub/hookhub"
)

func TestSelect(t *testing.T) {
	t.Parallel()
	h := http.Header{"X-Request-Id": {"r1"}, "Accept": {"a", "b"}}
	h["x-lower"] = []string{"raw"} // stored headers may not be canonical
	query := FlattenQuery(url.Values{"query[0][a]": {"1"}, "page": {"2"}})
	body, err := Flatten([]byte(`{"a":1,"b":{"c":2},"items":[{"id":"i0"}],"n":null}`), 0)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		vars []hookhub.Variable
		want map[string]any
	}{
		{"header any case", []hookhub.Variable{{Path: "header.x-request-id"}}, map[string]any{"header.x-request-id": "r1"}},
		{"header canonical", []hookhub.Variable{{Path: "header.X-Request-Id", Alias: "rid"}}, map[string]any{"rid": "r1"}},
		{"header not canonical", []hookhub.Variable{{Path: "header.X-Lower"}}, map[string]any{"header.X-Lower": "raw"}},
		{"repeated header", []hookhub.Variable{{Path: "header.accept"}}, map[string]any{"header.accept": "a, b"}},
		{"query nested", []hookhub.Variable{{Path: "query.query[0].a", Alias: "qa"}}, map[string]any{"qa": "1"}},
		{"query plain", []hookhub.Variable{{Path: "Query.page"}}, map[string]any{"Query.page": "2"}},
		{"body nested", []hookhub.Variable{{Path: "body.b.c"}}, map[string]any{"body.b.c": 2.0}},
		{"body container", []hookhub.Variable{{Path: "body.b", Alias: "b"}}, map[string]any{"b": map[string]any{"c": 2.0}}},
		{"body array item", []hookhub.Variable{{Path: "body.items[0].id", Alias: "first"}}, map[string]any{"first": "i0"}},
		{"body null kept", []hookhub.Variable{{Path: "body.n"}}, map[string]any{"body.n": nil}},
		{"absent left out", []hookhub.Variable{{Path: "body.zzz"}, {Path: "header.Nope"}, {Path: "query.x"}}, map[string]any{}},
		{"unknown source", []hookhub.Variable{{Path: "cookie.a"}, {Path: "body"}}, map[string]any{}},
		{"several", []hookhub.Variable{{Path: "body.a", Alias: "x"}, {Path: "body.b.c", Alias: "y"}}, map[string]any{"x": 1.0, "y": 2.0}},
	}
	for _, tt := range tests {
		if got := Select(tt.vars, h, query, body); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %#v, want %#v", tt.name, got, tt.want)
		}
	}
}

func TestVariables(t *testing.T) {
	t.Parallel()
	h := http.Header{"X-Event": {"push"}}
	body := []byte(`{"a":1,"b":{"c":2},"e":{},"items":[{"id":"i0"}]}`)

	src := &hookhub.Source{}
	got := Variables(src, h, "q=1", "application/json", body)
	want := map[string]any{"body.a": 1.0, "body.b.c": 2.0, "body.e": map[string]any{}, "body.items[0].id": "i0"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("no selection: got %#v, want %#v", got, want)
	}

	src.Variables = []hookhub.Variable{{Path: "header.x-event", Alias: "event"}, {Path: "query.q"}, {Path: "body.b"}}
	got = Variables(src, h, "q=1", "application/json; charset=utf-8", body)
	want = map[string]any{"event": "push", "query.q": "1", "body.b": map[string]any{"c": 2.0}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("selection: got %#v, want %#v", got, want)
	}
}

func TestFlattenRequestBodies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, ct, body string
		path           string
		want           any
	}{
		{"json", "application/json", `{"a":{"b":1}}`, "a.b", 1.0},
		{"plus json", "application/cloudevents+json", `{"type":"x"}`, "type", "x"},
		{"form", "application/x-www-form-urlencoded", "a%5Bb%5D=1&payload=%7B%22t%22%3A%22x%22%7D", "payload.t", "x"},
		{"form nested key", "application/x-www-form-urlencoded", "a%5Bb%5D=1", "a.b", "1"},
		{"sns text/plain json", "text/plain; charset=UTF-8", `{"Type":"Notification"}`, "Type", "Notification"},
		{"plain text", "text/plain", `hello`, "hello", nil},
		{"broken json", "application/json", `{"a":`, "a", nil},
	}
	for _, tt := range tests {
		f := FlattenRequest(nil, "", tt.ct, []byte(tt.body))
		if got := f.Body[tt.path]; !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %s = %#v, want %#v", tt.name, tt.path, got, tt.want)
		}
	}
	if f := FlattenRequest(nil, "a[b]=1&%zz=bad", "", nil); f.Query["a.b"] != "1" {
		t.Errorf("query: got %#v", f.Query)
	}
}
