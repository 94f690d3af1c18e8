package sender

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/hookhub/hookhub"
)

// IdleTTL is how long a pooled connection may go unused before it is closed.
const IdleTTL = 5 * time.Minute

// Pool keeps one connection per destination, opened on first use, reopened
// after it breaks or the destination's settings change, and closed when idle.
// Concurrent attempts to a destination share one dial: while it runs they
// wait for it, and when it fails they all fail at once with its reason, so a
// broker that is down costs one connect timeout, not one per delivery.
type Pool[C comparable] struct {
	open  func(ctx context.Context, d *hookhub.Destination) (C, error)
	close func(C)
	alive func(C) bool

	mu        sync.Mutex
	slots     map[string]*slot[C]
	lastSweep time.Time
	closed    bool
}

type slot[C comparable] struct {
	key     string // the settings the connection was opened with
	conn    C
	ok      bool
	dialing *dial[C]
	used    time.Time
}

type dial[C comparable] struct {
	done chan struct{}
	conn C
	err  error
}

// NewPool returns a pool that opens connections with open, closes them with
// close, and asks alive whether a kept one may still be used.
func NewPool[C comparable](open func(context.Context, *hookhub.Destination) (C, error), close func(C), alive func(C) bool) *Pool[C] {
	return &Pool[C]{open: open, close: close, alive: alive, slots: map[string]*slot[C]{}}
}

// settingsKey sums up what a connection depends on.
func settingsKey(d *hookhub.Destination) string {
	b, _ := json.Marshal([]any{d.Type, d.EventBridge, d.NATS, d.RabbitMQ, d.Redis, d.Kafka, d.MQTT})
	return string(b)
}

// Get returns the destination's connection, opening it if needed.
func (p *Pool[C]) Get(ctx context.Context, d *hookhub.Destination) (C, error) {
	key := settingsKey(d)
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		var zero C
		return zero, hookhub.Errorf(hookhub.EUNAVAILABLE, "the sender is closed")
	}
	p.sweep(time.Now())
	s := p.slot(d.ID, key)
	if s.ok && p.alive(s.conn) {
		s.used = time.Now()
		c := s.conn
		p.mu.Unlock()
		return c, nil
	}
	if s.ok {
		go p.close(s.conn)
		s.ok = false
	}
	dl := s.dialing
	if dl == nil {
		dl = &dial[C]{done: make(chan struct{})}
		s.dialing = dl
		go p.dial(d, s, dl, ctx)
	}
	p.mu.Unlock()
	select {
	case <-dl.done:
		return dl.conn, dl.err
	case <-ctx.Done():
		var zero C
		return zero, ctx.Err()
	}
}

// slot returns the destination's slot for settings key, replacing one made
// with other settings (its connection is closed). Call with mu held.
func (p *Pool[C]) slot(id, key string) *slot[C] {
	s := p.slots[id]
	if s != nil && s.key == key {
		return s
	}
	if s != nil && s.ok {
		go p.close(s.conn)
	}
	s = &slot[C]{key: key, used: time.Now()}
	p.slots[id] = s
	return s
}

// dial opens a connection for s, bounded by the context of the attempt that
// asked first (others waiting share its outcome).
func (p *Pool[C]) dial(d *hookhub.Destination, s *slot[C], dl *dial[C], ctx context.Context) {
	c, err := p.open(ctx, d)
	p.mu.Lock()
	s.dialing = nil
	current := p.slots[d.ID] == s && !p.closed
	if err == nil && current {
		s.conn, s.ok, s.used = c, true, time.Now()
	}
	p.mu.Unlock()
	if err == nil && !current {
		// The settings changed or the pool closed while dialing: this
		// connection serves the attempts that waited for it, then goes.
		time.AfterFunc(time.Minute, func() { p.close(c) })
	}
	dl.conn, dl.err = c, err
	close(dl.done)
}

// Drop closes a connection that failed, so the next attempt opens a new one.
func (p *Pool[C]) Drop(d *hookhub.Destination, c C) {
	p.mu.Lock()
	s := p.slots[d.ID]
	drop := s != nil && s.ok && s.conn == c
	if drop {
		s.ok = false
	}
	p.mu.Unlock()
	if drop {
		p.close(c)
	}
}

// sweep closes connections idle for longer than IdleTTL, at most once a
// minute. Call with mu held.
func (p *Pool[C]) sweep(now time.Time) {
	if now.Sub(p.lastSweep) < time.Minute {
		return
	}
	p.lastSweep = now
	for id, s := range p.slots {
		if s.dialing == nil && now.Sub(s.used) > IdleTTL {
			if s.ok {
				go p.close(s.conn)
			}
			delete(p.slots, id)
		}
	}
}

// Close closes every connection; Get fails afterwards.
func (p *Pool[C]) Close() error {
	p.mu.Lock()
	p.closed = true
	var conns []C
	for id, s := range p.slots {
		if s.ok {
			conns = append(conns, s.conn)
		}
		delete(p.slots, id)
	}
	p.mu.Unlock()
	for _, c := range conns {
		p.close(c)
	}
	return nil
}
