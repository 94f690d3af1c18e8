package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/hookhub/hookhub"
)

type ctxKey int

const reqKey ctxKey = iota

// reqInfo is what the outermost middleware knows of a request.
type reqInfo struct {
	id  string
	log *slog.Logger
}

// RequestID returns middleware that gives every request an ID, taken from a
// sane X-Request-Id or made here and echoed in the response so users can
// quote it, and makes log the request's logger (see Logger).
func RequestID(log *slog.Logger) func(http.Handler) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := r.Header.Get("X-Request-Id")
			if !saneRequestID(id) {
				var b [8]byte
				rand.Read(b[:])
				id = hex.EncodeToString(b[:])
			}
			w.Header().Set("X-Request-Id", id)
			ctx := context.WithValue(r.Context(), reqKey, &reqInfo{id: id, log: log})
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// ID returns the request's ID ("" outside RequestID).
func ID(ctx context.Context) string {
	if ri, ok := ctx.Value(reqKey).(*reqInfo); ok {
		return ri.id
	}
	return ""
}

// Logger returns the request's logger, carrying its request ID; it discards
// everything outside RequestID.
func Logger(r *http.Request) *slog.Logger {
	if ri, ok := r.Context().Value(reqKey).(*reqInfo); ok {
		return ri.log.With("request_id", ri.id)
	}
	return slog.New(slog.DiscardHandler)
}

func saneRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// Recover turns a panic in a handler into a logged 500.
func Recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				Logger(r).Error("panic in handler", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				Error(w, r, hookhub.Errorf(hookhub.EINTERNAL, "internal error"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// StatusWriter remembers the status a handler wrote, for metrics and logs.
type StatusWriter struct {
	http.ResponseWriter
	Status int
}

// WriteHeader records the first status written.
func (w *StatusWriter) WriteHeader(code int) {
	if w.Status == 0 {
		w.Status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write records an implicit 200.
func (w *StatusWriter) Write(b []byte) (int, error) {
	if w.Status == 0 {
		w.Status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Flush lets streaming handlers (server-sent events) flush through the wrapper.
func (w *StatusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *StatusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
