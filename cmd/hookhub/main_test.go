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
		var out, errOut bytes.Buffer
		err := run(context.Background(), tc.args, func(k string) string { return tc.env[k] }, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: err = %v, want one line naming %s", tc.args, err, tc.want)
		}
		if _, statErr := os.Stat(dir); !os.IsNotExist(statErr) {
			t.Fatalf("%v: data directory was created despite the bad config", tc.args)
		}
	}
}

func TestVersionAndUnknownCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"version"}, os.Getenv, &out, &errOut); err != nil || !strings.HasPrefix(out.String(), "hookhub ") {
		t.Fatalf("version: %q %v", out.String(), err)
	}
	if err := run(context.Background(), []string{"frobnicate"}, os.Getenv, &out, &errOut); err == nil {
		t.Fatal("unknown command accepted")
	}
}

func TestServeHelpListsSettings(t *testing.T) {
	var out, errOut bytes.Buffer
	run(context.Background(), []string{"serve", "--help"}, os.Getenv, &out, &errOut)
	for _, s := range []string{"--listen", "HOOKHUB_LISTEN", "--data-dir", "--database-url", "--outbound-allow", "HOOKHUB_SECRET_KEY"} {
		if !strings.Contains(out.String(), s) {
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
			var out, errOut bytes.Buffer
			args := append([]string{"serve", "--data-dir", dir, "--log-level", "error"}, tc.args...)
			err := run(context.Background(), args, func(string) string { return "" }, &out, &errOut)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one naming %q", err, tc.want)
			}
			if _, statErr := os.Stat(filepath.Dir(dir)); !os.IsNotExist(statErr) {
				t.Errorf("data directory (or its parent) was created: %v", statErr)
			}
			if strings.Contains(out.String(), "password") || strings.Contains(out.String(), "API key") {
				t.Errorf("credentials printed for a server that did not start:\n%s", out.String())
			}
		})
	}
}
