package manifest

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
)

// Collection is the API's list, create, update and delete of one kind;
// client.Collection implements it.
type Collection interface {
	List(ctx context.Context) ([]Object, error)
	Create(ctx context.Context, in Object) (Object, error)
	Update(ctx context.Context, id string, in Object) (Object, error)
	Delete(ctx context.Context, id string) error
}

// API returns the collection of a kind.
type API func(kind string) Collection

// Options change what Apply does.
type Options struct {
	DryRun bool // print the plan, change nothing
	Prune  bool // delete objects of the file's kinds that it does not name
	// ResendSecrets sends every secret the file holds, for secrets whose
	// value changed (the API never shows them, so they cannot be compared).
	ResendSecrets bool
}

// Summary counts the changes Apply made (or, in a dry run, would make).
type Summary struct{ Created, Updated, Deleted int }

// applier runs one Apply.
type applier struct {
	api     API
	o       Options
	out     io.Writer
	current map[string][]Object          // per kind, as listed
	ids     map[string]map[string]string // per kind, name → ID (new ones included)
	sum     Summary
}

// Apply brings the server in line with f, printing one line per change:
// "+ source "Name"", "~ destination "Name": fields", "- …".
func Apply(ctx context.Context, f *File, api API, o Options, out io.Writer) (Summary, error) {
	a := &applier{api: api, o: o, out: out, ids: map[string]map[string]string{}}
	var err error
	if a.current, err = listAll(ctx, api); err != nil {
		return a.sum, err
	}
	for _, k := range Kinds {
		if err := a.index(k); err != nil {
			return a.sum, err
		}
	}
	if err := a.checkRefs(f); err != nil {
		return a.sum, err
	}
	for _, k := range Kinds {
		for _, obj := range f.Objects[k.Name] {
			if err := a.one(ctx, k, obj); err != nil {
				return a.sum, err
			}
		}
	}
	if o.Prune {
		for _, k := range slices.Backward(Kinds) {
			if _, named := f.Objects[k.Name]; !named {
				continue
			}
			if err := a.prune(ctx, k, f.Objects[k.Name]); err != nil {
				return a.sum, err
			}
		}
	}
	return a.sum, nil
}

// listAll lists every kind's objects, leaving out those another object
// owns (a workflow's own source): they are managed through their owner.
func listAll(ctx context.Context, api API) (map[string][]Object, error) {
	all := map[string][]Object{}
	for _, k := range Kinds {
		list, err := api(k.Name).List(ctx)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", k.Name, err)
		}
		all[k.Name] = list
	}
	for _, k := range Kinds {
		if k.Owns == nil {
			continue
		}
		owned := map[any]bool{}
		for _, obj := range all[k.Name] {
			if obj[k.Owns.Flag] == true {
				owned[obj[k.Owns.IDField]] = true
			}
		}
		all[k.Owns.Kind] = slices.DeleteFunc(all[k.Owns.Kind], func(o Object) bool { return owned[o["id"]] })
	}
	return all, nil
}

// index maps a kind's names to IDs; names must be unique.
func (a *applier) index(k Kind) error {
	a.ids[k.Name] = map[string]string{}
	for _, obj := range a.current[k.Name] {
		name, _ := obj["name"].(string)
		if _, dup := a.ids[k.Name][name]; dup {
			return fmt.Errorf("the server has two %s named %q; rename one so objects can be matched by name", k.Name, name)
		}
		a.ids[k.Name][name], _ = obj["id"].(string)
	}
	return nil
}

func (a *applier) find(k Kind, name string) Object {
	for _, obj := range a.current[k.Name] {
		if obj["name"] == name {
			return obj
		}
	}
	return nil
}

// one creates or updates one declared object.
func (a *applier) one(ctx context.Context, k Kind, obj Object) error {
	name := obj["name"].(string)
	body, err := resolve(k, obj, a.ids)
	if err != nil {
		return fmt.Errorf("%s %q: %w", k.Singular, name, err)
	}
	cur := a.find(k, name)
	if cur == nil {
		fmt.Fprintf(a.out, "+ %s %q\n", k.Singular, name)
		a.sum.Created++
		if a.o.DryRun {
			a.ids[k.Name][name] = "(new)"
			return nil
		}
		made, err := a.api(k.Name).Create(ctx, body)
		if err != nil {
			return fmt.Errorf("create %s %q: %w", k.Singular, name, err)
		}
		a.ids[k.Name][name], _ = made["id"].(string)
		return nil
	}
	fields := Changed(k, body, cur, a.o.ResendSecrets)
	if len(fields) == 0 {
		return nil
	}
	fmt.Fprintf(a.out, "~ %s %q: %s\n", k.Singular, name, strings.Join(fields, ", "))
	a.sum.Updated++
	if a.o.DryRun {
		return nil
	}
	patch := Object{}
	for _, f := range fields {
		patch[f] = body[f]
	}
	if _, err := a.api(k.Name).Update(ctx, cur["id"].(string), patch); err != nil {
		return fmt.Errorf("update %s %q: %w", k.Singular, name, err)
	}
	return nil
}

