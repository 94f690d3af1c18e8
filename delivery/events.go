package delivery

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/routing"
)

// Hookhub's own events about delivery. They are routed like events published
// through the API, to every enabled destination whose filter matches, and
// committed with the change they announce.
const (
	// EventDestinationDisabled: the engine disabled a destination (its
	// receiver answered 410, or too many deliveries in a row failed).
	EventDestinationDisabled = "destination.disabled"
	// EventDeliveryFailed: a delivery failed for good, its retries
	// exhausted (or its receiver gone).
	EventDeliveryFailed = "delivery.failed"
)

// NewDisabledEvent returns the destination.disabled event for a destination
// disabled at at: a JSON body of destination_id, destination_name, reason and
// disabled_at.
func NewDisabledEvent(d *hookhub.Destination, reason string, at time.Time) *hookhub.Event {
	body, _ := json.Marshal(struct {
		DestinationID   string `json:"destination_id"`
		DestinationName string `json:"destination_name"`
		Reason          string `json:"reason"`
		DisabledAt      string `json:"disabled_at"`
	}{d.ID, d.Name, reason, at.UTC().Format(time.RFC3339)})
	return ownEvent(EventDestinationDisabled, body, at)
}

// failure is what a delivery.failed event says.
type failure struct {
	DeliveryID      string `json:"delivery_id"`
	EventID         string `json:"event_id"`
	EventType       string `json:"event_type"`
	SourceID        string `json:"source_id,omitempty"`
	DestinationID   string `json:"destination_id"`
	DestinationName string `json:"destination_name"`
	Attempts        int    `json:"attempts"`
	LastError       string `json:"last_error"`
	FailedAt        string `json:"failed_at"`
}

// NewFailedEvent returns the delivery.failed event for delivery d of ev to
// dest, which failed for good at at after attempts attempts.
func NewFailedEvent(d *hookhub.Delivery, ev *hookhub.Event, dest *hookhub.Destination, attempts int, lastError string, at time.Time) *hookhub.Event {
	body, _ := json.Marshal(failure{
		DeliveryID: d.ID, EventID: ev.ID, EventType: ev.Type, SourceID: ev.SourceID,
		DestinationID: dest.ID, DestinationName: dest.Name, Attempts: attempts, LastError: lastError,
		FailedAt: at.UTC().Format(time.RFC3339),
	})
	return ownEvent(EventDeliveryFailed, body, at)
}

func ownEvent(typ string, body []byte, at time.Time) *hookhub.Event {
	return &hookhub.Event{
		ID:           hookhub.NewID(hookhub.PrefixEvent),
		Type:         typ,
		Status:       hookhub.EventAccepted,
		ReceivedAt:   at.UTC(),
		Method:       "POST",
		Headers:      map[string][]string{"Content-Type": {"application/json"}},
		Body:         body,
		Verification: hookhub.VerificationResult{Scheme: "system", Result: hookhub.VerifyNone},
	}
}

// announce routes one of Hookhub's own events about dest over dests, never
// to dest itself: it is the destination the event is about, disabled or
// just failing.
func announce(dests []routing.Dest, ev *hookhub.Event, sourceID string, dest *hookhub.Destination, now time.Time) *hookhub.NewEvent {
	others := slices.DeleteFunc(slices.Clone(dests), func(rd routing.Dest) bool { return rd.D.ID == dest.ID })
	return &hookhub.NewEvent{Event: ev, Deliveries: routing.Published(others, ev, "", sourceID, now)}
}

// raisesFailure reports whether a delivery of an event of type typ that
// failed for good is announced: not when the event is itself a
// delivery.failed, or a receiver that fails everything would have each
// announcement of its failures fail and be announced in turn.
func raisesFailure(typ string) bool {
	return typ != EventDeliveryFailed
}
