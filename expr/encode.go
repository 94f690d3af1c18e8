package expr

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"

	"github.com/hookhub/hookhub"
)

// maxValueDepth bounds the nesting of a value being formatted: CEL values
// are built from JSON already bounded in depth, so this only stops a cycle
// through native values.
const maxValueDepth = 128

// tooLarge is the error of a value or rendering beyond MaxOutputBytes.
func tooLarge() error {
	return hookhub.Errorf(hookhub.EUNPROCESSABLE, "result is larger than %d bytes", MaxOutputBytes)
}

// out is a bounded byte buffer.
type out struct {
	b   []byte
	max int
}

func (o *out) write(s string) error {
	if len(o.b)+len(s) > o.max {
		return tooLarge()
	}
	o.b = append(o.b, s...)
	return nil
}

// appendText writes v as template text: a string as it is, anything else
// as JSON.
func appendText(o *out, v ref.Val) error {
	switch x := unwrap(v).(type) {
	case types.String:
		return o.write(string(x))
	case types.Timestamp:
		return o.write(x.Time.UTC().Format(time.RFC3339Nano))
	case types.Duration:
		return o.write(durationText(x))
	}
	return appendJSON(o, v, 0)
}

// unwrap replaces an optional with its value, or null when it has none.
func unwrap(v ref.Val) ref.Val {
	if opt, ok := v.(*types.Optional); ok {
		if !opt.HasValue() {
			return types.NullValue
		}
		return opt.GetValue()
	}
	return v
}

func durationText(d types.Duration) string {
	return d.ConvertToType(types.StringType).(types.String).Value().(string)
}

// appendJSON writes v as compact JSON, map keys sorted.
func appendJSON(o *out, v ref.Val, depth int) error {
	if depth > maxValueDepth {
		return hookhub.Errorf(hookhub.EUNPROCESSABLE, "value is nested deeper than %d levels", maxValueDepth)
	}
	v = unwrap(v)
	switch x := v.(type) {
	case types.Null:
		return o.write("null")
	case types.Bool:
		return o.write(strconv.FormatBool(bool(x)))
	case types.Int:
		return o.write(strconv.FormatInt(int64(x), 10))
	case types.Uint:
		return o.write(strconv.FormatUint(uint64(x), 10))
	case types.Double:
		return appendDouble(o, float64(x))
	case types.String:
		return appendString(o, string(x))
	case types.Bytes:
		return appendString(o, base64.StdEncoding.EncodeToString([]byte(x)))
	case types.Timestamp:
		return appendString(o, x.Time.UTC().Format(time.RFC3339Nano))
	case types.Duration:
		return appendString(o, durationText(x))
	case *types.Err:
		return hookhub.Errorf(hookhub.EUNPROCESSABLE, "evaluation failed: %s", x)
	case traits.Lister:
		return appendList(o, x, depth)
	case traits.Mapper:
		return appendMap(o, x, depth)
	}
	return appendNative(o, v)
}

func appendDouble(o *out, f float64) error {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return hookhub.Errorf(hookhub.EUNPROCESSABLE, "%v cannot be written as JSON", f)
	}
	b, _ := json.Marshal(f)
	return o.write(string(b))
}

func appendString(o *out, s string) error {
	if len(o.b)+len(s) > o.max {
		return tooLarge()
	}
	o.b = appendQuoted(o.b, s)
	if len(o.b) > o.max {
		return tooLarge()
	}
	return nil
}

func appendList(o *out, l traits.Lister, depth int) error {
	if err := o.write("["); err != nil {
		return err
	}
	n := int(l.Size().(types.Int))
	for i := range n {
		if i > 0 {
			if err := o.write(","); err != nil {
				return err
			}
		}
		if err := appendJSON(o, l.Get(types.Int(i)), depth+1); err != nil {
			return err
		}
	}
	return o.write("]")
}

// mapEntry is one key of a map being written, as text, and its value.
type mapEntry struct {
	key string
	val ref.Val
}

func appendMap(o *out, m traits.Mapper, depth int) error {
	var entries []mapEntry
	for it := m.Iterator(); it.HasNext() == types.True; {
		k := it.Next()
		key := &out{max: o.max}
		if err := appendText(key, k); err != nil {
			return err
		}
		entries = append(entries, mapEntry{key: string(key.b), val: m.Get(k)})
	}
	slices.SortFunc(entries, func(a, b mapEntry) int {
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		}
		return 0
	})
	if err := o.write("{"); err != nil {
		return err
	}
	for i, e := range entries {
		if i > 0 {
			if err := o.write(","); err != nil {
				return err
			}
		}
		if err := appendString(o, e.key); err != nil {
			return err
		}
		if err := o.write(":"); err != nil {
			return err
		}
		if err := appendJSON(o, e.val, depth+1); err != nil {
			return err
		}
	}
	return o.write("}")
}

