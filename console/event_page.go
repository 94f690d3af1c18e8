package console

import (
	"net/http"
	"sort"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/web"
)

// apiEvent is an event as the API shows it, body and variables included.
type apiEvent struct {
	ID           string              `json:"id"`
	SourceID     string              `json:"source_id"`
	Type         string              `json:"type"`
	Status       string              `json:"status"`
	ReceivedAt   time.Time           `json:"received_at"`
	Method       string              `json:"method"`
	Path         string              `json:"path"`
	Query        map[string][]string `json:"query"`
	Headers      map[string][]string `json:"headers"`
	Body         *string             `json:"body"`
	BodyBase64   string              `json:"body_base64"`
	BodyJSON     string              `json:"body_json"`
	ClientIP     string              `json:"client_ip"`
	DedupKey     string              `json:"dedup_key"`
	DuplicateOf  string              `json:"duplicate_of"`
	Variables    map[string]any      `json:"variables"`
	Verification struct {
		Scheme, Result, Reason string
	} `json:"verification"`
}

// eventPage is an event explained: the request, its verification, where it
// went and what it caused.
type eventPage struct {
	Event       apiEvent
	HeaderNames []string
	SourceName  string
	Deliveries  []deliveryRow
	Incidents   []*hookhub.Incident
}

// deliveryRow is a delivery with its destination's name.
type deliveryRow struct {
	*hookhub.Delivery
	Destination string
}

func (c *Console) handleEvent(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var p eventPage
	if err := c.api.Call(r.Context(), callerOf(r), "GET", "/api/v1/events/"+id, nil, &p.Event); err != nil {
		web.Error(w, r, err)
		return
	}
	for k := range p.Event.Headers {
		p.HeaderNames = append(p.HeaderNames, k)
	}
	sort.Strings(p.HeaderNames)
	if p.Event.SourceID != "" {
		if src, err := c.store.GetSource(r.Context(), p.Event.SourceID); err == nil {
			p.SourceName = src.Name
		}
	}
	ds, _, err := c.store.ListDeliveries(r.Context(), hookhub.DeliveryFilter{EventID: id, Page: hookhub.Page{Limit: 100}})
	if err != nil {
		web.Error(w, r, err)
		return
	}
	if p.Deliveries, err = c.withDestinations(r, ds); err != nil {
		web.Error(w, r, err)
		return
	}
	if p.Incidents, err = c.store.IncidentsForEvent(r.Context(), id); err != nil {
		web.Error(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "event", view{Title: "Event " + shortID(id), Nav: "events", Data: p})
}

// withDestinations names each delivery's destination.
func (c *Console) withDestinations(r *http.Request, ds []*hookhub.Delivery) ([]deliveryRow, error) {
	names := map[string]string{}
	rows := make([]deliveryRow, len(ds))
	for i, d := range ds {
		name, ok := names[d.DestinationID]
		if !ok {
			dst, err := c.store.GetDestination(r.Context(), d.DestinationID)
			switch {
			case err == nil:
				name = dst.Name
			case hookhub.ErrorCode(err) == hookhub.ENOTFOUND:
				name = d.DestinationID
			default:
				return nil, err
			}
			names[d.DestinationID] = name
		}
		rows[i] = deliveryRow{Delivery: d, Destination: name}
	}
	return rows, nil
}

func (c *Console) handleEventReplay(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var out struct {
		DeliveryIDs []string `json:"delivery_ids"`
	}
	if err := c.api.Call(r.Context(), callerOf(r), "POST", "/api/v1/events/"+id+"/replay", nil, &out); err != nil {
		c.actionError(w, r, err, "/events/"+id)
		return
	}
	msg := "Replayed: no destination matches this event now."
	if n := len(out.DeliveryIDs); n > 0 {
		msg = "Replayed: " + plural(n, "new delivery", "new deliveries") + " queued."
	}
	redirect(w, r, "/events/"+id, msg)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + many
}
