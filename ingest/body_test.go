package ingest

import (
	"encoding/json"
	"reflect"
	"sync"
	"testing"

	"github.com/hookhub/hookhub"
)

func TestDecodeJSONNumbers(t *testing.T) {
	doc, err := DecodeJSON([]byte(`{"i": 3, "f": 1.5, "big": 9007199254740993, "huge": 1e400, "list": [2, {"n": -0.5}]}`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"i": 3.0, "f": 1.5, "big": json.Number("9007199254740993"), "huge": json.Number("1e400"),
		"list": []any{2.0, map[string]any{"n": -0.5}}}
	if !reflect.DeepEqual(doc, want) {
		t.Errorf("DecodeJSON = %#v", doc)
	}
	for _, bad := range []string{``, `{"a":`, `{} {}`, `nul`} {
		if _, err := DecodeJSON([]byte(bad)); hookhub.ErrorCode(err) != hookhub.EINVALID {
			t.Errorf("DecodeJSON(%q) err = %v, want EINVALID", bad, err)
		}
	}
}

func TestBodyDecodesOnce(t *testing.T) {
	b := NewBody([]byte(`{"a": {"b": 1}}`), "application/json")
	first, err := b.JSON()
	if err != nil {
		t.Fatal(err)
	}
	first.(map[string]any)["marker"] = true
	again, _ := b.JSON()
	if again.(map[string]any)["marker"] != true {
		t.Error("JSON decoded the body a second time")
	}
	f := b.Flat(nil, "q=1")
	if f.Body["a.b"] != 1.0 || f.Query["q"] != "1" {
		t.Errorf("Flat = %+v", f)
	}
	if reflect.ValueOf(f.Body["a"]).Pointer() != reflect.ValueOf(first.(map[string]any)["a"]).Pointer() {
		t.Error("Flat does not share the decoded value")
	}
}

func TestBodyKinds(t *testing.T) {
	tests := []struct {
		ct, body string
		json     bool
	}{
		{"application/json", `{"a":1}`, true},
		{"application/cloudevents+json", `[1]`, true},
		{"text/plain", `{"a":1}`, true}, // SNS posts JSON as text/plain
		{"text/plain", `hello`, false},
		{"application/x-www-form-urlencoded", `{"a":1}`, false},
	}
	for _, tt := range tests {
		b := NewBody([]byte(tt.body), tt.ct)
		if _, err := b.JSON(); b.IsJSON() != tt.json || (err == nil) != tt.json {
			t.Errorf("%s %s: IsJSON %v, err %v; want JSON %v", tt.ct, tt.body, b.IsJSON(), err, tt.json)
		}
	}
	form := NewBody([]byte(`a=1&payload={"type":"x"}`), "application/x-www-form-urlencoded").Flat(nil, "")
	if form.Body["a"] != "1" || form.Body["payload.type"] != "x" {
		t.Errorf("form Flat = %+v", form.Body)
	}
}

// TestFlattenValueReadOnly flattens one decoded value from many goroutines:
// under the race detector this fails if flattening writes to it.
func TestFlattenValueReadOnly(t *testing.T) {
	doc, err := DecodeJSON([]byte(`{"a": [1, 2, {"b": 3}], "big": 12345678901234567890, "c": {"d": "e"}}`))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if f := FlattenValue(doc, 0); f["a[2].b"] != 3.0 {
				t.Errorf("FlattenValue = %v", f)
			}
		})
	}
	wg.Wait()
}
