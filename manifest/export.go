package manifest

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"math"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hookhub/hookhub"
)

// Export writes every object of every kind in the manifest format, sorted
// by name. Secrets the server holds become ${…} placeholders named after
// the object and field; applying the output (with those variables set)
// changes nothing.
func Export(ctx context.Context, api API) ([]byte, error) {
	names := map[string]map[string]string{} // kind → ID → name
	doc := &yaml.Node{Kind: yaml.MappingNode}
	all, err := listAll(ctx, api)
	if err != nil {
		return nil, err
	}
	for _, k := range Kinds {
		list := all[k.Name]
		names[k.Name] = map[string]string{}
		for _, obj := range list {
			names[k.Name][fmt.Sprint(obj["id"])] = fmt.Sprint(obj["name"])
		}
		sort.Slice(list, func(i, j int) bool { return fmt.Sprint(list[i]["name"]) < fmt.Sprint(list[j]["name"]) })
		items := &yaml.Node{Kind: yaml.SequenceNode}
		for _, obj := range list {
			items.Content = append(items.Content, node(exportObject(k, obj, names), true))
		}
		doc.Content = append(doc.Content, scalar(k.Name), items)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), enc.Close()
}

// exportObject turns an API answer into what a file declares.
func exportObject(k Kind, obj Object, names map[string]map[string]string) Object {
	out := Object{}
	for key, v := range obj {
		if !contains(k.OutputOnly, key) {
			out[key] = v
		}
	}
	if k.Owns != nil && obj[k.Owns.Flag] == true {
		delete(out, k.Owns.IDField) // made for it: the owner makes it anew
	}
	for _, ref := range k.Refs {
		if ref.In == "" {
			nameRef(ref, out, names)
			continue
		}
		items, _ := out[ref.In].([]any)
		named := make([]any, len(items))
		for i, item := range items {
			if m, ok := item.(map[string]any); ok {
				m = maps.Clone(m)
				nameRef(ref, m, names)
				item = m
			}
			named[i] = item
		}
		if items != nil {
			out[ref.In] = named
		}
	}
	placeholders(k, out)
	return prune(out).(Object)
}

// nameRef replaces the IDs in a reference's IDField of obj by the names of
// the objects they are; an ID no longer known stays an ID.
func nameRef(ref Ref, obj Object, names map[string]map[string]string) {
	ids, _ := obj[ref.IDField].([]any)
	if !ref.Many {
		ids = []any{obj[ref.IDField]}
	}
	refNames, ok := namesOf(ids, names[ref.Kind])
	if !ok || len(ids) == 0 || ids[0] == nil {
		return
	}
	delete(obj, ref.IDField)
	if ref.Many {
		obj[ref.Field] = refNames
	} else {
		obj[ref.Field] = refNames[0]
	}
}

func namesOf(ids []any, byID map[string]string) ([]any, bool) {
	out := make([]any, len(ids))
	for i, id := range ids {
		n, ok := byID[fmt.Sprint(id)]
		if !ok {
			return nil, false
		}
		out[i] = n
	}
	return out, true
}

// placeholders puts ${…} where the server holds a secret.
func placeholders(k Kind, obj Object) {
	name := fmt.Sprint(obj["name"])
	for _, p := range k.Redacted {
		parentPath, field, _ := strings.Cut(p, ".")
		parent, _ := lookup(obj, parentPath).(map[string]any)
		if v, _ := parent[field].(string); parent != nil && redacted(v) {
			parent[field] = envName(k.Singular, name, parentPath, field)
		}
	}
	for _, s := range k.Secrets {
		parent, _ := lookup(obj, s.Parent).(map[string]any)
		if parent == nil {
			continue
		}
		for key, v := range parent {
			if s.Field != "*" && key != s.Field {
				continue
			}
			if s.SetFlag == "" && v == masked {
				parent[key] = envName(k.Singular, name, s.Parent, key)
			}
		}
		if set, _ := parent[s.SetFlag].(bool); s.SetFlag != "" && set && s.Field == secretFieldOf(parent, s) {
			parent[s.Field] = envName(k.Singular, name, s.Field)
		}
	}
}

// lookup follows a dotted path of nested objects.
func lookup(obj Object, path string) any {
	var v any = obj
	for _, part := range strings.Split(path, ".") {
		m, _ := v.(map[string]any)
		v = m[part]
	}
	return v
}

// redacted reports whether a URL (or comma-separated URLs) had its
// credentials masked by the API.
func redacted(s string) bool {
	for _, part := range strings.Split(s, ",") {
		u, err := url.Parse(strings.TrimSpace(part))
		if err != nil || u.User == nil {
			continue
		}
		if pw, ok := u.User.Password(); (ok && pw == hookhub.RedactedCredential) || u.User.Username() == hookhub.RedactedCredential {
			return true
		}
	}
	return false
}

// secretFieldOf says which of the fields sharing one "set" flag holds the
// secret: password for basic verification, secret otherwise.
func secretFieldOf(parent map[string]any, s Secret) string {
	if s.SetFlag != "secret_set" {
		return s.Field
	}
	if parent["scheme"] == "basic" {
		return "password"
	}
	return "secret"
}

var notAlnum = regexp.MustCompile(`[^A-Z0-9]+`)

// envName makes a ${SOURCE_GITHUB_ORG_SECRET} style placeholder.
func envName(parts ...string) string {
	s := notAlnum.ReplaceAllString(strings.ToUpper(strings.Join(parts, "_")), "_")
	return "${" + strings.Trim(s, "_") + "}"
}

// prune drops what a file need not say: nulls, empty strings, lists and
// maps, and derived flags. Booleans and numbers stay: false or 0 may differ
// from a default.
func prune(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := Object{}
		for key, x := range v {
			if derived[key] {
				continue
			}
			if p := prune(x); p != nil {
				out[key] = p
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case []any:
		if len(v) == 0 {
			return nil
		}
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = prune(x)
		}
		return out
	case string:
		if v == "" {
			return nil
		}
	}
	return v
}

// node renders a value as YAML with sorted keys, "name" first at the top.
func node(v any, top bool) *yaml.Node {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if top && (keys[i] == "name") != (keys[j] == "name") {
				return keys[i] == "name"
			}
			return keys[i] < keys[j]
		})
		n := &yaml.Node{Kind: yaml.MappingNode}
		for _, k := range keys {
			n.Content = append(n.Content, scalar(k), node(v[k], false))
		}
		return n
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode}
		for _, x := range v {
			n.Content = append(n.Content, node(x, false))
		}
		if len(v) > 0 && isScalar(v[0]) {
			n.Style = yaml.FlowStyle
		}
		return n
	case string:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
	case float64:
		tag := "!!float"
		if v == math.Trunc(v) {
			tag = "!!int"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: strconv.FormatFloat(v, 'f', -1, 64)}
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(v)}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
}

func scalar(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func isScalar(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return false
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
