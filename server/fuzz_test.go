package server

import (
	"slices"
	"strings"
	"testing"

	"github.com/hookhub/hookhub/alert"
)

// FuzzHookPath checks the split of ingest paths: a key it returns is never
// empty and never holds a slash, a type comes only with a key, and a sub-path
// is one of the alert intake paths.
func FuzzHookPath(f *testing.F) {
	for _, p := range []string{"/hooks/abc", "/hooks/abc/", "/hooks/github/abc/", "/hooks//", "/hooks/a/b/c", "/hooks/", "/x/abc", "/hooks/a%00b", "/hooks/abc/v2/enqueue", "/hooks/pagerduty/abc/v2/enqueue/"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		key, typ, sub, ok := hookPath(p)
		if !ok {
			if key != "" || typ != "" || sub != "" {
				t.Fatalf("%q: refused but returned %q %q %q", p, key, typ, sub)
			}
			return
		}
		if sub != "" && !slices.Contains(alert.IntakePaths, sub) {
			t.Fatalf("%q: sub-path %q", p, sub)
		}
		if key == "" || strings.Contains(key, "/") || strings.Contains(typ, "/") {
			t.Fatalf("%q: key %q type %q", p, key, typ)
		}
		if !strings.HasPrefix(p, "/hooks/") {
			t.Fatalf("%q accepted outside /hooks/", p)
		}
	})
}
