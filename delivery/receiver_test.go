package delivery_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"

	"github.com/hookhub/hookhub"
)

// request is what a receiver got.
type request struct {
	header http.Header
	body   []byte
}

// receiver is a real HTTP endpoint on 127.0.0.1 that records every request and
// answers with respond, given the request's number for its delivery (1 for the
// first time it sees that delivery ID).
type receiver struct {
	srv     *httptest.Server
	respond func(w http.ResponseWriter, r *http.Request, n int)

	mu    sync.Mutex
	got   []request
	count map[string]int // requests per delivery ID
}

func newReceiver(t testing.TB, respond func(w http.ResponseWriter, r *http.Request, n int)) *receiver {
	t.Helper()
	rc := &receiver{respond: respond, count: make(map[string]int)}
	rc.srv = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	id := r.Header.Get("X-Hookhub-Delivery")
	rc.mu.Lock()
	rc.got = append(rc.got, request{header: r.Header.Clone(), body: body})
	rc.count[id]++
	n := rc.count[id]
	rc.mu.Unlock()
	if rc.respond == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	rc.respond(w, r, n)
}

func (rc *receiver) url() string { return rc.srv.URL + "/hook" }

func (rc *receiver) requests() []request {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]request(nil), rc.got...)
}

func (rc *receiver) total() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.got)
}

// distinct returns how many delivery IDs the receiver has seen.
func (rc *receiver) distinct() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.count)
}

// status answers every request with code.
func status(code int) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, _ *http.Request, _ int) { w.WriteHeader(code) }
}

// byNumber sorts attempts oldest first.
func byNumber(as []*hookhub.Attempt) []*hookhub.Attempt {
	sort.Slice(as, func(i, j int) bool { return as[i].Number < as[j].Number })
	return as
}
