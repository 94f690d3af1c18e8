package ingest

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/hookhub/hookhub"
)

// FuzzFlattenRequest feeds whole hostile requests (headers, query string,
// media type, body) to the flattening every rule and variable reads: it
// never panics, keeps its bounds and returns values that encode as JSON.
func FuzzFlattenRequest(f *testing.F) {
	f.Add("push", "a[0]=1&b=%zz", "application/json", []byte(`{"a":{"b":[1,2]}}`))
	f.Add("", "payload=%7B%7D", "application/x-www-form-urlencoded", []byte(`payload=%7B%22a%22%3A1%7D&x[]=1`))
	f.Add("x", "", "text/plain", []byte(`[{"k":"v"}]`))
	f.Add("y", ";;", "application/cloudevents+json; charset=utf-8", []byte("\xff{"))
	f.Fuzz(func(t *testing.T, header, rawQuery, contentType string, body []byte) {
		h := http.Header{"X-Event": {header}, "Content-Type": {contentType}}
		flat := FlattenRequest(h, rawQuery, contentType, body)
		checkFlat(t, flat.Query, DefaultLimit)
		checkFlat(t, flat.Body, DefaultLimit)
		vars := []hookhub.Variable{{Path: "header.X-Event", Alias: "e"}, {Path: "query.a[0]"}, {Path: "body.a.b", Alias: "ab"}}
		for _, v := range [][]hookhub.Variable{nil, vars} {
			if _, err := json.Marshal(flat.Variables(v)); err != nil {
				t.Fatalf("variables do not encode: %v", err)
			}
		}
		EventType(hookhub.EventTypeRule{Header: "X-Event", JSONPath: "a.b", Default: "d"}, h, flat.Body)
	})
}
