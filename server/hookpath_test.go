package server

import "testing"

func TestHookPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path, key, typ, sub string
		ok                  bool
	}{
		{"/hooks/abc", "abc", "", "", true},
		{"/hooks/abc/", "abc", "", "", true},
		{"/hooks/github/abc/", "abc", "github", "", true},
		{"/hooks/github/abc", "abc", "github", "", true},
		{"/hooks/abc/v2/enqueue", "abc", "", "/v2/enqueue", true},
		{"/hooks/abc/v2/enqueue/", "abc", "", "/v2/enqueue", true},
		{"/hooks/pagerduty/abc/v2/enqueue", "abc", "pagerduty", "/v2/enqueue", true},
		{"/hooks/v2/enqueue", "enqueue", "v2", "", true}, // a key "enqueue" of type "v2": not found later
		{"/hooks/abc/v2/other", "", "", "", false},
		{"/hooks/abc/x/v2/enqueue/y", "", "", "", false},
		{"/hooks/", "", "", "", false},
		{"/hooks//abc", "", "", "", false},
		{"/hooks/a/b/c", "", "", "", false},
		{"/api/v1/sources", "", "", "", false},
	}
	for _, tt := range tests {
		key, typ, sub, ok := hookPath(tt.path)
		if key != tt.key || typ != tt.typ || sub != tt.sub || ok != tt.ok {
			t.Errorf("hookPath(%q) = %q, %q, %q, %v; want %q, %q, %q, %v", tt.path, key, typ, sub, ok, tt.key, tt.typ, tt.sub, tt.ok)
		}
	}
}
