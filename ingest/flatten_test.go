package ingest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/hookhub/hookhub"
)

func TestFlatten(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		want       map[string]any
	}{
		{"seed example", `{"a": 1, "b": {"c": 2}}`, map[string]any{
			"a": 1.0, "b": map[string]any{"c": 2.0}, "b.c": 2.0,
		}},
		{"arrays", `{"items":[{"id":"x"},{"id":"y"}]}`, map[string]any{
			"items":    []any{map[string]any{"id": "x"}, map[string]any{"id": "y"}},
			"items[0]": map[string]any{"id": "x"}, "items[0].id": "x",
			"items[1]": map[string]any{"id": "y"}, "items[1].id": "y",
		}},
		{"nested arrays", `{"m":[[1,2]]}`, map[string]any{
			"m": []any{[]any{1.0, 2.0}}, "m[0]": []any{1.0, 2.0}, "m[0][0]": 1.0, "m[0][1]": 2.0,
		}},
		{"top-level array", `[{"id":1}]`, map[string]any{"[0]": map[string]any{"id": 1.0}, "[0].id": 1.0}},
		{"scalars and null", `{"s":"x","t":true,"n":null,"e":{},"l":[]}`, map[string]any{
			"s": "x", "t": true, "n": nil, "e": map[string]any{}, "l": []any{},
		}},
		{"top-level scalar", `"hello"`, map[string]any{}},
		{"same spelling: shallower wins", `{"a.b":1,"a":{"b":2}}`, map[string]any{
			"a": map[string]any{"b": 2.0}, "a.b": 1.0,
		}},
		{"big integers stay exact", `{"id":12345678901234567890,"small":9007199254740992,"huge":1e400,"f":0.5}`, map[string]any{
			"id": json.Number("12345678901234567890"), "small": 9007199254740992.0,
			"huge": json.Number("1e400"), "f": 0.5,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Flatten([]byte(tt.body), 0)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Flatten(%s)\n got %#v\nwant %#v", tt.body, got, tt.want)
			}
		})
	}
}

func TestFlattenInvalid(t *testing.T) {
	t.Parallel()
	for _, body := range []string{``, `{`, `{"a":1} x`, `{} {}`, `nope`} {
		if _, err := Flatten([]byte(body), 0); hookhub.ErrorCode(err) != hookhub.EINVALID {
			t.Errorf("Flatten(%q) err = %v, want EINVALID", body, err)
		}
	}
}

// Nested containers hold converted numbers even below the limit's reach.
func TestFlattenConvertsNumbersPastLimit(t *testing.T) {
	t.Parallel()
	got, err := Flatten([]byte(`{"a":{"b":{"c":[7]}}}`), 1)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"a": map[string]any{"b": map[string]any{"c": []any{7.0}}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v", got)
	}
}

func TestFlattenLimitKeepsShallowPaths(t *testing.T) {
	t.Parallel()
	got, err := Flatten([]byte(`{"z":1,"a":{"b":{"c":1}},"m":[1,2,3]}`), 4)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a", "m", "z", "a.b"}
	if len(got) != len(want) {
		t.Fatalf("got %d paths: %v", len(got), got)
	}
	for _, p := range want {
		if _, ok := got[p]; !ok {
			t.Errorf("missing %q in %v", p, got)
		}
	}
}

func TestFlattenBoundsBigBodies(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(`{"items":[`)
	for i := range 20000 {
		fmt.Fprintf(&b, `{"id":%d,"tags":["a","b"]},`, i)
	}
	b.WriteString(`null],"` + strings.Repeat("k", 600) + `":{"x":1}}`)
	got, err := Flatten([]byte(b.String()), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != DefaultLimit {
		t.Fatalf("got %d paths, want %d", len(got), DefaultLimit)
	}
	for p := range got {
		if len(p) > maxPathLen {
			t.Fatalf("path of %d bytes kept", len(p))
		}
	}
}

// Flatten is used after CheckJSON but must itself survive deep input.
func TestFlattenDeep(t *testing.T) {
	t.Parallel()
	body := strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000)
	got, err := Flatten([]byte(body), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got["a.a.a"]; !ok {
		t.Fatalf("missing a.a.a")
	}
}

func BenchmarkFlatten(b *testing.B) {
	body := []byte(`{"items":[` + strings.Repeat(`{"id":12345,"name":"widget","tags":["a","b"],"price":1.5e2,"ok":true},`, 12000) + `null]}`)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := Flatten(body, 0); err != nil {
			b.Fatal(err)
		}
	}
}
