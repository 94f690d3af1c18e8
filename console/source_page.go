package console

import (
	"net/http"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/web"
)

// sourcePage is a source with its recent requests, rejected ones included.
type sourcePage struct {
	Source       sourceRow
	Events       []*hookhub.Event
	Next         string
	Destinations []*hookhub.Destination
	Status       string
}

func (c *Console) handleSource(w http.ResponseWriter, r *http.Request) {
	src, err := c.store.GetSource(r.Context(), r.PathValue("id"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	status := r.URL.Query().Get("status")
	if status != hookhub.EventRejected && status != hookhub.EventAccepted && status != hookhub.EventDuplicate {
		status = ""
	}
	events, next, err := c.store.ListEvents(r.Context(), hookhub.EventFilter{SourceID: src.ID, Status: status,
		Page: hookhub.Page{Cursor: r.URL.Query().Get("cursor"), Limit: 25}})
	if err != nil {
		web.Error(w, r, err)
		return
	}
	p := sourcePage{Source: sourceRow{Source: src, URL: c.sourceURL(src)}, Events: events, Next: pageLink(r, next), Status: status}
	for _, id := range src.DestinationIDs {
		if d, err := c.store.GetDestination(r.Context(), id); err == nil {
			p.Destinations = append(p.Destinations, d)
		}
	}
	c.render(w, r, http.StatusOK, "source", view{Title: src.Name, Nav: "sources", Data: p})
}
