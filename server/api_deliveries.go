package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/routing"
	"github.com/hookhub/hookhub/web"
)

// deliveryJSON is a delivery with, when asked for one, its attempts.
type deliveryJSON struct {
	ID            string     `json:"id"`
	EventID       string     `json:"event_id"`
	DestinationID string     `json:"destination_id"`
	Status        string     `json:"status"`
	AttemptCount  int        `json:"attempt_count"`
	NextAttemptAt *time.Time `json:"next_attempt_at"`
	LastError     string     `json:"last_error,omitempty"`
	Held          bool       `json:"held,omitempty"` // pending until its destination is resumed
	// OrderingKey is set on deliveries of fifo destinations: they go out one
	// at a time per key, in order.
	OrderingKey *string       `json:"ordering_key,omitempty"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"updated_at"`
	Attempts    []attemptJSON `json:"attempts,omitempty"`
}

type attemptJSON struct {
	Number          int                 `json:"number"`
	Trigger         string              `json:"trigger"`
	Target          string              `json:"target"`
	URL             string              `json:"url,omitempty"` // webhook attempts: the target
	StartedAt       time.Time           `json:"started_at"`
	DurationMS      int64               `json:"duration_ms"`
	StatusCode      int                 `json:"status_code"`
	RequestHeaders  map[string][]string `json:"request_headers"`
	ResponseHeaders map[string][]string `json:"response_headers"`
	ResponseBody    string              `json:"response_body"`
	Error           string              `json:"error,omitempty"`
	Truncated       []string            `json:"truncated,omitempty"`
}

func deliveryOut(d *hookhub.Delivery, attempts []*hookhub.Attempt) deliveryJSON {
	out := deliveryJSON{
		ID: d.ID, EventID: d.EventID, DestinationID: d.DestinationID, Status: d.Status, AttemptCount: d.AttemptCount,
		LastError: d.LastError, Held: d.Held && d.Status == hookhub.DeliveryPending, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(),
	}
	if d.Ordered {
		out.OrderingKey = &d.OrderingKey
	}
	if d.Status == hookhub.DeliveryPending && !d.NextAttemptAt.IsZero() {
		t := d.NextAttemptAt.UTC()
		out.NextAttemptAt = &t
	}
	for _, a := range attempts {
		out.Attempts = append(out.Attempts, attemptOut(a))
	}
	return out
}

func attemptOut(a *hookhub.Attempt) attemptJSON {
	return attemptJSON{
		Number: a.Number, Trigger: a.Trigger, Target: a.Target, URL: webhookURL(a.Target), StartedAt: a.StartedAt.UTC(), DurationMS: a.DurationMS,
		StatusCode: a.StatusCode, RequestHeaders: a.RequestHeaders, ResponseHeaders: a.ResponseHeaders,
		ResponseBody: a.ResponseBody, Error: a.Error, Truncated: a.Truncated,
	}
}

func (s *Server) handleListDeliveries(w http.ResponseWriter, r *http.Request) {
	var f hookhub.DeliveryFilter
	var err error
	if f.Page, err = pageOf(r); err == nil {
		f.Status, err = oneOf(r, "status", hookhub.DeliveryPending, hookhub.DeliverySucceeded, hookhub.DeliveryFailed)
	}
	if err == nil {
		f.Since, err = timeParam(r, "since")
	}
	if err == nil {
		f.Until, err = timeParam(r, "until")
	}
	if err != nil {
		web.Error(w, r, err)
		return
	}
	f.DestinationID, f.EventID = r.URL.Query().Get("destination_id"), r.URL.Query().Get("event_id")
	list, next, err := s.store.ListDeliveries(r.Context(), f)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	out := make([]deliveryJSON, len(list))
	for i, d := range list {
		out[i] = deliveryOut(d, nil)
	}
	web.JSON(w, http.StatusOK, listJSON[deliveryJSON]{Data: out, NextCursor: next})
}

