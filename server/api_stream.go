package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/web"
)

// streamWriter writes server-sent events of one stream request.
type streamWriter struct {
	w        http.ResponseWriter
	rc       *http.ResponseController
	sourceID string
	// last is the ID of the last event sent, or the marker the stream
	// started at: where a reconnecting client resumes.
	last string
	// replayedUpTo is the highest ID a replay from the store sent; live
	// events up to it were already sent by that replay.
	replayedUpTo string
}

func (sw *streamWriter) send(ev *hookhub.Event) {
	b, _ := json.Marshal(eventOut(ev, false))
	fmt.Fprintf(sw.w, "id: %s\ndata: %s\n\n", ev.ID, b)
	sw.last = max(sw.last, ev.ID)
}

// pollInterval is how often a stream also reads the store for events it
// was not told of: those other Hookhub processes on the same database
// received.
const pollInterval = 2 * time.Second

// handleEventStream streams events as server-sent events, one JSON object
// per data line, with a comment every 15 s to keep proxies from closing it.
//
// Every stream is resumable: it starts with an id-only message naming the
// present moment, and each event carries its ID. A client that reconnects
// with Last-Event-ID (or ?last_event_id=) first gets the stored events after
// that ID, oldest first, then live ones. A subscriber that falls behind
// catches up from the store the same way, so a stream misses nothing; and
// every pollInterval it reads the store too, for the events that other
// processes sharing the database received.
func (s *Server) handleEventStream(w http.ResponseWriter, r *http.Request) {
	last := r.Header.Get("Last-Event-ID")
	if last == "" {
		last = r.URL.Query().Get("last_event_id")
	}
	if last != "" && !strings.HasPrefix(last, hookhub.PrefixEvent+"_") {
		web.Error(w, r, hookhub.Errorf(hookhub.EINVALID, "Last-Event-ID must be an event ID (evt_…)"))
		return
	}
	// Subscribe before anything is read or said, so no event falls between
	// the replay and the live stream.
	sub := s.stream.subscribe()
	defer s.stream.unsubscribe(sub)
	start := hookhub.NewID(hookhub.PrefixEvent) // sorts after every event stored so far
	sw := &streamWriter{w: w, rc: http.NewResponseController(w), sourceID: r.URL.Query().Get("source_id")}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ": connected\n\n")
	if last == "" {
		sw.last = start
		fmt.Fprintf(w, "id: %s\n\n", start)
	} else {
		sw.last = last
		if !s.replay(r.Context(), sw) {
			return
		}
	}
	if sw.rc.Flush() != nil {
		return
	}
	s.streamLive(r.Context(), sub, sw)
}

// streamLive sends live events until the client or the server goes away.
func (s *Server) streamLive(ctx context.Context, sub *subscription, sw *streamWriter) {
	tick := time.NewTicker(15 * time.Second)
	defer tick.Stop()
	poll := time.NewTicker(pollInterval)
	defer poll.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.done:
			return
		case <-tick.C:
			fmt.Fprint(sw.w, ": keep-alive\n\n")
		case <-poll.C:
			sub.lagged.Store(true) // catch up below
		case ev := <-sub.ch:
			if sw.sourceID != "" && ev.SourceID != sw.sourceID || ev.ID <= sw.replayedUpTo {
				break
			}
			sw.send(ev)
		}
		if sub.lagged.Swap(false) && !s.replay(ctx, sw) {
			return
		}
		if err := sw.rc.Flush(); err != nil {
			return
		}
	}
}

// replay sends the stored events after sw.last, oldest first. It reports
// false when the stream should end (the client left or the store failed).
func (s *Server) replay(ctx context.Context, sw *streamWriter) bool {
	f := hookhub.EventFilter{SourceID: sw.sourceID, After: sw.last, Page: hookhub.Page{Limit: 500}}
	for {
		list, next, err := s.store.ListEvents(ctx, f)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Warn("event stream replay failed", "after", f.After, "err", err)
			}
			return false
		}
		for _, ev := range list {
			sw.send(ev)
			sw.replayedUpTo = ev.ID
		}
		if sw.rc.Flush() != nil {
			return false
		}
		if next == "" {
			return true
		}
		f.Page.Cursor = next
	}
}
