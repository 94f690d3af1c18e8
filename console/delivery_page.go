package console

import (
	"net/http"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/web"
)

// deliveryPage is one delivery with every attempt.
type deliveryPage struct {
	D           *hookhub.Delivery
	Destination *hookhub.Destination
	Attempts    []*hookhub.Attempt
}

func (c *Console) handleDelivery(w http.ResponseWriter, r *http.Request) {
	d, err := c.store.GetDelivery(r.Context(), r.PathValue("id"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	p := deliveryPage{D: d}
	if p.Attempts, err = c.store.ListAttempts(r.Context(), d.ID); err != nil {
		web.Error(w, r, err)
		return
	}
	if p.Destination, err = c.store.GetDestination(r.Context(), d.DestinationID); err != nil {
		web.Error(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "delivery", view{Title: "Delivery " + shortID(d.ID), Nav: "destinations", Data: p})
}

// handleResend is Resend: the delivery goes out again now, also when it
// had failed for good, unless its destination forbids manual dispatch.
func (c *Console) handleResend(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := c.api.Call(r.Context(), callerOf(r), "POST", "/api/v1/deliveries/"+id+"/resend", nil, nil); err != nil {
		c.actionError(w, r, err, "/deliveries/"+id)
		return
	}
	redirect(w, r, "/deliveries/"+id, "Resent: the delivery is queued and goes out now.")
}

// handleDeliveries lists deliveries across destinations, by status.
func (c *Console) handleDeliveries(w http.ResponseWriter, r *http.Request) {
	status := r.URL.Query().Get("status")
	if status != hookhub.DeliveryPending && status != hookhub.DeliverySucceeded && status != hookhub.DeliveryFailed {
		status = ""
	}
	ds, next, err := c.store.ListDeliveries(r.Context(), hookhub.DeliveryFilter{Status: status,
		Page: hookhub.Page{Cursor: r.URL.Query().Get("cursor"), Limit: 50}})
	if err != nil {
		web.Error(w, r, err)
		return
	}
	rows, err := c.withDestinations(r, ds)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "deliveries", view{Title: "Deliveries", Nav: "destinations",
		Data: map[string]any{"Deliveries": rows, "Next": pageLink(r, next), "Status": status}})
}
