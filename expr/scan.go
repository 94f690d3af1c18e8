package expr

import "strings"

// exprEnd returns the length of the expression at the start of s, which
// ends at the first }} outside CEL string literals, comments and braces,
// and whether there is one.
func exprEnd(s string) (int, bool) {
	depth := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case depth == 0 && strings.HasPrefix(s[i:], "}}"):
			return i, true
		case c == '"' || c == '\'':
			n, ok := stringEnd(s, i)
			if !ok {
				return 0, false
			}
			i = n
			continue
		case c == '/' && strings.HasPrefix(s[i:], "//"):
			nl := strings.IndexByte(s[i:], '\n')
			if nl < 0 {
				return 0, false
			}
			i += nl
		case c == '{':
			depth++
		case c == '}' && depth > 0:
			depth--
		}
		i++
	}
	return 0, false
}

// stringEnd returns the offset just past the CEL string literal whose
// opening quote is at s[i], and whether it is closed.
func stringEnd(s string, i int) (int, bool) {
	raw := rawPrefix(s[:i])
	q := s[i : i+1]
	if strings.HasPrefix(s[i:], q+q+q) {
		q = q + q + q
	}
	for j := i + len(q); j < len(s); j++ {
		switch {
		case s[j] == '\\' && !raw:
			j++
		case strings.HasPrefix(s[j:], q):
			return j + len(q), true
		}
	}
	return 0, false
}

// rawPrefix reports whether the literal after before is a raw string: it
// is prefixed by r or R, possibly with b or B (rb”, Br"").
func rawPrefix(before string) bool {
	j := len(before)
	for j > 0 && isLetter(before[j-1]) {
		j--
	}
	word := before[j:]
	if j > 0 && (isDigit(before[j-1]) || before[j-1] == '_') {
		return false
	}
	switch strings.ToLower(word) {
	case "r", "rb", "br":
		return true
	}
	return false
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
