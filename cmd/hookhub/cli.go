package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/hookhub/hookhub"
)

// env is what a command may use of the outside world; tests supply their own.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// runner runs a command with its positional arguments, once its flags are
// parsed.
type runner func(ctx context.Context, args []string) error

// command is one hookhub command. setup declares its flags on fs and
// returns the function that runs it.
type command struct {
	path    string // such as "sources list"
	args    string // synopsis of positional arguments, such as "ID"
	nargs   int    // exact number of positional arguments; -1 means any
	summary string
	detail  string // longer help, optional
	setup   func(fs *flag.FlagSet, e *env) runner
	// ownHelp commands (serve, migrate) parse their arguments themselves.
	ownHelp bool
}

// usageError is a mistake in how a command was called: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// exitError carries an exit status and a message already meant for the
// user, such as verify's explanation of a failed signature.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// execute runs the command line and returns the process's exit status:
// 0 success (help included), 1 failure, 2 a usage mistake.
func execute(ctx context.Context, args []string, e *env) int {
	err := run(ctx, args, e)
	var ue *usageError
	var ee *exitError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ee):
		if ee.msg != "" {
			fmt.Fprintln(e.stderr, "hookhub:", ee.msg)
		}
		return ee.code
	case errors.As(err, &ue):
		fmt.Fprintln(e.stderr, "hookhub:", ue.msg)
		return 2
	}
	fmt.Fprintln(e.stderr, "hookhub:", err)
	return 1
}

// run finds the command the arguments name and runs it.
func run(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 {
		printUsage(e.stderr)
		return usagef("no command given")
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		return help(args[1:], e)
	case "--version", "-version":
		fmt.Fprintln(e.stdout, "hookhub", hookhub.Version)
		return nil
	}
	cmd, rest := lookup(args)
	if cmd == nil {
		return unknown(args, e)
	}
	if cmd.ownHelp {
		return cmd.setup(nil, e)(ctx, rest)
	}
	fs := newFlagSet(cmd)
	runCmd := cmd.setup(fs, e)
	pos, err := parseInterspersed(fs, rest)
	if errors.Is(err, flag.ErrHelp) {
		printCommandHelp(e.stdout, cmd, fs)
		return err
	} else if err != nil {
		// The flag package names flags with one dash; say them as help does.
		msg := strings.Replace(err.Error(), " -", " --", 1)
		return usagef("%s: %s (see hookhub %s --help)", cmd.path, msg, cmd.path)
	}
	if cmd.nargs >= 0 && len(pos) != cmd.nargs {
		return usagef("usage: hookhub %s %s (see hookhub %s --help)", cmd.path, synopsis(cmd, fs), cmd.path)
	}
	return runCmd(ctx, pos)
}

// lookup finds the longest command path that args start with.
func lookup(args []string) (*command, []string) {
	for n := min(len(args), 2); n >= 1; n-- {
		p := strings.Join(args[:n], " ")
		for i := range commands {
			if commands[i].path == p {
				return &commands[i], args[n:]
			}
		}
	}
	return nil, nil
}

// unknown answers a command line that names no command: a group name alone
// prints the group's commands.
func unknown(args []string, e *env) error {
	if group := groupOf(args[0]); len(group) > 0 {
		printGroup(e.stderr, args[0], group)
		if len(args) == 1 {
			return usagef("%s needs a command: %s", args[0], strings.Join(verbs(group), ", "))
		}
		return usagef("unknown command %q (see hookhub help %s)", args[0]+" "+args[1], args[0])
	}
	return usagef("unknown command %q (see hookhub --help)", args[0])
}

// help prints the help of the command (or group) named by args to stdout.
func help(args []string, e *env) error {
	if len(args) == 0 {
		printUsage(e.stdout)
		return nil
	}
	cmd, rest := lookup(args)
	if cmd == nil || len(rest) > 0 {
		if group := groupOf(args[0]); len(group) > 0 && len(args) == 1 {
			printGroup(e.stdout, args[0], group)
			return nil
		}
		return usagef("no help for %q: no such command (see hookhub --help)", strings.Join(args, " "))
	}
	if cmd.ownHelp {
		return cmd.setup(nil, e)(context.Background(), []string{"--help"})
	}
	fs := newFlagSet(cmd)
	cmd.setup(fs, e)
	printCommandHelp(e.stdout, cmd, fs)
	return nil
}

func newFlagSet(cmd *command) *flag.FlagSet {
	fs := flag.NewFlagSet(cmd.path, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseInterspersed parses flags anywhere among the positional arguments,
// so "sources get ID --json" works as well as "sources get --json ID". A
// lone "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// groupOf returns the commands under a noun such as "sources".
func groupOf(noun string) []*command {
	var out []*command
	for i := range commands {
		if n, _, ok := strings.Cut(commands[i].path, " "); ok && n == noun {
			out = append(out, &commands[i])
		}
	}
	return out
}

func verbs(group []*command) []string {
	var out []string
	for _, c := range group {
		_, v, _ := strings.Cut(c.path, " ")
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// main is the process entry point.
func main() {
	os.Exit(execute(context.Background(), os.Args[1:], &env{getenv: os.Getenv, stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}))
}
