package sqlstore

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"
)

// timeCol scans a time column of either dialect: INTEGER microseconds
// (SQLite), timestamptz (PostgreSQL), or NULL for the zero time.
type timeCol struct{ t *time.Time }

// tm returns a scanner into t.
func tm(t *time.Time) timeCol { return timeCol{t} }

func (c timeCol) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*c.t = time.Time{}
	case int64:
		*c.t = time.UnixMicro(v).UTC()
	case time.Time:
		*c.t = v.UTC()
	default:
		return fmt.Errorf("scan time: unexpected %T", v)
	}
	return nil
}

// strCol scans a nullable text column, NULL becoming "".
type strCol struct{ s *string }

// str returns a scanner into s.
func str(s *string) strCol { return strCol{s} }

func (c strCol) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*c.s = ""
	case string:
		*c.s = v
	case []byte:
		*c.s = string(v)
	default:
		return fmt.Errorf("scan text: unexpected %T", v)
	}
	return nil
}

// jsonCol scans a JSON text column into v; an empty value leaves v alone.
type jsonCol struct{ v any }

// js returns a scanner decoding JSON into v.
func js(v any) jsonCol { return jsonCol{v} }

func (c jsonCol) Scan(v any) error {
	var b []byte
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("scan json: unexpected %T", v)
	}
	if len(b) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, c.v); err != nil {
		return fmt.Errorf("scan json: %w", err)
	}
	return nil
}

// jsonText encodes v for a JSON text column.
func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode json: %w", err)
	}
	return string(b), nil
}

// nullStr stores "" as NULL, for optional references.
func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// bytesOrEmpty keeps NOT NULL blob columns satisfied: drivers send a nil
// slice as NULL.
func bytesOrEmpty(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// cleanText makes request-derived text storable in a PostgreSQL text column
// (which refuses NUL and invalid UTF-8). Both dialects apply it so that the two
// stores return the same values. Bodies are blobs and keep every byte.
func cleanText(s string) string {
	if utf8.ValidString(s) && !strings.ContainsRune(s, 0) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// headersJSON encodes request or response headers exactly as json.Marshal
// does (names sorted, HTML characters and U+2028/U+2029 escaped, invalid
// UTF-8 replaced), without reflection: every event and attempt stores one
// or two sets, and encoding/json spent more on them than SQLite did on the
// row.
func headersJSON(h map[string][]string) string {
	if h == nil {
		return "null"
	}
	var small [24]string
	names, size := small[:0], 2
	for k, vs := range h {
		names = append(names, k)
		size += len(k) + 6
		for _, v := range vs {
			size += len(v) + 3
		}
	}
	slices.Sort(names)
	b := make([]byte, 0, size+size/8)
	b = append(b, '{')
	for i, k := range names {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		vs := h[k]
		if vs == nil {
			b = append(b, "null"...)
			continue
		}
		b = append(b, '[')
		for j, v := range vs {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, v)
		}
		b = append(b, ']')
	}
	b = append(b, '}')
	return unsafe.String(unsafe.SliceData(b), len(b)) // b is not used again
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string, escaped as encoding/json
// escapes it by default.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += n
			continue
		}
		i += n
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
