package main

import (
	"flag"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

var flagRef = regexp.MustCompile(`(?m)^  --([a-z][a-z0-9-]*)`)

// TestHelpIsConsistent: every command's help is reachable three ways, exits
// 0 on stdout, and lists exactly the command's own flags.
func TestHelpIsConsistent(t *testing.T) {
	var h *hub
	top := h.cli(t, "", nil, "--help")
	if top.code != 0 || top.stderr != "" {
		t.Fatalf("--help: exit %d, stderr %q", top.code, top.stderr)
	}
	for _, alias := range [][]string{{"help"}, {"-h"}} {
		if r := h.cli(t, "", nil, alias...); r.code != 0 || r.stdout != top.stdout {
			t.Errorf("%v differs from --help (exit %d)", alias, r.code)
		}
	}
	for i := range commands {
		c := &commands[i]
		if !strings.Contains(top.stdout, "  "+c.path+" ") {
			t.Errorf("--help does not list %q", c.path)
		}
		args := strings.Fields(c.path)
		viaHelp := h.cli(t, "", nil, append([]string{"help"}, args...)...)
		viaFlag := h.cli(t, "", nil, append(args, "--help")...)
		if viaHelp.code != 0 || viaFlag.code != 0 || viaHelp.stderr != "" || viaFlag.stderr != "" {
			t.Errorf("%s: help exit %d (%q), --help exit %d (%q)", c.path, viaHelp.code, viaHelp.stderr, viaFlag.code, viaFlag.stderr)
			continue
		}
		if viaHelp.stdout != viaFlag.stdout || !strings.HasPrefix(viaHelp.stdout, "Usage: hookhub "+c.path) {
			t.Errorf("%s: help and --help differ or lack the usage line:\n%s\n---\n%s", c.path, viaHelp.stdout, viaFlag.stdout)
		}
		if c.ownHelp {
			continue
		}
		fs := newFlagSet(c)
		c.setup(fs, &env{getenv: func(string) string { return "" }})
		var want []string
		fs.VisitAll(func(f *flag.Flag) { want = append(want, f.Name) })
		var got []string
		for _, m := range flagRef.FindAllStringSubmatch(viaHelp.stdout, -1) {
			got = append(got, m[1])
		}
		sort.Strings(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s lists flags %v, has %v", c.path, got, want)
		}
	}
}

func TestOnlyServerCommandsHaveServerFlags(t *testing.T) {
	var h *hub
	for _, local := range []string{"sign", "verify", "send", "version"} {
		r := h.cli(t, "", nil, "help", local)
		if strings.Contains(r.stdout, "--server") || strings.Contains(r.stdout, "--api-key") {
			t.Errorf("%s lists server flags", local)
		}
	}
	for _, remote := range []string{"sources list", "apply", "listen", "events tail"} {
		r := h.cli(t, "", nil, append([]string{"help"}, strings.Fields(remote)...)...)
		if !strings.Contains(r.stdout, "--server URL") || !strings.Contains(r.stdout, "HOOKHUB_API_KEY") {
			t.Errorf("%s does not list --server and --api-key", remote)
		}
	}
}

func TestVersionAndMistakes(t *testing.T) {
	var h *hub
	for _, args := range [][]string{{"--version"}, {"version"}} {
		if r := h.cli(t, "", nil, args...); r.code != 0 || !strings.HasPrefix(r.stdout, "hookhub ") {
			t.Errorf("%v: exit %d, %q", args, r.code, r.stdout)
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "no command"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"sources"}, "sources needs a command"},
		{[]string{"sources", "frob"}, `unknown command "sources frob"`},
		{[]string{"sources", "get"}, "usage: hookhub sources get [flags] ID"},
		{[]string{"sources", "list", "--bogus"}, "flag provided but not defined"},
		{[]string{"help", "nope"}, "no such command"},
	} {
		r := h.cli(t, "", nil, tc.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
}

func TestServerCommandsSayWhatIsMissing(t *testing.T) {
	var h *hub
	r := h.cli(t, "", nil, "sources", "list")
	if r.code != 2 || !strings.Contains(r.stderr, "--api-key") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("no key: exit %d, %q", r.code, r.stderr)
	}
	r = h.cli(t, "", map[string]string{"HOOKHUB_API_KEY": "k", "HOOKHUB_SERVER": "http://127.0.0.1:1"}, "sources", "list")
	if r.code != 1 || !strings.Contains(r.stderr, "cannot reach Hookhub at http://127.0.0.1:1") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("unreachable: exit %d, %q", r.code, r.stderr)
	}
}
