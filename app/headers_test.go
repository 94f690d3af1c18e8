package app

import (
	"strings"
	"testing"
)

// TestHeaderInjectionRefusedOnSave checks that header names and values with
// CR, LF or other control characters are refused when saved (they would fail
// every delivery later), and that a refused change leaves what was stored.
// The check runs before anything reaches the store, so SQLite alone is
// enough.
func TestHeaderInjectionRefusedOnSave(t *testing.T) {
	t.Parallel()
	h := startHub(t, "")
	rcv := newSink(t)
	bad := []map[string]string{
		{"X-Team": "ops\r\nX-Injected: 1"},
		{"X-Team": "ops\n"},
		{"X-Team\r\nX-Injected": "1"},
		{"X Team": "ops"},
	}
	for _, hs := range bad {
		code := h.api("POST", "/api/v1/destinations", map[string]any{"name": "bad", "url": rcv.srv.URL, "headers": hs}, nil)
		if code != 400 {
			t.Errorf("create with headers %q: %d, want 400", hs, code)
		}
	}
	var none list[destination]
	h.mustAPI(200, "GET", "/api/v1/destinations", nil, &none)
	if len(none.Data) != 0 {
		t.Fatalf("a refused destination was stored: %+v", none.Data)
	}
	dst := h.createDestination("good", rcv.srv.URL, map[string]any{"headers": map[string]string{"X-Team": "ops"}})
	for _, hs := range bad {
		if code := h.api("PATCH", "/api/v1/destinations/"+dst.ID, map[string]any{"headers": hs}, nil); code != 400 {
			t.Errorf("update with headers %q: %d, want 400", hs, code)
		}
	}
	if code := h.api("PATCH", "/api/v1/destinations/"+dst.ID, map[string]any{"signing": map[string]any{"scheme": "hub-signature", "header": "X-Sig\r\n"}}, nil); code != 400 {
		t.Errorf("signing header with CR LF: %d, want 400", code)
	}
	if code := h.api("POST", "/api/v1/sources", map[string]any{"name": "s", "response": map[string]any{"status": 200, "headers": map[string]string{"X-A": "a\r\nb"}}}, nil); code != 400 {
		t.Errorf("source response header with CR LF: %d, want 400", code)
	}
	// The destination still delivers with its stored header.
	h.mustAPI(200, "POST", "/api/v1/destinations/"+dst.ID+"/test", nil, nil)
	tests := rcv.withEvent("hookhub.test")
	if len(tests) != 1 || tests[0].header.Get("X-Team") != "ops" || strings.Contains(tests[0].header.Get("X-Team"), "\n") {
		t.Fatalf("test send after refused updates: %v", tests)
	}
}
