// Package manifest is Hookhub's configuration as code: a YAML file naming
// sources, destinations and workflows by name, with the API's JSON fields.
// Parse reads and expands a file, Plan and Apply bring a server in line
// with it, Export writes a server's objects back in the same format.
package manifest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// Object is one API object as generic JSON.
type Object = map[string]any

// File is a parsed manifest: per kind (in Kinds order), the objects the
// file declares.
type File struct {
	Objects map[string][]Object
}

// Parse reads a manifest, replacing every ${NAME} in its strings with the
// environment variable NAME (unset is an error, so a missing secret is not
// applied as empty).
func Parse(data []byte, getenv func(string) string) (*File, error) {
	var raw map[string]any
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil && err.Error() != "EOF" {
		return nil, fmt.Errorf("not valid YAML: %w", err)
	}
	f := &File{Objects: map[string][]Object{}}
	for key := range raw {
		if _, ok := kindNamed(key); !ok {
			return nil, fmt.Errorf("unknown top-level key %q: use %s", key, strings.Join(kindNames(), ", "))
		}
	}
	// Kinds in their order, so the first error reported is always the same.
	for _, k := range Kinds {
		v, ok := raw[k.Name]
		if !ok {
			continue
		}
		list, err := objects(k.Name, v, getenv)
		if err != nil {
			return nil, err
		}
		f.Objects[k.Name] = list
	}
	return f, nil
}

// objects checks one kind's list: each item a mapping with a unique name.
func objects(kind string, v any, getenv func(string) string) ([]Object, error) {
	items, ok := v.([]any)
	if !ok && v != nil {
		return nil, fmt.Errorf("%s: must be a list", kind)
	}
	seen := map[string]bool{}
	out := make([]Object, 0, len(items))
	for i, item := range items {
		expanded, err := expand(item, getenv)
		if err != nil {
			return nil, fmt.Errorf("%s[%d]: %w", kind, i, err)
		}
		obj, err := normalize(expanded)
		if err != nil {
			return nil, fmt.Errorf("%s[%d]: %w", kind, i, err)
		}
		name, _ := obj["name"].(string)
		if name == "" {
			return nil, fmt.Errorf("%s[%d]: every object needs a name", kind, i)
		}
		if seen[name] {
			return nil, fmt.Errorf("%s: two objects are named %q; names must be unique", kind, name)
		}
		seen[name] = true
		out = append(out, obj)
	}
	return out, nil
}

// normalize turns a YAML value into the JSON value the API would see
// (numbers as float64, maps with string keys).
func normalize(v any) (Object, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("cannot be JSON: %w", err)
	}
	var obj Object
	if err := json.Unmarshal(b, &obj); err != nil || obj == nil {
		return nil, fmt.Errorf("must be a mapping of the API's fields")
	}
	return obj, nil
}

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expand replaces ${NAME} in every string of v.
func expand(v any, getenv func(string) string) (any, error) {
	switch v := v.(type) {
	case string:
		var missing []string
		out := envRef.ReplaceAllStringFunc(v, func(m string) string {
			name := m[2 : len(m)-1]
			val := getenv(name)
			if val == "" {
				missing = append(missing, name)
			}
			return val
		})
		if len(missing) > 0 {
			return nil, fmt.Errorf("environment variable %s is not set", missing[0])
		}
		return out, nil
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			e, err := expand(x, getenv)
			if err != nil {
				return nil, err
			}
			out[i] = e
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			e, err := expand(x, getenv)
			if err != nil {
				return nil, err
			}
			out[k] = e
		}
		return out, nil
	}
	return v, nil
}
