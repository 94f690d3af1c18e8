package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runArgs(args []string, envv map[string]string) (error, string, string) {
	var out, errOut bytes.Buffer
	e := &env{getenv: func(k string) string { return envv[k] }, stdin: strings.NewReader(""), stdout: &out, stderr: &errOut}
	err := run(context.Background(), args, e)
	return err, out.String(), errOut.String()
}

func TestBadConfigStopsStartupAndCreatesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"serve", "--data-dir", dir, "--listen", "nonsense"}, nil, "--listen"},
		{[]string{"serve", "--data-dir", dir}, map[string]string{"HOOKHUB_DATABASE_URL": "mysql://x"}, "HOOKHUB_DATABASE_URL"},
		{[]string{"serve", "--data-dir", dir, "--outbound-allow", "300.1.1.1/8"}, nil, "--outbound-allow"},
	} {
		err, _, _ := runArgs(tc.args, tc.env)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: err = %v, want one line naming %s", tc.args, err, tc.want)
		}
		if _, statErr := os.Stat(dir); !os.IsNotExist(statErr) {
			t.Fatalf("%v: data directory was created despite the bad config", tc.args)
		}
	}
}

func TestServeHelpListsSettings(t *testing.T) {
	var h *hub
	r := h.cli(t, "", nil, "serve", "--help")
	if r.code != 0 {
		t.Fatalf("serve --help exit %d", r.code)
	}
	for _, s := range []string{"--listen", "HOOKHUB_LISTEN", "--data-dir", "--database-url", "--outbound-allow", "HOOKHUB_SECRET_KEY"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("serve --help lacks %s", s)
		}
	}
}

// TestFailedStartCreatesNothing: a port in use, an address that cannot be
// bound, or a database that cannot be reached stops start-up with no data
// directory left behind and no credentials printed.
func TestFailedStartCreatesNothing(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"port in use", []string{"--listen", busy.Addr().String()}, "listen on"},
		{"bad address", []string{"--listen", "127.0.0.1:99999"}, "listen on"},
		{"unreachable postgres", []string{"--listen", "127.0.0.1:0", "--database-url", "postgres://nobody@127.0.0.1:1/x?connect_timeout=2"}, "postgres"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "parent", "data")
			var h *hub
			r := h.cli(t, "", nil, append([]string{"serve", "--data-dir", dir, "--log-level", "error"}, tc.args...)...)
			if r.code != 1 || !strings.Contains(r.stderr, tc.want) {
				t.Fatalf("exit %d, stderr %q; want 1 and one naming %q", r.code, r.stderr, tc.want)
			}
			if _, statErr := os.Stat(filepath.Dir(dir)); !os.IsNotExist(statErr) {
				t.Errorf("data directory (or its parent) was created: %v", statErr)
			}
			if strings.Contains(r.stdout, "password") || strings.Contains(r.stdout, "API key") {
				t.Errorf("credentials printed for a server that did not start:\n%s", r.stdout)
			}
		})
	}
}
