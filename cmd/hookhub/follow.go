package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hookhub/hookhub/client"
)

// follow reads the event stream and calls handle with each event until ctx
// ends. A broken connection is reopened with the ID of the last message
// seen, so the server replays what came in meanwhile and nothing is missed.
// Only a first connection that fails, an API error (such as a bad key), or
// an error from handle end it early. w.connected is called once the first
// connection is subscribed; w.notice reports lost and regained connections.
func follow(ctx context.Context, c *client.Client, o client.StreamOptions, handle func(*client.Event) error, w watcher) error {
	backoff := minBackoff
	connected := false
	for {
		s, err := c.StreamEvents(ctx, o)
		if err != nil {
			var apiErr *client.Error
			switch {
			case ctx.Err() != nil:
				return nil
			case !connected, errors.As(err, &apiErr):
				return err
			}
			w.notice(fmt.Sprintf("still disconnected (%v); retrying in %s", err, backoff))
			if !sleep(ctx, backoff) {
				return nil
			}
			backoff = min(2*backoff, maxBackoff)
			continue
		}
		if connected {
			w.notice("reconnected; catching up on what was missed")
		} else if w.connected != nil {
			w.connected()
		}
		connected, backoff = true, minBackoff
		err = drain(s, handle)
		o.LastEventID = firstSet(s.LastEventID, o.LastEventID)
		s.Close()
		if ctx.Err() != nil {
			return nil
		}
		var he handlerError
		if errors.As(err, &he) {
			return he.err
		}
		w.notice("connection to the server lost; reconnecting")
	}
}

// watcher is told how the connection of a follow fares.
type watcher struct {
	connected func()
	notice    func(string)
}

// Reconnection delays.
const (
	minBackoff = 250 * time.Millisecond
	maxBackoff = 5 * time.Second
)

// handlerError marks an error of the handler rather than of the stream.
type handlerError struct{ err error }

func (h handlerError) Error() string { return h.err.Error() }

func drain(s *client.EventStream, handle func(*client.Event) error) error {
	for {
		ev, err := s.Next()
		if err != nil {
			return err
		}
		if err := handle(ev); err != nil {
			return handlerError{err}
		}
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
