package alert

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/hookhub/hookhub"
)

// invalid returns an EINVALID error: the body is not one the kind can read.
func invalid(format string, args ...any) error {
	return hookhub.Errorf(hookhub.EINVALID, format, args...)
}

// missing collects the required fields a body lacks, so that one answer
// names them all rather than one per retry.
type missing []string

// need records name when value is blank.
func (m *missing) need(value, name string) {
	if blank(value) {
		*m = append(*m, name)
	}
}

// err returns nil when nothing is missing, else an error of code naming
// every missing field.
func (m missing) err(code string) error {
	if len(m) == 0 {
		return nil
	}
	return hookhub.Errorf(code, "missing required fields: %s", strings.Join(m, ", "))
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// checkJSON refuses a body that is not one JSON value, or, when object is
// set, not a JSON object.
func checkJSON(kind string, body []byte, object bool) error {
	if !json.Valid(body) {
		return invalid("%s alert body is not valid JSON", kind)
	}
	if object && bytes.TrimLeft(body, " \t\r\n")[0] != '{' {
		return invalid("%s alert body must be a JSON object", kind)
	}
	return nil
}

// decodeObject unmarshals a JSON object body into v, reporting a body that is
// not JSON or has the wrong shape as EINVALID.
func decodeObject(kind string, body []byte, v any) error {
	if err := checkJSON(kind, body, true); err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) && typ.Field != "" {
			return invalid("%s alert field %s must be %s, not %s", kind, typ.Field, jsonKind(typ.Type), typ.Value)
		}
		return invalid("%s alert body has the wrong shape: %s", kind, strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

// decodeValue returns the body's JSON value, as the request decoded it:
// numbers are float64 but for integers beyond 2^53, which stay exact.
func decodeValue(kind string, in input) (any, error) {
	v, err := in.doc()
	if err != nil {
		return nil, invalid("%s alert body is not valid JSON", kind)
	}
	return v, nil
}

// jsonKind names the JSON type a Go type is decoded from.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "a different type"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "a different type"
}

// scalar renders a decoded JSON string, number or boolean as text (an
// integer without a decimal point or exponent); ok is false for null,
// objects and arrays.
func scalar(v any) (s string, ok bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case json.Number:
		return v.String(), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

// hashParts returns the SHA-256 hex of parts. Each part is length-prefixed,
// so different lists never hash the same input ("ab","c" vs "a","bc").
func hashParts(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(strconv.Itoa(len(p))))
		h.Write([]byte{':'})
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// parseTime reads an ISO 8601 timestamp in the forms senders use: RFC 3339,
// PagerDuty's offset without a colon, and AWSDateTime's offset with seconds
// (Panther). The zero time means unknown: a start time is informative and
// never a reason to refuse an alert.
func parseTime(s string) time.Time {
	layouts := [...]string{
		time.RFC3339Nano,
		"2006-01-02T15:04:05.999999999Z0700",
		"2006-01-02T15:04:05.999999999Z07:00:00",
	}
	for _, layout := range layouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
