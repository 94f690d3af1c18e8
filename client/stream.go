package client

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// StreamOptions selects the events of a stream.
type StreamOptions struct {
	SourceID string
	// LastEventID resumes a stream: the server first sends the stored
	// events that came after this one, then new ones as they arrive.
	LastEventID string
}

// EventStream reads the server-sent events of /api/v1/events/stream.
type EventStream struct {
	body io.ReadCloser
	sc   *bufio.Scanner
	// Raw is the data line of the last event Next returned.
	Raw []byte
	// LastEventID is the last id the server sent: the event Next last
	// returned, or the marker a new stream starts with. Reconnecting with it
	// as StreamOptions.LastEventID misses nothing.
	LastEventID string
}

// StreamEvents opens the live event stream. The call returns once the
// server has subscribed the stream, so every event from then on is seen.
func (c *Client) StreamEvents(ctx context.Context, o StreamOptions) (*EventStream, error) {
	q := url.Values{}
	setIf(q, "source_id", o.SourceID)
	req := request{method: "GET", path: path("events", "stream"), query: q,
		header: http.Header{"Accept": {"text/event-stream"}}}
	if o.LastEventID != "" {
		req.header.Set("Last-Event-ID", o.LastEventID)
	}
	// The stream outlives any overall client timeout: it uses the same
	// transport without one.
	streamer := *c
	hc := *c.http
	hc.Timeout = 0
	streamer.http = &hc
	resp, err := streamer.send(ctx, req)
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	return &EventStream{body: resp.Body, sc: sc}, nil
}

// Next returns the next event. It returns io.EOF when the server ends the
// stream, and another error when the connection breaks.
func (s *EventStream) Next() (*Event, error) {
	var data []string
	id := ""
	for s.sc.Scan() {
		line := s.sc.Text()
		switch {
		case line == "":
			if id != "" {
				s.LastEventID = id
			}
			if len(data) == 0 {
				id = ""
				continue
			}
			s.Raw = []byte(strings.Join(data, "\n"))
			var ev Event
			if err := json.Unmarshal(s.Raw, &ev); err != nil {
				return nil, fmt.Errorf("event stream: bad event: %w", err)
			}
			return &ev, nil
		case strings.HasPrefix(line, "data:"):
			data = append(data, field(line, "data:"))
		case strings.HasPrefix(line, "id:"):
			id = field(line, "id:")
		}
		// Comments (":"), event: and retry: lines need no action.
	}
	if err := s.sc.Err(); err != nil {
		return nil, err
	}
	return nil, io.EOF
}

// field returns a line's value after its name and one optional space.
func field(line, name string) string {
	return strings.TrimPrefix(strings.TrimPrefix(line, name), " ")
}

// Close ends the stream.
func (s *EventStream) Close() error { return s.body.Close() }
