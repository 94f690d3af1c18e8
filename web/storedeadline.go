package web

import (
	"context"
	"net/http"
	"time"
)

// parentKey holds, in a request's context, the context it had before
// StoreDeadline bounded it.
type parentKey struct{}

// StoreDeadline returns middleware that bounds how long a request may wait:
// its context ends timeout after the request arrives. What a management
// request waits for is the store, so a database that hangs makes the store
// give up — it answers "unavailable", 503 — in seconds, instead of holding
// the request, and a connection of the pool, for ever. A handler that must
// also wait for something else (a receiver answering a test alert) takes
// longer with Extend. Streams, which last as long as their client listens,
// must not be wrapped. timeout <= 0 turns it off.
func StoreDeadline(timeout time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		if timeout <= 0 {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			parent := r.Context()
			ctx, cancel := context.WithTimeout(context.WithValue(parent, parentKey{}, parent), timeout)
			defer cancel()
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// Extend returns a context for r's work that ends d from now instead of at
// StoreDeadline's deadline. It keeps the values of r's context (the caller)
// and is still cancelled when the request is (the client went away). Call
// cancel when the work is done.
func Extend(r *http.Request, d time.Duration) (ctx context.Context, cancel context.CancelFunc) {
	parent, ok := r.Context().Value(parentKey{}).(context.Context)
	if !ok {
		return context.WithTimeout(r.Context(), d)
	}
	ctx, cancelTimeout := context.WithTimeout(context.WithoutCancel(r.Context()), d)
	stop := context.AfterFunc(parent, cancelTimeout)
	return ctx, func() {
		stop()
		cancelTimeout()
	}
}
