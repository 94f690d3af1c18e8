package manifest

import (
	"context"
	"fmt"
	"io"
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
	body, err := a.resolve(k, obj)
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

// resolve replaces references by name with IDs.
func (a *applier) resolve(k Kind, obj Object) (Object, error) {
	body := make(Object, len(obj))
	for key, v := range obj {
		body[key] = v
	}
	for _, ref := range k.Refs {
		v, ok := body[ref.Field]
		if !ok {
			continue
		}
		delete(body, ref.Field)
		names, _ := v.([]any)
		if !ref.Many {
			names = []any{v}
		}
		ids := make([]any, 0, len(names))
		for _, n := range names {
			s, _ := n.(string)
			id, ok := a.ids[ref.Kind][s]
			if !ok {
				return nil, fmt.Errorf("%s: no %s named %q in the file or on the server", ref.Field, ref.Kind, s)
			}
			ids = append(ids, id)
		}
		if ref.Many {
			body[ref.IDField] = ids
		} else {
			body[ref.IDField] = ids[0]
		}
	}
	return body, nil
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
