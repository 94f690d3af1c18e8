package server

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"unicode/utf8"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/transform"
	"github.com/hookhub/hookhub/web"
)

// transformPreviewInput names the event to run a transform on (a stored
// one, or one given here) and, optionally, a transform to try instead of
// the destination's saved one.
type transformPreviewInput struct {
	EventID   string                 `json:"event_id"`
	Event     *transformPreviewEvent `json:"event"`
	Transform *string                `json:"transform"`
}

// transformPreviewEvent is an event given inline: its type, JSON payload and,
// optionally, headers and source.
type transformPreviewEvent struct {
	Type     string              `json:"type"`
	SourceID string              `json:"source_id"`
	Payload  json.RawMessage     `json:"payload"`
	Headers  map[string][]string `json:"headers"`
}

// transformPreviewJSON is what the request would carry, before Hookhub's own
// headers and the signature are added.
type transformPreviewJSON struct {
	Method      string            `json:"method"`
	URL         string            `json:"url,omitempty"`
	ContentType string            `json:"content_type"`
	Headers     map[string]string `json:"headers"`
	Body        string            `json:"body,omitempty"`
	BodyBase64  string            `json:"body_base64,omitempty"`
}

// handleTransformPreview runs a destination's transform (or one given in the
// request) on an event and answers what would be sent. Nothing is sent or
// stored. A transform that does not compile is 400 with its position; one
// that fails on this event is 422 with the reason.
func (s *Server) handleTransformPreview(w http.ResponseWriter, r *http.Request) {
	var in transformPreviewInput
	if err := web.DecodeJSON(w, r, &in); err != nil {
		web.Error(w, r, err)
		return
	}
	d, err := s.store.GetDestination(r.Context(), r.PathValue("id"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	src := d.Transform
	if in.Transform != nil {
		src = *in.Transform
	}
	if src == "" {
		web.Error(w, r, hookhub.Errorf(hookhub.EINVALID, "the destination has no transform; give one in \"transform\""))
		return
	}
	t, err := transform.Compile(src)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	ev, err := s.previewEvent(r, in)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	out, err := t.Apply(r.Context(), transform.EventOf(ev))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, previewOut(d, out))
}

// previewEvent reads the stored event named, or builds the one given.
func (s *Server) previewEvent(r *http.Request, in transformPreviewInput) (*hookhub.Event, error) {
	switch {
	case in.EventID != "" && in.Event != nil:
		return nil, hookhub.Errorf(hookhub.EINVALID, "give event_id or event, not both")
	case in.EventID != "":
		return s.store.GetEvent(r.Context(), in.EventID)
	case in.Event == nil:
		return nil, hookhub.Errorf(hookhub.EINVALID, "event_id or event is required")
	}
	body := []byte(in.Event.Payload)
	if len(body) == 0 {
		body = []byte("{}")
	}
	if !json.Valid(body) {
		return nil, hookhub.Errorf(hookhub.EINVALID, "event.payload must be JSON")
	}
	return &hookhub.Event{ID: hookhub.NewID(hookhub.PrefixEvent), Type: in.Event.Type, SourceID: in.Event.SourceID,
		Headers: in.Event.Headers, Body: body, ReceivedAt: s.now().UTC()}, nil
}

func previewOut(d *hookhub.Destination, out *transform.Output) transformPreviewJSON {
	p := transformPreviewJSON{Method: out.Method, ContentType: out.ContentType, Headers: out.Headers}
	if p.Method == "" {
		p.Method = d.Method
	}
	if p.Headers == nil {
		p.Headers = map[string]string{}
	}
	if d.Type == hookhub.DestinationWebhook || d.Type == "" {
		p.URL, _ = transform.JoinURL(d.URL, out.Path)
	}
	if utf8.Valid(out.Body) {
		p.Body = string(out.Body)
	} else {
		p.BodyBase64 = base64.StdEncoding.EncodeToString(out.Body)
	}
	return p
}
