package console

import (
	"net/http"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/web"
)

// eventsPage is the inspector's list with its filters.
type eventsPage struct {
	Events  []*hookhub.Event
	Next    string
	Sources []*hookhub.Source
	Names   map[string]string // source ID → name
	Filter  eventFilterForm
	Stream  string // the live tail's stream URL, with the source filter
}

// eventFilterForm is the filter form as typed; times are the browser's
// datetime-local values, read as UTC.
type eventFilterForm struct {
	SourceID, Type, Status, Since, Until string
}

const localTime = "2006-01-02T15:04"

func (c *Console) handleEvents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ff := eventFilterForm{SourceID: q.Get("source_id"), Type: q.Get("type"), Status: q.Get("status"), Since: q.Get("since"), Until: q.Get("until")}
	f := hookhub.EventFilter{SourceID: ff.SourceID, Type: ff.Type, Page: hookhub.Page{Cursor: q.Get("cursor"), Limit: 50}}
	switch ff.Status {
	case hookhub.EventAccepted, hookhub.EventRejected, hookhub.EventDuplicate:
		f.Status = ff.Status
	default:
		ff.Status = ""
	}
	f.Since, ff.Since = parseLocal(ff.Since)
	f.Until, ff.Until = parseLocal(ff.Until)
	list, next, err := c.store.ListEvents(r.Context(), f)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	sources, names, err := c.sourceNames(r)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	stream := "/api/v1/events/stream" + queryString("source_id", ff.SourceID)
	c.render(w, r, http.StatusOK, "events", view{Title: "Inspector", Nav: "events", Data: eventsPage{
		Events: list, Next: pageLink(r, next), Sources: sources, Names: names, Filter: ff, Stream: stream}})
}

// parseLocal reads a datetime-local value (or RFC 3339) as UTC; a bad one is
// dropped from the filter and the form.
func parseLocal(s string) (time.Time, string) {
	if s == "" {
		return time.Time{}, ""
	}
	for _, layout := range []string{localTime, time.RFC3339} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, t.Format(localTime)
		}
	}
	return time.Time{}, ""
}

// sourceNames reads the sources for filters and labels.
func (c *Console) sourceNames(r *http.Request) ([]*hookhub.Source, map[string]string, error) {
	var all []*hookhub.Source
	p := hookhub.Page{Limit: 500}
	for {
		list, next, err := c.store.ListSources(r.Context(), p)
		if err != nil {
			return nil, nil, err
		}
		all = append(all, list...)
		if next == "" || len(all) >= 5000 {
			break
		}
		p.Cursor = next
	}
	names := make(map[string]string, len(all))
	for _, s := range all {
		names[s.ID] = s.Name
	}
	return all, names, nil
}
