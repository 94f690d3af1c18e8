package filter

import (
	"errors"
	"path"
	"strings"
)

// compileGlob splits an event type pattern into dot-separated segments and
// checks each.
func compileGlob(p string) ([]string, error) {
	if p == "" {
		return nil, errors.New("is empty")
	}
	if strings.ContainsFunc(p, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }) {
		return nil, errors.New("contains whitespace")
	}
	segs := strings.Split(p, ".")
	for _, s := range segs {
		if s == "" {
			return nil, errors.New("has an empty segment; write types like incident.*")
		}
		// path.Match validates the whole pattern even when it does not match.
		if _, err := path.Match(escapeSlash(s), ""); err != nil {
			return nil, errors.New("is not a valid glob (unclosed [ or trailing \\)")
		}
	}
	return segs, nil
}

// matchGlob reports whether the event type name matches the pattern
// segments. Each segment matches one dot-separated segment of name with
// path.Match rules (* any run of characters, ? one character, [a-z] a class),
// so * never crosses a dot — except that a final segment of exactly *
// matches one or more remaining segments: "incident.*" matches
// "incident.triggered" and "incident.note.added" but not "incident", and "*"
// alone matches every type. Matching is case-sensitive.
func matchGlob(segs []string, name string) bool {
	parts := strings.Split(name, ".")
	for i, s := range segs {
		if i == len(segs)-1 && s == "*" {
			return len(parts) > i
		}
		if i >= len(parts) {
			return false
		}
		if ok, _ := path.Match(escapeSlash(s), escapeSlash(parts[i])); !ok {
			return false
		}
	}
	return len(parts) == len(segs)
}

// escapeSlash hides '/' from path.Match, for which it is a separator that *
// cannot cross; in event types it is an ordinary character. NUL cannot occur
// in a pattern typed by a user, so the swap is unambiguous.
func escapeSlash(s string) string {
	return strings.ReplaceAll(s, "/", "\x00")
}
