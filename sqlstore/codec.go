package sqlstore

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
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
