package server

import (
	"sync"
	"sync/atomic"

	"github.com/hookhub/hookhub"
)

// stream fans new events out to live subscribers (the SSE endpoint). A slow
// subscriber is never waited for: when its buffer is full the event is
// dropped for it and it is marked lagged, so it can catch up from the store.
type stream struct {
	mu   sync.Mutex
	subs map[*subscription]struct{}
}

// subscription is one subscriber's buffer of events.
type subscription struct {
	ch     chan *hookhub.Event
	lagged atomic.Bool // an event was dropped since the flag was last cleared
}

func newStream() *stream { return &stream{subs: map[*subscription]struct{}{}} }

func (s *stream) subscribe() *subscription {
	sub := &subscription{ch: make(chan *hookhub.Event, 256)}
	s.mu.Lock()
	s.subs[sub] = struct{}{}
	s.mu.Unlock()
	return sub
}

func (s *stream) unsubscribe(sub *subscription) {
	s.mu.Lock()
	delete(s.subs, sub)
	s.mu.Unlock()
}

func (s *stream) publish(ev *hookhub.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for sub := range s.subs {
		select {
		case sub.ch <- ev:
		default:
			sub.lagged.Store(true)
		}
	}
}
