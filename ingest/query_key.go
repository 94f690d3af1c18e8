package ingest

import "strings"

// keySegments splits "query[0][a]", "query[0].a", "a[b]" or "a.b" into path
// segments; "[]" gives an empty segment, meaning append. A key that does not
// parse is returned whole as one segment, so nothing a sender wrote is lost.
func keySegments(key string) []string {
	i := strings.IndexAny(key, "[.")
	if i <= 0 {
		return []string{key}
	}
	segs := []string{key[:i]}
	for rest := key[i:]; rest != ""; {
		seg, tail, ok := nextSegment(rest)
		if !ok || len(segs) >= maxKeySegments {
			return []string{key}
		}
		segs = append(segs, seg)
		rest = tail
	}
	return segs
}

// nextSegment reads one "[name]", "[]" or ".name" from the front of rest.
func nextSegment(rest string) (seg, tail string, ok bool) {
	switch rest[0] {
	case '[':
		end := strings.IndexByte(rest, ']')
		if end < 0 || strings.IndexByte(rest[1:end], '[') >= 0 {
			return "", "", false
		}
		return rest[1:end], rest[end+1:], true
	case '.':
		end := strings.IndexAny(rest[1:], "[.")
		if end < 0 {
			end = len(rest) - 1
		}
		seg = rest[1 : 1+end]
		return seg, rest[1+end:], seg != ""
	}
	return "", "", false // text straight after "]", as in "a[b]c"
}
