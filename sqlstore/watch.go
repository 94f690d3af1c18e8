package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"

	"github.com/hookhub/hookhub"
)

// ChangeChannel is the PostgreSQL notification channel on which every
// Hookhub process announces its changes to sources and destinations (see
// Store.Notice).
const ChangeChannel = "hookhub_changes"

// watchers are the functions registered with Watch.
type watchers struct {
	mu   sync.Mutex
	fns  map[int]func(hookhub.Change)
	next int
}

// Watch calls fn after every committed change to a source or destination
// made through this store, before the changing call returns, and
// for each change another process announces (see Notice). It returns a
// function that ends the calls.
func (s *Store) Watch(fn func(hookhub.Change)) (stop func()) {
	w := &s.watch
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.fns == nil {
		w.fns = make(map[int]func(hookhub.Change))
	}
	id := w.next
	w.next++
	w.fns[id] = fn
	return func() {
		w.mu.Lock()
		delete(w.fns, id)
		w.mu.Unlock()
	}
}

// Publish tells the watchers of changes.
func (s *Store) Publish(changes ...hookhub.Change) {
	if len(changes) == 0 {
		return
	}
	w := &s.watch
	w.mu.Lock()
	fns := make([]func(hookhub.Change), 0, len(w.fns))
	for _, fn := range w.fns {
		fns = append(fns, fn)
	}
	w.mu.Unlock()
	for _, c := range changes {
		for _, fn := range fns {
			fn(c)
		}
	}
}

// Notice handles the payload of a notification on ChangeChannel: a change
// another process made is published; this store's own, already published
// when they committed, and payloads it cannot read are ignored.
func (s *Store) Notice(payload string) {
	origin, rest, ok := strings.Cut(payload, " ")
	if !ok || origin == s.origin {
		return
	}
	kind, id, _ := strings.Cut(rest, " ")
	switch kind {
	case hookhub.ChangeSource, hookhub.ChangeDestination:
		s.Publish(hookhub.Change{Kind: kind, ID: id})
	}
}

// newOrigin names this store among the processes sharing a database.
func newOrigin() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// inChangeTx is inTx for changes to watched objects: fn reports each change
// with note, which on PostgreSQL also queues the notification that other
// processes receive when the transaction commits; once it has committed,
// this store's watchers hear of them.
func (s *Store) inChangeTx(ctx context.Context, fn func(tx *sql.Tx, note func(hookhub.Change) error) error) error {
	var changes []hookhub.Change
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		changes = changes[:0]
		return fn(tx, func(c hookhub.Change) error {
			changes = append(changes, c)
			if !s.d.notifies {
				return nil
			}
			_, err := tx.ExecContext(ctx, s.q(`SELECT pg_notify(?, ?)`), ChangeChannel, s.origin+" "+c.Kind+" "+c.ID)
			if err != nil {
				return fmt.Errorf("announce change: %w", err)
			}
			return nil
		})
	})
	if err == nil {
		s.Publish(changes...)
	}
	return err
}
