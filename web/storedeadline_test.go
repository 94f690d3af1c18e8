package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

type valueKey struct{}

// A handler waiting for something that never answers (a hung store) gets
// its context ended by StoreDeadline, and the deadline it reports is
// answered 503 with the API's error shape.
func TestStoreDeadlineEndsAHungWait(t *testing.T) {
	h := StoreDeadline(50 * time.Millisecond)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
		Error(w, r, r.Context().Err())
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/sources", nil))
	var body ErrorBody
	if rec.Code != http.StatusServiceUnavailable || json.Unmarshal(rec.Body.Bytes(), &body) != nil || body.Error.Code != "unavailable" {
		t.Fatalf("%d %s, want 503 unavailable", rec.Code, rec.Body)
	}
}

// Extend gives a handler a later deadline than StoreDeadline's, keeps the
// context's values, and still ends when the request does.
func TestExtend(t *testing.T) {
	parent, cancelRequest := context.WithCancel(context.Background())
	done := make(chan struct{})
	h := StoreDeadline(time.Hour)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(done)
		r = r.WithContext(context.WithValue(r.Context(), valueKey{}, "caller"))
		ctx, cancel := Extend(r, 3*time.Hour)
		defer cancel()
		bounded, _ := r.Context().Deadline()
		extended, ok := ctx.Deadline()
		if !ok || !extended.After(bounded) {
			t.Errorf("extended deadline %v (set %v), bounded %v", extended, ok, bounded)
		}
		if ctx.Value(valueKey{}) != "caller" {
			t.Error("the extended context lost the request's values")
		}
		cancelRequest()
		<-ctx.Done()
		if ctx.Err() != context.Canceled {
			t.Errorf("extended context ended with %v, want Canceled with the request", ctx.Err())
		}
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequestWithContext(parent, "POST", "/api/v1/destinations/d/test", nil))
	<-done
}

// Outside StoreDeadline, Extend bounds the request's own context.
func TestExtendWithoutStoreDeadline(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	ctx, cancel := Extend(r, time.Hour)
	defer cancel()
	if _, ok := ctx.Deadline(); !ok {
		t.Fatal("no deadline")
	}
}