// resolve replaces references by name with IDs, found in ids (per kind,
// name → ID). obj itself is left as it is.
func resolve(k Kind, obj Object, ids map[string]map[string]string) (Object, error) {
	body := maps.Clone(obj)
	for _, ref := range k.Refs {
		if ref.In == "" {
			if err := resolveRef(ref, body, ids); err != nil {
				return nil, err
			}
			continue
		}
		items, ok := body[ref.In].([]any)
		if !ok {
			continue
		}
		out := make([]any, len(items))
		for i, item := range items {
			m, ok := item.(map[string]any)
			if !ok {
				out[i] = item
				continue
			}
			m = maps.Clone(m)
			if _, named := m[ref.Field]; named {
				if _, both := m[ref.IDField]; both {
					return nil, fmt.Errorf("%s: give %s or %s, not both", itemName(ref.In, i, m), ref.Field, ref.IDField)
				}
			}
			if err := resolveRef(ref, m, ids); err != nil {
				return nil, fmt.Errorf("%s: %w", itemName(ref.In, i, m), err)
			}
			out[i] = m
		}
		body[ref.In] = out
	}
	return body, nil
}

// resolveRef replaces one reference field of obj by its IDField.
func resolveRef(ref Ref, obj Object, ids map[string]map[string]string) error {
	v, ok := obj[ref.Field]
	if !ok {
		return nil
	}
	delete(obj, ref.Field)
	names, _ := v.([]any)
	if !ref.Many {
		names = []any{v}
	}
	out := make([]any, 0, len(names))
	for _, n := range names {
		s, _ := n.(string)
		id, ok := ids[ref.Kind][s]
		if !ok {
			kind, _ := kindNamed(ref.Kind)
			return fmt.Errorf("%s: no %s named %q in the file or on the server", ref.Field, kind.Singular, s)
		}
		out = append(out, id)
	}
	if ref.Many {
		obj[ref.IDField] = out
	} else {
		obj[ref.IDField] = out[0]
	}
	return nil
}

// itemName says which item of a list an error is about: nodes[2] (id "notify").
func itemName(list string, i int, item map[string]any) string {
	if id, _ := item["id"].(string); id != "" {
		return fmt.Sprintf("%s[%d] (id %q)", list, i, id)
	}
	return fmt.Sprintf("%s[%d]", list, i)
}

// checkRefs resolves every reference of the file against the names on the
// server and in the file, so a name neither has is reported before
// anything is changed.
func (a *applier) checkRefs(f *File) error {
	known := map[string]map[string]string{}
	for _, k := range Kinds {
		known[k.Name] = maps.Clone(a.ids[k.Name])
		for _, obj := range f.Objects[k.Name] {
			known[k.Name][obj["name"].(string)] = "(new)"
		}
	}
	for _, k := range Kinds {
		for _, obj := range f.Objects[k.Name] {
			if _, err := resolve(k, obj, known); err != nil {
				return fmt.Errorf("%s %q: %w", k.Singular, obj["name"], err)
			}
		}
	}
	return nil
}

// prune deletes the kind's objects the file does not name.
func (a *applier) prune(ctx context.Context, k Kind, declared []Object) error {
	keep := map[string]bool{}
	for _, obj := range declared {
		keep[obj["name"].(string)] = true
	}
	var gone []Object
	for _, obj := range a.current[k.Name] {
		if name, _ := obj["name"].(string); !keep[name] {
			gone = append(gone, obj)
		}
	}
	sort.Slice(gone, func(i, j int) bool { return gone[i]["name"].(string) < gone[j]["name"].(string) })
	for _, obj := range gone {
		fmt.Fprintf(a.out, "- %s %q\n", k.Singular, obj["name"])
		a.sum.Deleted++
		if a.o.DryRun {
			continue
		}
		if err := a.api(k.Name).Delete(ctx, obj["id"].(string)); err != nil {
			return fmt.Errorf("delete %s %q: %w", k.Singular, obj["name"], err)
		}
	}
	return nil
}