// appendNative writes a native Go value (such as an Event) with
// encoding/json, and a type as its name.
func appendNative(o *out, v ref.Val) error {
	if t, ok := v.(ref.Type); ok {
		return appendString(o, t.TypeName())
	}
	b, err := json.Marshal(v.Value())
	if err != nil {
		return hookhub.Errorf(hookhub.EUNPROCESSABLE, "a %s value cannot be written as JSON", v.Type().TypeName())
	}
	return o.write(string(b))
}

// appendQuoted appends s as a JSON string, escaping as encoding/json does
// but leaving <, > and & alone: templates build payloads, not HTML.
func appendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	b = appendEscaped(b, s)
	return append(b, '"')
}

// appendEscaped appends the inside of a JSON string holding s. Invalid
// UTF-8 becomes U+FFFD, so the result is always valid JSON.
func appendEscaped(b []byte, s string) []byte {
	for _, r := range s {
		switch {
		case r == '"':
			b = append(b, '\\', '"')
		case r == '\\':
			b = append(b, '\\', '\\')
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\r':
			b = append(b, '\\', 'r')
		case r == '\t':
			b = append(b, '\\', 't')
		case r < 0x20 || r == 0x2028 || r == 0x2029:
			b = fmt.Appendf(b, `\u%04x`, r)
		default:
			b = append(b, string(r)...)
		}
	}
	return b
}

// native converts v to a Go JSON value within a budget of about max bytes.
func native(v ref.Val, max int) (any, error) {
	budget := max
	return toNative(v, &budget, 0)
}

func toNative(v ref.Val, budget *int, depth int) (any, error) {
	if depth > maxValueDepth {
		return nil, hookhub.Errorf(hookhub.EUNPROCESSABLE, "value is nested deeper than %d levels", maxValueDepth)
	}
	if *budget -= 8; *budget < 0 {
		return nil, tooLarge()
	}
	v = unwrap(v)
	switch x := v.(type) {
	case types.Null:
		return nil, nil
	case types.Bool, types.Int, types.Uint, types.Double:
		return x.Value(), nil
	case types.String:
		return spend(budget, string(x))
	case types.Bytes:
		return spend(budget, base64.StdEncoding.EncodeToString([]byte(x)))
	case types.Timestamp:
		return x.Time.UTC().Format(time.RFC3339Nano), nil
	case types.Duration:
		return durationText(x), nil
	case *types.Err:
		return nil, hookhub.Errorf(hookhub.EUNPROCESSABLE, "evaluation failed: %s", x)
	case traits.Lister:
		return listNative(x, budget, depth)
	case traits.Mapper:
		return mapNative(x, budget, depth)
	}
	o := &out{max: *budget}
	if err := appendNative(o, v); err != nil {
		return nil, err
	}
	*budget -= len(o.b)
	var decoded any
	if err := json.Unmarshal(o.b, &decoded); err != nil {
		return nil, hookhub.Errorf(hookhub.EUNPROCESSABLE, "a %s value cannot be converted", v.Type().TypeName())
	}
	return decoded, nil
}

func spend(budget *int, s string) (any, error) {
	if *budget -= len(s); *budget < 0 {
		return nil, tooLarge()
	}
	return s, nil
}

func listNative(l traits.Lister, budget *int, depth int) (any, error) {
	n := int(l.Size().(types.Int))
	list := make([]any, n)
	for i := range n {
		x, err := toNative(l.Get(types.Int(i)), budget, depth+1)
		if err != nil {
			return nil, err
		}
		list[i] = x
	}
	return list, nil
}

func mapNative(m traits.Mapper, budget *int, depth int) (any, error) {
	obj := map[string]any{}
	for it := m.Iterator(); it.HasNext() == types.True; {
		k := it.Next()
		key := &out{max: *budget}
		if err := appendText(key, k); err != nil {
			return nil, err
		}
		*budget -= len(key.b)
		x, err := toNative(m.Get(k), budget, depth+1)
		if err != nil {
			return nil, err
		}
		obj[string(key.b)] = x
	}
	return obj, nil
}
