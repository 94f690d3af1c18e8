package web

import (
	"errors"
	"io"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/hookhub/hookhub"
)

// BodyDeadline returns middleware that gives every request with a body until
// timeout after its headers to send all of it. A body still arriving then is
// cut off: its read fails with ETIMEOUT (answered 408) and the connection is
// closed after the answer. The deadline is lifted once the body has been
// read, so a handler's own work after that (a commit, a stream) is not
// bounded by it. Without the deadline a client trickling a large body could
// hold a connection, and the memory read so far, for as long as it liked.
// timeout <= 0 turns it off.
func BodyDeadline(timeout time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		if timeout <= 0 {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Body == nil || r.Body == http.NoBody {
				next.ServeHTTP(w, r)
				return
			}
			rc := http.NewResponseController(w)
			if rc.SetReadDeadline(time.Now().Add(timeout)) != nil {
				next.ServeHTTP(w, r) // a writer without a connection (tests)
				return
			}
			r.Body = &deadlineBody{ReadCloser: r.Body, rc: rc, w: w, timeout: timeout}
			next.ServeHTTP(w, r)
		})
	}
}

// deadlineBody lifts the read deadline at the end of the body and turns a
// deadline that passed into ETIMEOUT.
type deadlineBody struct {
	io.ReadCloser
	rc      *http.ResponseController
	w       http.ResponseWriter
	timeout time.Duration
	once    sync.Once
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	switch {
	case err == io.EOF:
		b.once.Do(func() { b.rc.SetReadDeadline(time.Time{}) })
	case errors.Is(err, os.ErrDeadlineExceeded):
		b.w.Header().Set("Connection", "close")
		return n, hookhub.Errorf(hookhub.ETIMEOUT, "the request body did not arrive within %s", b.timeout)
	}
	return n, err
}
