package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// groups orders the top-level help; every command belongs to one.
var groups = []struct {
	title string
	nouns []string
}{
	{"Server", []string{"serve", "migrate", "version"}},
	{"Resources (talk to a running server)", []string{"sources", "destinations", "events", "deliveries", "incidents", "workflows"}},
	{"Access", []string{"users", "api-keys", "whoami"}},
	{"Configuration as code", []string{"apply", "export"}},
	{"Local development", []string{"listen", "sign", "verify", "send"}},
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, "Hookhub is a self-hosted webhook hub. Usage: hookhub <command> [flags]\n")
	for _, g := range groups {
		fmt.Fprintf(w, "\n%s:\n", g.title)
		for _, noun := range g.nouns {
			for i := range commands {
				c := &commands[i]
				if n, _, _ := strings.Cut(c.path, " "); n == noun {
					fmt.Fprintf(w, "  %-26s %s\n", c.path, c.summary)
				}
			}
		}
	}
	fmt.Fprint(w, `
Commands that talk to a server take --server (env HOOKHUB_SERVER, default
http://127.0.0.1:8080) and --api-key (env HOOKHUB_API_KEY).

Run "hookhub help <command>" or "hookhub <command> --help" for a command's flags.
"hookhub --version" prints the version.
`)
}

func printGroup(w io.Writer, noun string, group []*command) {
	fmt.Fprintf(w, "Usage: hookhub %s <command> [flags]\n\nCommands:\n", noun)
	for _, c := range group {
		fmt.Fprintf(w, "  %-26s %s\n", c.path, c.summary)
	}
	fmt.Fprintf(w, "\nRun \"hookhub help %s <command>\" for a command's flags.\n", noun)
}

// printCommandHelp prints a command's synopsis, description and its own
// flags, in the same --flag style as serve's settings.
func printCommandHelp(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: hookhub %s %s\n\n%s\n", c.path, synopsis(c, fs), capitalize(c.summary)+".")
	if c.detail != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.detail))
	}
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		return
	}
	fmt.Fprint(w, "\nFlags:\n")
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if name != "" {
			line += " " + strings.ToUpper(name)
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && f.DefValue != "[]" {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "%s\n        %s\n", line, usage)
	})
}

// synopsis is the argument part of a usage line: "[flags] ID".
func synopsis(c *command, fs *flag.FlagSet) string {
	s := ""
	if fs != nil {
		fs.VisitAll(func(*flag.Flag) { s = "[flags]" })
	}
	if c.args != "" {
		s = strings.TrimSpace(s + " " + c.args)
	}
	return s
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
