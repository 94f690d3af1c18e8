package delivery

import (
	"sync"

	"github.com/hookhub/hookhub"
)

// recentBudget bounds the bytes of events kept by recentEvents; events with
// bodies over recentMaxBody are not kept, to spare room for many small ones.
const (
	recentBudget  = 4 << 20
	recentMaxBody = 64 << 10
)

// recentEvents keeps events just committed with deliveries, handed over by
// ingest, so that claiming their deliveries a moment later need not read them
// back from the store and decode them again. It is a FIFO under a byte
// budget: under load an event is claimed long before it would be evicted; an
// evicted or never-seen event is simply read from the store.
type recentEvents struct {
	mu     sync.Mutex
	m      map[string]*hookhub.Event
	order  []recentEntry // insertion order, oldest first
	bytes  int
	budget int
}

type recentEntry struct {
	id   string
	size int
}

func newRecentEvents(budget int) *recentEvents {
	return &recentEvents{m: make(map[string]*hookhub.Event), budget: budget}
}

// eventSize estimates the memory an event holds: body, headers and the
// fixed part of the struct and its map.
func eventSize(ev *hookhub.Event) int {
	n := 512 + len(ev.Body)
	for k, vs := range ev.Headers {
		n += len(k) + 48
		for _, v := range vs {
			n += len(v) + 16
		}
	}
	return n
}

func (r *recentEvents) add(ev *hookhub.Event) {
	if len(ev.Body) > recentMaxBody {
		return
	}
	size := eventSize(ev)
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.m[ev.ID]; ok {
		return
	}
	for r.bytes+size > r.budget && len(r.order) > 0 {
		old := r.order[0]
		r.order = r.order[1:]
		r.bytes -= old.size
		delete(r.m, old.id)
	}
	r.m[ev.ID] = ev
	r.order = append(r.order, recentEntry{ev.ID, size})
	r.bytes += size
	if cap(r.order) > 4*len(r.order)+1024 {
		r.order = append([]recentEntry(nil), r.order...) // let the consumed head go
	}
}

// take returns the events it holds among ids and the ids it does not hold.
func (r *recentEvents) take(ids []string) (found map[string]*hookhub.Event, missing []string) {
	found = make(map[string]*hookhub.Event, len(ids))
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, id := range ids {
		if ev, ok := r.m[id]; ok {
			found[id] = ev
		} else {
			missing = append(missing, id)
		}
	}
	return found, missing
}
