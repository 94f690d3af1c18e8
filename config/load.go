package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Load builds the configuration of a command from its arguments and environment.
// The returned error is one line naming the setting at fault. flag.ErrHelp is
// returned, after printing usage to out, when -h or --help is given.
func Load(name string, args []string, getenv func(string) string, out io.Writer) (*Config, error) {
	c := &Config{}
	all := settings(c)
	for _, s := range all {
		if s.def != "" {
			if err := s.set(s.def); err != nil {
				return nil, fmt.Errorf("default for --%s: %w", s.name, err)
			}
		}
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.ConfigFile, "config", getenv("HOOKHUB_CONFIG"), "")
	given := map[string]string{}
	for _, s := range all {
		fs.Func(s.name, "", func(v string) error { given[s.name] = v; return nil })
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(out, name, all)
			return nil, err
		}
		return nil, fmt.Errorf("%v (see %s --help)", err, name)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (see %s --help)", fs.Arg(0), name)
	}
	// Each setting takes its highest-priority value, and only that one is
	// parsed: a bad value that a higher one overrides does no harm.
	chosen, err := fileValues(c.ConfigFile, all)
	if err != nil {
		return nil, err
	}
	for _, s := range all {
		if v := getenv(s.env()); v != "" {
			chosen[s.name] = value{v, s.env()}
		}
		if v, ok := given[s.name]; ok {
			chosen[s.name] = value{v, "--" + s.name}
		}
	}
	for _, s := range all {
		if v, ok := chosen[s.name]; ok {
			if err := s.set(v.text); err != nil {
				return nil, fmt.Errorf("invalid value for %s: %w", v.origin, err)
			}
		}
	}
	return c, c.validate()
}

// value is one setting's text and where it came from, for error messages.
type value struct{ text, origin string }

// fileValues reads a YAML mapping whose keys are the flag names.
func fileValues(path string, all []setting) (map[string]value, error) {
	out := map[string]value{}
	if path == "" {
		return out, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("invalid value for --config: %w", err)
	}
	var m map[string]any
	if err := yaml.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("invalid config file %s: %w", path, err)
	}
	known := map[string]bool{}
	for _, s := range all {
		known[s.name] = true
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !known[k] {
			return nil, fmt.Errorf("invalid config file %s: unknown setting %q", path, k)
		}
		v := m[k]
		if list, ok := v.([]any); ok {
			parts := make([]string, len(list))
			for i, x := range list {
				parts[i] = fmt.Sprint(x)
			}
			v = strings.Join(parts, ",")
		}
		out[k] = value{fmt.Sprint(v), k + " in " + path}
	}
	return out, nil
}

func usage(out io.Writer, name string, all []setting) {
	fmt.Fprintf(out, "Usage: hookhub %s [flags]\n\n", name)
	fmt.Fprintf(out, "Each setting comes from, highest first: its flag, its environment variable,\nthe YAML file given by --config (keys are the flag names), its default.\n\n")
	fmt.Fprintf(out, "  --config FILE\n        YAML configuration file (env HOOKHUB_CONFIG)\n")
	for _, s := range all {
		def := s.def
		if s.secret && def != "" {
			def = "<secret>"
		}
		fmt.Fprintf(out, "  --%s\n        %s (env %s", s.name, s.usage, s.env())
		if def != "" {
			fmt.Fprintf(out, ", default %s", def)
		}
		if s.secret {
			fmt.Fprint(out, ", secret")
		}
		fmt.Fprintln(out, ")")
	}
}
