package manifest

import (
	"reflect"
	"slices"
	"sort"

	"github.com/hookhub/hookhub"
)

// derived are nested fields the server computes; a file never sets them.
var derived = map[string]bool{"secret_set": true, "previous_secret_set": true, "previous_secret_until": true}

// masked is how the API shows a secret value in place.
const masked = "<masked>"

// Changed returns the top-level fields of desired whose values differ from
// current's, sorted. The file's value of a field is its whole value: nested
// fields it leaves out must be zero (or the server's default) on the
// server. Write-only secrets count as equal when the server has one, unless
// resend is set, in which case they always differ.
func Changed(k Kind, desired, current Object, resend bool) []string {
	var out []string
	for field, want := range desired {
		if field == "name" {
			continue
		}
		if !same(k, field, want, current[field], resend) {
			out = append(out, field)
		}
	}
	sort.Strings(out)
	return out
}

func same(k Kind, path string, want, got any, resend bool) bool {
	switch w := want.(type) {
	case map[string]any:
		g, _ := got.(map[string]any)
		return sameMap(k, path, w, g, resend)
	case []any:
		g, _ := got.([]any)
		if len(w) != len(g) {
			return false
		}
		for i := range w {
			if !same(k, path+"[]", w[i], g[i], resend) {
				return false
			}
		}
		return true
	case nil:
		return isZero(got)
	}
	if got == nil {
		return isZero(want)
	}
	if ws, ok := want.(string); ok && slices.Contains(k.Redacted, path) {
		// The server shows the URL with its credentials masked: compare
		// what can be seen, and resend what cannot when asked to.
		return hookhub.RedactURLs(ws) == got && !(resend && hookhub.RedactURLs(ws) != ws)
	}
	return reflect.DeepEqual(want, got)
}

func sameMap(k Kind, path string, w, g map[string]any, resend bool) bool {
	for key, wv := range w {
		if sec, ok := k.secret(path, key); ok {
			if resend || !secretPresent(sec, key, wv, g) {
				return false
			}
			continue
		}
		if !same(k, path+"."+key, wv, g[key], resend) {
			return false
		}
	}
	for key, gv := range g {
		if _, ok := w[key]; ok || derived[key] {
			continue
		}
		if def, ok := k.Defaults[path+"."+key]; ok && (def == nil || reflect.DeepEqual(def, gv)) {
			continue
		}
		if !isZero(gv) {
			return false
		}
	}
	return true
}

// secretPresent reports whether the server holds a value for a write-only
// field the file sets (or holds none for one the file sets empty).
func secretPresent(sec Secret, key string, want any, g map[string]any) bool {
	if sec.SetFlag == "" {
		_, ok := g[key]
		return ok != isZero(want)
	}
	set, _ := g[sec.SetFlag].(bool)
	return set != isZero(want)
}

func (k Kind) secret(parent, field string) (Secret, bool) {
	for _, s := range k.Secrets {
		if s.Parent == parent && (s.Field == field || s.Field == "*") {
			return s, true
		}
	}
	return Secret{}, false
}

// isZero reports JSON's empty values: null, false, 0, "", [] and {}.
func isZero(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case bool:
		return !v
	case float64:
		return v == 0
	case string:
		return v == ""
	case []any:
		return len(v) == 0
	case map[string]any:
		for _, x := range v {
			if !isZero(x) {
				return false
			}
		}
		return true
	}
	return false
}
