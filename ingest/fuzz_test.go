package ingest

import (
	"encoding/json"
	"net/url"
	"testing"
	"unicode/utf8"

	"github.com/hookhub/hookhub"
)

var jsonSeeds = []string{
	`{"a":1,"b":{"c":[true,false,null,"x\u00e9",-1.5e+3]}}`,
	`[[[[]]]]`, `"s"`, `0`, `-0.0e-0`, `{"a":}`, `[1,]`, `{} {}`, "\xef\xbb\xbf{}",
	"\"\xff\"", `{"a.b":1,"a":{"b":2}}`, `{"id":12345678901234567890,"x":1e400}`,
}

// FuzzCheckJSON compares CheckJSON with encoding/json's own validator.
func FuzzCheckJSON(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s), 0)
	}
	f.Fuzz(func(t *testing.T, body []byte, depth int) {
		err := CheckJSON(body, depth)
		if err != nil && hookhub.ErrorCode(err) != hookhub.EINVALID {
			t.Fatalf("non-EINVALID error %v", err)
		}
		if len(body) > 5000 {
			return // encoding/json's own depth limit (10000) could differ
		}
		want := json.Valid(body) && utf8.Valid(body)
		if got := CheckJSON(body, 1<<20) == nil; got != want {
			t.Fatalf("CheckJSON(%q) valid = %v, encoding/json says %v", body, got, want)
		}
	})
}

// FuzzFlatten checks Flatten never panics, stays within its bounds, accepts
// what CheckJSON accepts, and returns values that encode again as JSON.
func FuzzFlatten(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s), 0)
	}
	f.Fuzz(func(t *testing.T, body []byte, limit int) {
		flat, err := Flatten(body, limit)
		if err != nil {
			if CheckJSON(body, DefaultMaxDepth) == nil {
				t.Fatalf("CheckJSON accepts %q but Flatten fails: %v", body, err)
			}
			return
		}
		checkFlat(t, flat, limit)
	})
}

// FuzzFlattenQuery checks query and form flattening never panic and stay
// within their bounds.
func FuzzFlattenQuery(f *testing.F) {
	for _, s := range []string{
		"query[0].a=1", "a[b]=2&a=1", "t[]=x&t[]=y", "x[10]=b&x[2]=a&x[k]=c", "a[b[c]]=1",
		"payload=%7B%22a%22%3A%5B1%2C%7B%7D%5D%7D", "a..b=1", "[]=1", "a[]" + "[]=1", "%zz=1&b=2",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw)
		checkFlat(t, FlattenQuery(q), DefaultLimit)
		checkFlat(t, FlattenForm(q), DefaultLimit)
	})
}

func checkFlat(t *testing.T, flat map[string]any, limit int) {
	t.Helper()
	if limit <= 0 {
		limit = DefaultLimit
	}
	if len(flat) > limit {
		t.Fatalf("%d paths, limit %d", len(flat), limit)
	}
	for p := range flat {
		if len(p) > maxPathLen {
			t.Fatalf("path of %d bytes", len(p))
		}
	}
	if _, err := json.Marshal(flat); err != nil {
		t.Fatalf("result does not encode: %v", err)
	}
}
