package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestTextOnly(t *testing.T) {
	h := TextOnly("/api/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }))
	for _, tc := range []struct {
		target string
		want   int
	}{
		{"/api/v1/events?type=order.created", 204},
		{"/api/v1/events?type=%C3%A9t%C3%A9", 204}, // "été"
		{"/api/v1/events?type=%ff", 400},
		{"/api/v1/events?type=a%00b", 400},
		{"/api/v1/events?a%00=1", 400},
		{"/api/v1/sources/src%00x", 404},
		{"/api/v1/sources/src%e2%82", 404}, // a cut-off sequence
		{"/hooks/abc%00def", 404},
		{"/hooks/abc?q=%ff%00", 204}, // a webhook's query is stored as received
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", tc.target, nil))
		if rec.Code != tc.want {
			t.Errorf("%s: %d, want %d", tc.target, rec.Code, tc.want)
		}
	}
}
