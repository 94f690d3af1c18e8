package hookhub

import (
	"reflect"
	"strings"
	"testing"
)

func TestAttemptLimit(t *testing.T) {
	big := strings.Repeat("x", MaxAttemptHeaders)
	for _, tc := range []struct {
		name    string
		in      Attempt
		headers map[string][]string // response headers kept
		bodyLen int
		cut     []string
	}{
		{
			name:    "within limits",
			in:      Attempt{ResponseHeaders: map[string][]string{"A": {"1"}}, ResponseBody: "ok"},
			headers: map[string][]string{"A": {"1"}}, bodyLen: 2,
		},
		{
			name:    "exactly at the limits",
			in:      Attempt{ResponseHeaders: map[string][]string{"A": {big[:MaxAttemptHeaders-1]}}, ResponseBody: strings.Repeat("b", MaxAttemptBody)},
			headers: map[string][]string{"A": {big[:MaxAttemptHeaders-1]}}, bodyLen: MaxAttemptBody,
		},
		{
			name: "one huge header keeps its start, later ones go",
			in: Attempt{ResponseHeaders: map[string][]string{"A": {"1"}, "B": {big}, "C": {"3"}},
				ResponseBody: strings.Repeat("b", MaxAttemptBody+1)},
			headers: map[string][]string{"A": {"1"}, "B": {big[:MaxAttemptHeaders-3]}},
			bodyLen: MaxAttemptBody,
			cut:     []string{TruncatedResponseHeaders, TruncatedResponseBody},
		},
		{
			name: "many small headers",
			in: Attempt{ResponseHeaders: func() map[string][]string {
				h := map[string][]string{}
				for i := range 10000 {
					h["X-"+strings.Repeat("k", i%7)+string(rune('a'+i%26))] = append(h["X-"+strings.Repeat("k", i%7)+string(rune('a'+i%26))], "vvvvvvvv")
				}
				return h
			}()},
			cut: []string{TruncatedResponseHeaders},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.in
			a.Limit()
			if tc.headers != nil && !reflect.DeepEqual(a.ResponseHeaders, tc.headers) {
				t.Errorf("headers kept: %v", keysOf(a.ResponseHeaders))
			}
			if n := headerBytes(a.ResponseHeaders); n > MaxAttemptHeaders {
				t.Errorf("%d header bytes kept, limit %d", n, MaxAttemptHeaders)
			}
			if tc.bodyLen != 0 && len(a.ResponseBody) != tc.bodyLen {
				t.Errorf("body %d bytes, want %d", len(a.ResponseBody), tc.bodyLen)
			}
			if !reflect.DeepEqual(a.Truncated, tc.cut) {
				t.Errorf("truncated = %v, want %v", a.Truncated, tc.cut)
			}
			again := a
			again.Limit()
			if !reflect.DeepEqual(again, a) {
				t.Error("a second Limit changed the attempt")
			}
		})
	}
}

func headerBytes(h map[string][]string) int {
	n := 0
	for k, vs := range h {
		for _, v := range vs {
			n += len(k) + len(v)
		}
	}
	return n
}

func keysOf(h map[string][]string) []string {
	var out []string
	for k := range h {
		out = append(out, k)
	}
	return out
}