func (s *Server) handleGetDelivery(w http.ResponseWriter, r *http.Request) {
	d, err := s.store.GetDelivery(r.Context(), r.PathValue("id"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	attempts, err := s.store.ListAttempts(r.Context(), d.ID)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, deliveryOut(d, attempts))
}

// handleResendDelivery sends a delivery again by hand, also a failed one, unless
// its destination forbids manual dispatch.
func (s *Server) handleResendDelivery(w http.ResponseWriter, r *http.Request) {
	d, err := s.store.GetDelivery(r.Context(), r.PathValue("id"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	dst, err := s.store.GetDestination(r.Context(), d.DestinationID)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	if !dst.AllowManualDispatch {
		web.Error(w, r, hookhub.Errorf(hookhub.EFORBIDDEN, "manual dispatch is not allowed for destination %s", dst.ID))
		return
	}
	d, err = s.store.RequeueDelivery(r.Context(), d.ID, hookhub.TriggerManual, s.now().UTC())
	if err != nil {
		web.Error(w, r, err)
		return
	}
	s.notify()
	web.JSON(w, http.StatusAccepted, deliveryOut(d, nil))
}

// resendFailedInput bounds a bulk resend by creation time; both are optional.
type resendFailedInput struct {
	Since *time.Time `json:"since"`
	Until *time.Time `json:"until"`
}

func (s *Server) handleResendFailed(w http.ResponseWriter, r *http.Request) {
	var in resendFailedInput
	if r.ContentLength != 0 {
		if err := web.DecodeJSON(w, r, &in); err != nil {
			web.Error(w, r, err)
			return
		}
	}
	dst, err := s.store.GetDestination(r.Context(), r.PathValue("id"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	if !dst.AllowManualDispatch {
		web.Error(w, r, hookhub.Errorf(hookhub.EFORBIDDEN, "manual dispatch is not allowed for destination %s", dst.ID))
		return
	}
	now := s.now().UTC()
	since, until := time.Time{}, now.Add(time.Hour)
	setIf(&since, in.Since)
	setIf(&until, in.Until)
	n, err := s.store.RequeueFailed(r.Context(), dst.ID, since, until, now)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	s.notify()
	web.JSON(w, http.StatusAccepted, map[string]int{"requeued": n})
}

// handleTestDestination sends a test alert now and answers with the attempt.
func (s *Server) handleTestDestination(w http.ResponseWriter, r *http.Request) {
	dst, err := s.store.GetDestination(r.Context(), r.PathValue("id"))
	if err != nil {
		web.Error(w, r, err)
		return
	}
	// The receiver has the destination's timeout to answer, on top of the
	// store's for the steps around the send.
	ctx, cancel := web.Extend(r, destinationTimeout(dst)+3*s.storeTimeout)
	defer cancel()
	body, _ := json.Marshal(testAlert(s.now().UTC(), dst))
	d, err := s.queueSystemEvent(ctx, dst, "hookhub.test", body, hookhub.TriggerTest, false)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	res, err := s.sender.SendNow(ctx, d)
	if err != nil {
		web.Error(w, r, err)
		return
	}
	web.JSON(w, http.StatusOK, map[string]any{"delivery_id": d.ID, "event_id": d.EventID,
		"success": res.Status == hookhub.DeliverySucceeded, "attempt": attemptOut(&res.Attempt)})
}

// destinationTimeout is how long a destination's receiver has to answer.
func destinationTimeout(d *hookhub.Destination) time.Duration {
	if d.TimeoutSec > 0 {
		return time.Duration(d.TimeoutSec) * time.Second
	}
	return hookhub.DefaultTimeoutSec * time.Second
}

// webhookURL is an attempt's target when it is an HTTP URL, shown as the
// attempt's url too for the clients that read that field.
func webhookURL(target string) string {
	if strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://") {
		return target
	}
	return ""
}

// sendPing queues the ping a destination gets right after it is created.
func (s *Server) sendPing(r *http.Request, dst *hookhub.Destination) error {
	body, _ := json.Marshal(map[string]string{"destination_id": dst.ID, "hookhub_version": hookhub.Version})
	_, err := s.queueSystemEvent(r.Context(), dst, "ping", body, hookhub.TriggerPing, true)
	return err
}

// queueSystemEvent stores an event addressed to one destination with its
// delivery; queued deliveries are picked up by the workers, the others are left
// for the caller to send.
func (s *Server) queueSystemEvent(ctx context.Context, dst *hookhub.Destination, typ string, body []byte, trigger string, queue bool) (*hookhub.Delivery, error) {
	now := s.now().UTC()
	ev := &hookhub.Event{
		ID: hookhub.NewID(hookhub.PrefixEvent), Type: typ, Status: hookhub.EventAccepted, ReceivedAt: now,
		Headers: map[string][]string{"Content-Type": {"application/json"}}, Body: body,
		Verification: hookhub.VerificationResult{Scheme: "system", Result: hookhub.VerifyNone},
	}
	s.carryTrace(ctx, ev)
	d := routing.NewDelivery(ev, dst, trigger, s.now())
	if !queue {
		// Kept out of the queue: far in the future until SendNow records it.
		d.NextAttemptAt = now.Add(100 * 365 * 24 * time.Hour)
	}
	if err := s.store.SaveEvents(ctx, []*hookhub.NewEvent{{Event: ev, Deliveries: []*hookhub.Delivery{d}}}); err != nil {
		return nil, err
	}
	if queue {
		s.notify()
	}
	return d, nil
}

// testAlert is a sample alert in the Panther alert schema that destinations
// receive as "send test alert".
func testAlert(now time.Time, dst *hookhub.Destination) map[string]any {
	return map[string]any{
		"id": hookhub.NewID("test"), "createdAt": now.Format(time.RFC3339), "severity": "INFO", "type": "TEST",
		"link": "", "title": "This is a test alert from Hookhub", "name": "Test alert", "alertId": "test",
		"alertContext": map[string]any{"destination_id": dst.ID}, "description": "Sent from Hookhub to check that " + dst.Name + " receives alerts.",
		"runbook": "No action needed.", "tags": []string{"test"}, "version": "1",
	}
}
