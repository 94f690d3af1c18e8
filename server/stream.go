package server

import (
	"sync"

	"github.com/hookhub/hookhub"
)

// stream fans new events out to live subscribers (the SSE endpoint). A slow
// subscriber misses events rather than slowing ingest down.
type stream struct {
	mu   sync.Mutex
	subs map[chan *hookhub.Event]struct{}
}

func newStream() *stream { return &stream{subs: map[chan *hookhub.Event]struct{}{}} }

func (s *stream) subscribe() chan *hookhub.Event {
	ch := make(chan *hookhub.Event, 256)
	s.mu.Lock()
	s.subs[ch] = struct{}{}
	s.mu.Unlock()
	return ch
}

func (s *stream) unsubscribe(ch chan *hookhub.Event) {
	s.mu.Lock()
	delete(s.subs, ch)
	s.mu.Unlock()
}

func (s *stream) publish(ev *hookhub.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.subs {
		select {
		case ch <- ev:
		default:
		}
	}
}
