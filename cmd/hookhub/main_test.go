package main

import (
	"bytes"
	"context"
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
