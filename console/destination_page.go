package console

import (
	"net/http"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/web"
)

// destinationPage is a destination with its recent deliveries.
type destinationPage struct {
	D          *apiDestination
	Deliveries []*hookhub.Delivery
	Next       string
	Status     string
	Now        string // for the bulk resend's default range
}

func (c *Console) handleDestination(w http.ResponseWriter, r *http.Request) {
	d, err := c.getDestination(r.Context(), callerOf(r), r.PathValue("id"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	status := r.URL.Query().Get("status")
	if status != hookhub.DeliveryPending && status != hookhub.DeliverySucceeded && status != hookhub.DeliveryFailed {
		status = ""
	}
	ds, next, err := c.store.ListDeliveries(r.Context(), hookhub.DeliveryFilter{DestinationID: d.ID, Status: status,
		Page: hookhub.Page{Cursor: r.URL.Query().Get("cursor"), Limit: 25}})
	if err != nil {
		web.Error(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "destination", view{Title: d.Name, Nav: "destinations", Data: destinationPage{
		D: d, Deliveries: ds, Next: pageLink(r, next), Status: status, Now: c.now().UTC().Format(localTime)}})
}
