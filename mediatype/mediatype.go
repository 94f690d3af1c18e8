// Package mediatype is the one reading of Content-Type headers that ingest,
// the management API and delivery share: case-insensitive, parameters such as
// charset ignored, structured "+json" types counted as JSON.
package mediatype

import (
	"strings"

	"github.com/hookhub/hookhub"
)

// Media types Hookhub understands without configuration.
const (
	JSON = "application/json"
	Form = "application/x-www-form-urlencoded"
)

// Check reports, as an *hookhub.Error with code EUNSUPPORTED,
// whether the Content-Type header names one of the accepted media types
// (default application/json). Parameters such as charset are ignored. An
// accepted application/json also admits structured "+json" types such as
// application/cloudevents+json; "type/*" and "*/*" accept what they say.
func Check(header string, accepted []string) error {
	if len(accepted) == 0 {
		accepted = []string{JSON}
	}
	mt := Of(header)
	for _, a := range accepted {
		if mediaMatches(Of(a), mt) {
			return nil
		}
	}
	return unsupported(mt, accepted)
}

// IsJSON reports whether a Content-Type header names JSON: application/json
// or any structured "+json" type.
func IsJSON(contentType string) bool {
	mt := Of(contentType)
	return mt == JSON || isPlusJSON(mt)
}

// IsForm reports whether a Content-Type header names a URL-encoded form.
func IsForm(contentType string) bool {
	return Of(contentType) == Form
}

// Of returns the lower-cased type/subtype of a Content-Type header.
// It is hand-cut rather than mime.ParseMediaType because malformed
// parameters must not make an otherwise clear type unreadable.
func Of(header string) string {
	mt, _, _ := strings.Cut(header, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

func mediaMatches(pattern, mt string) bool {
	switch {
	case pattern == "*/*":
		return true
	case mt == "":
		return false
	case pattern == mt:
		return true
	case pattern == JSON:
		return isPlusJSON(mt)
	case strings.HasSuffix(pattern, "/*"):
		return strings.HasPrefix(mt, pattern[:len(pattern)-1])
	}
	return false
}

func isPlusJSON(mt string) bool {
	_, sub, ok := strings.Cut(mt, "/")
	return ok && len(sub) > len("+json") && strings.HasSuffix(sub, "+json")
}

// unsupported names what was sent (shortened: it is the sender's text) and
// what would have been accepted.
func unsupported(mt string, accepted []string) error {
	list := strings.Join(accepted, ", ")
	for _, a := range accepted {
		if Of(a) == JSON {
			list += " (or a +json type)"
			break
		}
	}
	if mt == "" {
		return hookhub.Errorf(hookhub.EUNSUPPORTED, "missing Content-Type; accepted: %s", list)
	}
	if len(mt) > 64 {
		mt = mt[:64] + "…"
	}
	return hookhub.Errorf(hookhub.EUNSUPPORTED, "unsupported Content-Type %q; accepted: %s", mt, list)
}
