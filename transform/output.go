package transform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/hookhub/hookhub"
)

// requestKeys are the keys of a request result.
var requestKeys = map[string]bool{"body": true, "method": true, "headers": true, "path": true}

// outputOf turns the expression's value into what to send.
func outputOf(v any) (*Output, error) {
	if m, ok := v.(map[string]any); ok && isRequest(m) {
		return requestOf(m)
	}
	return bodyOf(v)
}

// isRequest reports whether m describes a request rather than being the body.
func isRequest(m map[string]any) bool {
	if _, ok := m["body"]; !ok {
		return false
	}
	for k := range m {
		if !requestKeys[k] {
			return false
		}
	}
	return true
}

// bodyOf encodes a body: a string as is, anything else as JSON.
func bodyOf(v any) (*Output, error) {
	var out Output
	switch x := v.(type) {
	case nil:
		return nil, hookhub.Errorf(hookhub.EUNPROCESSABLE, "the body is null")
	case string:
		out.Body, out.ContentType = []byte(x), TextType
	default:
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(x); err != nil {
			return nil, hookhub.Errorf(hookhub.EUNPROCESSABLE, "the body cannot be encoded as JSON: %v", err)
		}
		out.Body, out.ContentType = bytes.TrimSuffix(buf.Bytes(), []byte("\n")), JSONType
	}
	if len(out.Body) > MaxBody {
		return nil, hookhub.Errorf(hookhub.EUNPROCESSABLE, "the body is larger than %d bytes", MaxBody)
	}
	return &out, nil
}

// requestOf reads a request result.
func requestOf(m map[string]any) (*Output, error) {
	out, err := bodyOf(m["body"])
	if err != nil {
		return nil, err
	}
	if v, ok := m["method"]; ok {
		if out.Method, err = methodOf(v); err != nil {
			return nil, err
		}
	}
	if v, ok := m["headers"]; ok {
		if out.Headers, err = headersOf(v); err != nil {
			return nil, err
		}
		if ct, ok := out.Headers["Content-Type"]; ok {
			out.ContentType = ct
			delete(out.Headers, "Content-Type")
		}
	}
	if v, ok := m["path"]; ok {
		if out.Path, err = pathOf(v); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func methodOf(v any) (string, error) {
	s, _ := v.(string)
	switch m := strings.ToUpper(s); m {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		return m, nil
	}
	return "", hookhub.Errorf(hookhub.EUNPROCESSABLE, "method must be POST, PUT or PATCH, not %s", describe(v))
}

// reserved are headers a transform may not set: the transport's, and
// Hookhub's own and the signature's, which a receiver must be able to trust.
func reserved(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "host", "content-length", "transfer-encoding", "connection", "user-agent", "te", "trailer", "upgrade":
		return true
	}
	return strings.HasPrefix(n, "x-hookhub-") || strings.HasPrefix(n, "webhook-") ||
		strings.HasPrefix(n, "traceparent") || n == "tracestate"
}

func headersOf(v any) (map[string]string, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, hookhub.Errorf(hookhub.EUNPROCESSABLE, "headers must be a map of names to strings, not %s", describe(v))
	}
	out := make(map[string]string, len(m))
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		val, ok := m[k].(string)
		switch {
		case !validName(k):
			return nil, hookhub.Errorf(hookhub.EUNPROCESSABLE, "header name %q is not valid", k)
		case !ok:
			return nil, hookhub.Errorf(hookhub.EUNPROCESSABLE, "header %s must be a string, not %s", k, describe(m[k]))
		case !validValue(val):
			return nil, hookhub.Errorf(hookhub.EUNPROCESSABLE, "header %s has a character a header value cannot hold", k)
		case reserved(k):
			return nil, hookhub.Errorf(hookhub.EUNPROCESSABLE, "header %s is set by Hookhub and cannot be changed", k)
		}
		out[http.CanonicalHeaderKey(k)] = val
	}
	return out, nil
}

// pathOf checks a path to append: absolute, no host, no way up.
func pathOf(v any) (string, error) {
	s, ok := v.(string)
	if !ok || !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") {
		return "", hookhub.Errorf(hookhub.EUNPROCESSABLE, "path must be a string starting with one /, not %s", describe(v))
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Fragment != "" {
		return "", hookhub.Errorf(hookhub.EUNPROCESSABLE, "path %q is not a URL path", s)
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == ".." || seg == "." {
			return "", hookhub.Errorf(hookhub.EUNPROCESSABLE, "path %q must not contain . or .. segments", s)
		}
	}
	return s, nil
}

// JoinURL appends a transform's path (and query) to a destination URL.
func JoinURL(base, path string) (string, error) {
	if path == "" {
		return base, nil
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	p, err := url.Parse(path)
	if err != nil {
		return "", err
	}
	raw := strings.TrimSuffix(u.EscapedPath(), "/") + p.EscapedPath()
	u.Path = strings.TrimSuffix(u.Path, "/") + p.Path
	u.RawPath = raw // used only when it encodes Path: keeps an escaped "/" escaped
	if p.RawQuery != "" {
		if u.RawQuery != "" {
			u.RawQuery += "&"
		}
		u.RawQuery += p.RawQuery
	}
	return u.String(), nil
}

// describe names a value's kind for an error.
func describe(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("the string %q", v)
	case map[string]any:
		return "a map"
	case []any:
		return "a list"
	case bool:
		return "a boolean"
	}
	return "a number"
}

// validName reports whether s is an HTTP token (RFC 9110 §5.1).
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0 {
			continue
		}
		return false
	}
	return true
}

// validValue reports whether s can be a header value: no control
// characters but tab, so no header can be smuggled in.
func validValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
