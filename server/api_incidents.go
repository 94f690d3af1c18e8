package server

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/web"
)

// maxCommentBytes bounds a comment or action message.
const maxCommentBytes = 16 << 10

func (s *Server) handleListIncidents(w http.ResponseWriter, r *http.Request) {
	var f hookhub.IncidentFilter
	var err error
	if f.Page, err = pageOf(r); err == nil {
		f.Status, err = oneOf(r, "status", hookhub.IncidentTriggered, hookhub.IncidentAcknowledged,
			hookhub.IncidentResolved, hookhub.IncidentClosed)
	}
	if err == nil {
		f.Severity, err = oneOf(r, "severity", hookhub.SeverityCritical, hookhub.SeverityHigh,
			hookhub.SeverityMedium, hookhub.SeverityLow, hookhub.SeverityInfo)
	}
	if err != nil {
		web.Error(w, r, err)
		return
	}
	f.SourceID, f.Query = r.URL.Query().Get("source_id"), r.URL.Query().Get("q")
	list, next, err := s.store.ListIncidents(r.Context(), f)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	out := make([]incidentJSON, len(list))
	for i, inc := range list {
		out[i] = incidentOut(inc)
	}
	web.JSON(w, http.StatusOK, listJSON[incidentJSON]{Data: out, NextCursor: next})
}

// handleGetIncident answers an incident with its timeline.
func (s *Server) handleGetIncident(w http.ResponseWriter, r *http.Request) {
	inc, err := s.store.GetIncident(r.Context(), r.PathValue("id"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	entries, next, err := s.store.ListTimeline(r.Context(), inc.ID, hookhub.Page{Limit: embeddedTimeline})
	if err != nil {
		web.Error(w, r, err)
		return
	}
	out := incidentOut(inc)
	out.TimelineNextCursor = next
	out.Timeline = make([]timelineJSON, len(entries))
	for i, e := range entries {
		out.Timeline[i] = timelineOut(e)
	}
	web.JSON(w, http.StatusOK, out)
}

func (s *Server) handleIncidentTimeline(w http.ResponseWriter, r *http.Request) {
	page, err := pageOf(r)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	entries, next, err := s.store.ListTimeline(r.Context(), r.PathValue("id"), page)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	out := make([]timelineJSON, len(entries))
	for i, e := range entries {
		out[i] = timelineOut(e)
	}
	web.JSON(w, http.StatusOK, listJSON[timelineJSON]{Data: out, NextCursor: next})
}

// embeddedTimeline bounds the entries GET /incidents/{id} embeds: an incident
// that keeps firing gains one entry per alert.
const embeddedTimeline = 500

// messageInput is the body of an action (optional) or a comment: the text is
// in body, or in message, its alias.
type messageInput struct {
	Body    string `json:"body"`
	Message string `json:"message"`
}

// incidentAction returns the handler of one lifecycle action. The change is
// announced to destinations as an incident.* event.
func (s *Server) incidentAction(action string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		in, err := readMessage(w, r, false)
		if err != nil {
			web.Error(w, r, err)
			return
		}
		ann, err := s.personAnnouncer(r.Context(), r.PathValue("id"))
		if err != nil {
			web.Error(w, r, err)
			return
		}
		inc, _, err := s.store.TransitionIncident(r.Context(), r.PathValue("id"), action, actor(r.Context()), in.Message, s.now(), ann.make)
		if err != nil {
			web.Error(w, r, err)
			return
		}
		s.announced(ann.event)
		web.JSON(w, http.StatusOK, incidentOut(inc))
	}
}

func (s *Server) handleCommentIncident(w http.ResponseWriter, r *http.Request) {
	in, err := readMessage(w, r, true)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	ann, err := s.personAnnouncer(r.Context(), r.PathValue("id"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	_, e, err := s.store.AddIncidentComment(r.Context(), r.PathValue("id"), actor(r.Context()), in.Message, s.now(), ann.make)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	s.announced(ann.event)
	web.JSON(w, http.StatusCreated, timelineOut(e))
}

// personAnnouncer prepares the announcement of a person's change to an
// incident; the incident must exist.
func (s *Server) personAnnouncer(ctx context.Context, id string) (*announcement, error) {
	inc, err := s.store.GetIncident(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.announcer(ctx, s.sourceName(ctx, inc.SourceID))
}

// readMessage reads {"body": "…"} (or {"message": "…"}) into Message; the
// request body may be absent unless required.
func readMessage(w http.ResponseWriter, r *http.Request, required bool) (messageInput, error) {
	var in messageInput
	raw, err := web.ReadBody(w, r, maxCommentBytes+1024, "request body is too large")
	if err != nil {
		return in, err
	}
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := web.CheckJSONContentType(r); err != nil {
			return in, err
		}
		if err := web.Unmarshal(raw, &in); err != nil {
			return in, err
		}
	}
	if in.Body != "" {
		in.Message = in.Body
	}
	in.Message = strings.TrimSpace(in.Message)
	switch {
	case required && in.Message == "":
		return in, hookhub.Errorf(hookhub.EINVALID, "message is required")
	case len(in.Message) > maxCommentBytes:
		return in, hookhub.Errorf(hookhub.EINVALID, "message is longer than %d bytes", maxCommentBytes)
	case !utf8.ValidString(in.Message) || strings.ContainsRune(in.Message, 0):
		return in, hookhub.Errorf(hookhub.EINVALID, "message must be UTF-8 text")
	}
	return in, nil
}
