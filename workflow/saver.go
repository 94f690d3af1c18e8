package workflow

import (
	"context"
	"sync"

	"github.com/hookhub/hookhub"
)

// maxSaveBatch bounds the runs one transaction saves.
const maxSaveBatch = 256

// saver writes the progress of concurrent runs in shared transactions, as
// ingest's committer does for events: the caller that finds no write under
// way writes everything queued, again and again until nothing is, while the
// others wait for their turn's outcome. A busy runner so writes a few large
// transactions rather than one per run, without a goroutine of its own.
type saver struct {
	store   Store
	mu      sync.Mutex
	pending []*saveReq
	writing bool
}

type saveReq struct {
	p    *hookhub.RunProgress
	done chan error // buffered: the writer never waits on a caller
}

// save writes p, with whatever else is queued, and returns once it is
// written; p.Conflict tells whether another runner holds the run.
func (s *saver) save(ctx context.Context, p *hookhub.RunProgress) error {
	req := &saveReq{p: p, done: make(chan error, 1)}
	s.mu.Lock()
	s.pending = append(s.pending, req)
	if s.writing {
		s.mu.Unlock()
		return <-req.done
	}
	s.writing = true
	for len(s.pending) > 0 {
		n := min(len(s.pending), maxSaveBatch)
		batch := s.pending[:n:n]
		s.pending = s.pending[n:]
		s.mu.Unlock()
		s.write(ctx, batch)
		s.mu.Lock()
	}
	s.writing = false
	s.mu.Unlock()
	return <-req.done
}

func (s *saver) write(ctx context.Context, batch []*saveReq) {
	ps := make([]*hookhub.RunProgress, len(batch))
	for i, r := range batch {
		ps[i] = r.p
	}
	err := s.store.SaveRunProgress(ctx, ps)
	for _, r := range batch {
		r.done <- err
	}
}
