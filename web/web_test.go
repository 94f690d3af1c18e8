package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hookhub/hookhub"
)

func TestErrorAnswersJSONOrHTML(t *testing.T) {
	t.Parallel()
	err := hookhub.Errorf(hookhub.ENOTFOUND, "no such <thing>")
	tests := []struct {
		path, accept, wantType string
	}{
		{"/api/v1/sources/x", "text/html", "application/json"},
		{"/hooks/abc", "text/html,*/*", "application/json"},
		{"/sources/x", "application/json", "application/json"},
		{"/sources/x", "", "application/json"},
		{"/sources/x", "text/html,application/xhtml+xml", "text/html; charset=utf-8"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", tt.path, nil)
		if tt.accept != "" {
			r.Header.Set("Accept", tt.accept)
		}
		w := httptest.NewRecorder()
		Error(w, r, err)
		if w.Code != http.StatusNotFound {
			t.Errorf("%s %q: status %d, want 404", tt.path, tt.accept, w.Code)
		}
		if got := w.Header().Get("Content-Type"); got != tt.wantType {
			t.Errorf("%s %q: Content-Type %q, want %q", tt.path, tt.accept, got, tt.wantType)
		}
		body := w.Body.String()
		if strings.HasPrefix(tt.wantType, "text/html") {
			if !strings.Contains(body, "no such &lt;thing&gt;") {
				t.Errorf("HTML error page does not show the escaped message: %s", body)
			}
			continue
		}
		var eb ErrorBody
		if json.Unmarshal([]byte(body), &eb) != nil || eb.Error.Code != hookhub.ENOTFOUND || eb.Error.Message != "no such <thing>" {
			t.Errorf("JSON error body = %s", body)
		}
	}
}

func TestErrorHidesInternalDetails(t *testing.T) {
	t.Parallel()
	w := httptest.NewRecorder()
	Error(w, httptest.NewRequest("GET", "/api/v1/x", nil), errSecret("password=hunter2"))
	if w.Code != 500 || strings.Contains(w.Body.String(), "hunter2") {
		t.Fatalf("internal error answered %d %s", w.Code, w.Body.String())
	}
}

type errSecret string

func (e errSecret) Error() string { return string(e) }

func TestDecodeJSONMediaTypes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ct   string
		want string // error code, "" for accepted
	}{
		{"", ""},
		{"application/json", ""},
		{"application/json; charset=utf-8", ""},
		{"Application/JSON", ""},
		{"APPLICATION/JSON ; Charset=UTF-8", ""},
		{"application/merge-patch+json", ""},
		{"text/plain", hookhub.EUNSUPPORTED},
		{"application/x-www-form-urlencoded", hookhub.EUNSUPPORTED},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("POST", "/api/v1/x", strings.NewReader(`{"name":"a"}`))
		if tt.ct != "" {
			r.Header.Set("Content-Type", tt.ct)
		}
		var v struct{ Name string }
		err := DecodeJSON(httptest.NewRecorder(), r, &v)
		if got := hookhub.ErrorCode(err); got != tt.want {
			t.Errorf("Content-Type %q: error code %q (%v), want %q", tt.ct, got, err, tt.want)
		}
		if tt.want == "" && v.Name != "a" {
			t.Errorf("Content-Type %q: decoded %+v", tt.ct, v)
		}
	}
}

func TestDecodeJSONRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body, want string
	}{
		{`{"name":"a","nmae":"b"}`, hookhub.EINVALID},
		{`{"name":"a"} {}`, hookhub.EINVALID},
		{`{"name":"a\u0000"}`, hookhub.EINVALID},
		{`{"name":`, hookhub.EINVALID},
		{`{"name":"` + strings.Repeat("x", MaxJSONBody) + `"}`, hookhub.ETOOLARGE},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("POST", "/api/v1/x", strings.NewReader(tt.body))
		var v struct{ Name string }
		if got := hookhub.ErrorCode(DecodeJSON(httptest.NewRecorder(), r, &v)); got != tt.want {
			t.Errorf("body %.40q: code %q, want %q", tt.body, got, tt.want)
		}
	}
}

func TestRequestIDAndRecover(t *testing.T) {
	t.Parallel()
	h := RequestID(nil)(Recover(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ID(r.Context()) == "" {
			t.Error("no request ID in the handler's context")
		}
		panic("boom")
	})))
	r := httptest.NewRequest("GET", "/api/v1/x", nil)
	r.Header.Set("X-Request-Id", "abc-123")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 500 || w.Header().Get("X-Request-Id") != "abc-123" {
		t.Fatalf("status %d, X-Request-Id %q", w.Code, w.Header().Get("X-Request-Id"))
	}
	r = httptest.NewRequest("GET", "/api/v1/x", nil)
	r.Header.Set("X-Request-Id", "bad id with spaces")
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if id := w.Header().Get("X-Request-Id"); id == "" || strings.Contains(id, " ") {
		t.Fatalf("an insane X-Request-Id was echoed: %q", id)
	}
}
