package app

import (
	"net/http"
	"testing"
)

// TestDebugListener: profiles are served only on the --debug-listen address,
// never on the API's.
func TestDebugListener(t *testing.T) {
	h := startHubWith(t, "", func(m *Main) { m.Config.DebugListen = "127.0.0.1:0" })
	resp, err := http.Get("http://" + h.main.DebugAddr() + "/debug/pprof/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("debug listener answered %d", resp.StatusCode)
	}
	if code, _, _ := h.raw("GET", "/debug/pprof/cmdline", nil, nil); code != 404 {
		t.Fatalf("API listener answered %d for /debug/pprof/, want 404", code)
	}
	if plain := startHub(t, ""); plain.main.DebugAddr() != "" {
		t.Fatal("profiles served without --debug-listen")
	}
}
