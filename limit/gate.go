package limit

import (
	"io"
	"sync"

	"github.com/hookhub/hookhub"
)

// Gate caps what ingest holds at once: requests in flight and the body bytes
// they carry. A request that would pass either cap is refused at once rather
// than queued, so a flood is answered 503 instead of growing memory. It is
// safe for concurrent use.
type Gate struct {
	maxRequests int
	maxBytes    int64

	mu       sync.Mutex
	requests int
	bytes    int64
}

// NewGate returns a gate admitting maxRequests requests and maxBytes body
// bytes at once.
func NewGate(maxRequests int, maxBytes int64) *Gate {
	return &Gate{maxRequests: maxRequests, maxBytes: maxBytes}
}

// ErrBusy is why the gate refused: too much is in flight.
var ErrBusy = hookhub.Errorf(hookhub.EUNAVAILABLE, "too many webhooks in flight; retry shortly")

// Enter admits one request that declares bytes of body (0 when unknown). It
// returns a ticket to release when the request is done, or ErrBusy.
func (g *Gate) Enter(bytes int64) (*Ticket, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.requests >= g.maxRequests || g.bytes+bytes > g.maxBytes {
		return nil, ErrBusy
	}
	g.requests++
	g.bytes += bytes
	return &Ticket{g: g, bytes: bytes}, nil
}

// grow reserves n more bytes for a ticket whose body turned out longer than
// declared.
func (g *Gate) grow(t *Ticket, n int64) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if t.released || g.bytes+n > g.maxBytes {
		return false
	}
	g.bytes += n
	t.bytes += n
	return true
}

// InFlight returns the requests and bytes held now.
func (g *Gate) InFlight() (requests int, bytes int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.requests, g.bytes
}

// Ticket is one admitted request.
type Ticket struct {
	g        *Gate
	bytes    int64
	released bool
}

// Release gives the request's slot and bytes back. It may be called twice.
func (t *Ticket) Release() {
	t.g.mu.Lock()
	defer t.g.mu.Unlock()
	if t.released {
		return
	}
	t.released = true
	t.g.requests--
	t.g.bytes -= t.bytes
}

// growStep is how many bytes a body read past its reservation reserves at a
// time, so a chunked body costs one reservation per 64 KiB.
const growStep = 64 << 10

// Body wraps a request body so that reading past the ticket's reserved bytes
// reserves more, and fails with ErrBusy when the gate has none left: a body
// without a declared length is counted as it arrives.
func (t *Ticket) Body(r io.ReadCloser) io.ReadCloser { return &countedBody{ReadCloser: r, t: t} }

type countedBody struct {
	io.ReadCloser
	t    *Ticket
	read int64
}

// Read counts what was read, not what was asked for: a reader's buffer is
// usually far larger than the body.
func (b *countedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.read += int64(n)
	if over := b.read - b.t.reserved(); over > 0 && !b.t.g.grow(b.t, max(growStep, over)) {
		return n, ErrBusy
	}
	return n, err
}

func (t *Ticket) reserved() int64 {
	t.g.mu.Lock()
	defer t.g.mu.Unlock()
	return t.bytes
}
