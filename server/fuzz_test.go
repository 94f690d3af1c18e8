package server

import (
	"strings"
	"testing"
)

// FuzzHookPath checks the split of ingest paths: a key it returns is never
// empty and never holds a slash, and a type comes only with a key.
func FuzzHookPath(f *testing.F) {
	for _, p := range []string{"/hooks/abc", "/hooks/abc/", "/hooks/github/abc/", "/hooks//", "/hooks/a/b/c", "/hooks/", "/x/abc", "/hooks/a%00b"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		key, typ, ok := hookPath(p)
		if !ok {
			if key != "" || typ != "" {
				t.Fatalf("%q: refused but returned %q %q", p, key, typ)
			}
			return
		}
		if key == "" || strings.Contains(key, "/") || strings.Contains(typ, "/") {
			t.Fatalf("%q: key %q type %q", p, key, typ)
		}
		if !strings.HasPrefix(p, "/hooks/") {
			t.Fatalf("%q accepted outside /hooks/", p)
		}
	})
}
