package transform_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/transform"
)

func event(body string) *hookhub.Event {
	return &hookhub.Event{ID: "evt_1", Type: "order.created", SourceID: "src_1", Body: []byte(body),
		Headers: map[string][]string{"X-Shop": {"acme"}}, ReceivedAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func apply(t *testing.T, src, body string) (*transform.Output, error) {
	t.Helper()
	tr, err := transform.Compile(src)
	if err != nil {
		t.Fatalf("Compile(%q): %v", src, err)
	}
	return tr.Apply(context.Background(), transform.EventOf(event(body)))
}

func TestApply(t *testing.T) {
	t.Parallel()
	body := `{"order_id": 42, "total": 9.5, "items": ["a", "b"], "note": "<b>&</b>"}`
	tests := []struct {
		name, src   string
		wantBody    string
		wantType    string
		wantMethod  string
		wantPath    string
		wantHeaders map[string]string
	}{
		{"map becomes JSON", `{"id": event.payload.order_id, "kind": event.type}`, `{"id":42,"kind":"order.created"}`, transform.JSONType, "", "", nil},
		{"string sent as is", `"order " + string(int(event.payload.order_id))`, `order 42`, transform.TextType, "", "", nil},
		{"list becomes JSON", `event.payload.items`, `["a","b"]`, transform.JSONType, "", "", nil},
		{"HTML not escaped", `{"n": event.payload.note}`, `{"n":"<b>&</b>"}`, transform.JSONType, "", "", nil},
		{"headers and source", `{"h": event.headers["x-shop"], "s": event.source_id}`, `{"h":"acme","s":"src_1"}`, transform.JSONType, "", "", nil},
		{"request", `{"body": {"o": event.payload.order_id}, "method": "put", "path": "/orders/42?x=1", "headers": {"x-partner": "hub"}}`,
			`{"o":42}`, transform.JSONType, "PUT", "/orders/42?x=1", map[string]string{"X-Partner": "hub"}},
		{"request with content type", `{"body": "a=1", "headers": {"Content-Type": "application/x-www-form-urlencoded"}}`,
			`a=1`, "application/x-www-form-urlencoded", "", "", map[string]string{}},
		{"body key among others is a body", `{"body": 1, "other": 2}`, `{"body":1,"other":2}`, transform.JSONType, "", "", nil},
		{"wrapped request-looking payload", `{"body": {"body": "x"}}`, `{"body":"x"}`, transform.JSONType, "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := apply(t, tt.src, body)
			if err != nil {
				t.Fatal(err)
			}
			if string(out.Body) != tt.wantBody || out.ContentType != tt.wantType || out.Method != tt.wantMethod || out.Path != tt.wantPath {
				t.Errorf("got body %s type %q method %q path %q", out.Body, out.ContentType, out.Method, out.Path)
			}
			if tt.wantHeaders != nil && len(out.Headers) != len(tt.wantHeaders) {
				t.Errorf("headers = %v, want %v", out.Headers, tt.wantHeaders)
			}
			for k, v := range tt.wantHeaders {
				if out.Headers[k] != v {
					t.Errorf("header %s = %q, want %q", k, out.Headers[k], v)
				}
			}
		})
	}
}

func TestApplyErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, src, body, want string }{
		{"missing field", `{"x": event.payload.missing}`, `{}`, "no such key: missing"},
		{"not JSON body", `event.payload.x`, `not json`, "no such key: x"},
		{"null body", `null`, `{}`, "the body is null"},
		{"bad method", `{"body": "x", "method": "DELETE"}`, `{}`, "method must be POST, PUT or PATCH"},
		{"reserved header", `{"body": "x", "headers": {"webhook-signature": "v1,forged"}}`, `{}`, "set by Hookhub"},
		{"Hookhub header", `{"body": "x", "headers": {"X-Hookhub-Event": "other"}}`, `{}`, "set by Hookhub"},
		{"header injection", `{"body": "x", "headers": {"X-A": "1\r\nX-B: 2"}}`, `{}`, "cannot hold"},
		{"bad header name", `{"body": "x", "headers": {"X A": "1"}}`, `{}`, "not valid"},
		{"header not a string", `{"body": "x", "headers": {"X-A": 1}}`, `{}`, "must be a string"},
		{"headers not a map", `{"body": "x", "headers": "X-A: 1"}`, `{}`, "must be a map"},
		{"path up", `{"body": "x", "path": "/a/../b"}`, `{}`, "segments"},
		{"path to another host", `{"body": "x", "path": "//evil.example/x"}`, `{}`, "starting with one /"},
		{"relative path", `{"body": "x", "path": "a"}`, `{}`, "starting with one /"},
		{"too large", `event.payload.big + event.payload.big`, `{"big": "` + strings.Repeat("x", 600<<10) + `"}`, "larger than"},
		{"too costly", `[1,2,3,4,5,6,7,8,9,10].map(a, [1,2,3,4,5,6,7,8,9,10].map(b, [1,2,3,4,5,6,7,8,9,10].map(c, [1,2,3,4,5,6,7,8,9,10].map(d, [1,2,3,4,5,6,7,8,9,10].map(e, a+b+c+d+e)))))`, `{}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := apply(t, tt.src, tt.body)
			if hookhub.ErrorCode(err) != hookhub.EUNPROCESSABLE || !strings.Contains(hookhub.ErrorMessage(err), tt.want) ||
				!strings.HasPrefix(hookhub.ErrorMessage(err), "transform") {
				t.Errorf("err = %v, want EUNPROCESSABLE starting with transform, containing %q", err, tt.want)
			}
		})
	}
}

func TestCompileNamesPosition(t *testing.T) {
	t.Parallel()
	_, err := transform.Compile("{\"a\": event.payload.x,\n \"b\": event.nope}")
	msg := hookhub.ErrorMessage(err)
	if hookhub.ErrorCode(err) != hookhub.EINVALID || !strings.HasPrefix(msg, "transform does not compile: line 2, column ") {
		t.Fatalf("err = %v", err)
	}
	if _, err := transform.Compile(""); hookhub.ErrorCode(err) != hookhub.EINVALID {
		t.Errorf("empty transform: %v", err)
	}
}

func TestJoinURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ base, path, want string }{
		{"https://api.example.com/v1", "", "https://api.example.com/v1"},
		{"https://api.example.com/v1/", "/orders/42", "https://api.example.com/v1/orders/42"},
		{"https://api.example.com", "/orders", "https://api.example.com/orders"},
		{"https://api.example.com/v1?key=k", "/o?x=1", "https://api.example.com/v1/o?key=k&x=1"},
		{"https://api.example.com/v1", "/a%2Fb", "https://api.example.com/v1/a%2Fb"},
	}
	for _, tt := range tests {
		if got, err := transform.JoinURL(tt.base, tt.path); err != nil || got != tt.want {
			t.Errorf("JoinURL(%q, %q) = %q, %v; want %q", tt.base, tt.path, got, err, tt.want)
		}
	}
}

func TestCachedIsShared(t *testing.T) {
	t.Parallel()
	a, _ := transform.Cached(`"x"`)
	b, _ := transform.Cached(`"x"`)
	if a == nil || a != b {
		t.Error("Cached compiled twice")
	}
	if _, err := transform.Cached(`{`); err == nil {
		t.Error("Cached accepted a bad expression")
	}
}
