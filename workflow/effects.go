package workflow

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/alert"
	"github.com/hookhub/hookhub/expr"
	"github.com/hookhub/hookhub/routing"
	"github.com/hookhub/hookhub/tracing"
)

// maxResponseBytes bounds the response body an http_request node keeps.
const maxResponseBytes = expr.MaxOutputBytes

// perform does a node's I/O and returns the node's output.
func (x *execution) perform(ctx context.Context, id string, e Effect) (any, error) {
	switch e := e.(type) {
	case Respond:
		answered := x.answer != nil
		x.reply(Answer{Respond: &e})
		return map[string]any{"status": e.Status, "answered": answered}, nil
	case HTTPRequest:
		return x.request(ctx, e)
	case Deliver:
		return x.deliver(ctx, id, e)
	case Incident:
		return x.incident(ctx, e)
	case Wait:
		return map[string]any{"until": x.r.o.Now().Add(e.Duration).UTC()}, nil
	}
	return nil, fmt.Errorf("unknown effect %T", e)
}

// request sends an http_request node's request through the SSRF guard.
func (x *execution) request(ctx context.Context, e HTTPRequest) (any, error) {
	ctx, cancel := context.WithTimeout(ctx, e.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, e.Method, e.URL, bytes.NewReader(e.Body))
	if err != nil {
		return nil, fmt.Errorf("url: %v", err)
	}
	for k, v := range e.Headers {
		req.Header.Set(k, v)
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "Hookhub/"+hookhub.Version)
	}
	req.Header.Set("X-Hookhub-Run-Id", x.run.ID)
	carryTrace(ctx, req.Header)
	resp, err := x.r.client.Do(req)
	if err != nil {
		return nil, requestError(e, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading the response: %v", e.Method, e.URL, err)
	}
	out := &HTTPResponse{Status: resp.StatusCode, Headers: resp.Header, Body: body}
	if len(body) > maxResponseBytes {
		out.Body, out.Truncated = body[:maxResponseBytes], true
	}
	return httpOutput(e, out)
}

// requestError says why a request failed, naming the guard when it refused.
func requestError(e HTTPRequest, err error) error {
	var he *hookhub.Error
	if errors.As(err, &he) {
		return fmt.Errorf("%s %s: %s", e.Method, e.URL, he.Message)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s %s: no answer within %s", e.Method, e.URL, e.Timeout)
	}
	return fmt.Errorf("%s %s: %v", e.Method, e.URL, err)
}

// deliver makes the event a deliver node hands to its destination; it is
// committed with the run's next save, and the delivery engine takes it
// from there (retries, attempts, resend).
func (x *execution) deliver(ctx context.Context, id string, e Deliver) (any, error) {
	dest, err := x.r.o.Store.GetDestination(ctx, e.DestinationID)
	switch {
	case hookhub.ErrorCode(err) == hookhub.ENOTFOUND:
		return nil, fmt.Errorf("destination_id: no destination %s", e.DestinationID)
	case err != nil:
		return nil, fmt.Errorf("destination_id: %s", hookhub.ErrorMessage(err))
	case !dest.Enabled:
		return nil, fmt.Errorf("destination_id: destination %s is disabled", e.DestinationID)
	}
	payload := e.Payload
	if payload == nil {
		payload = x.triggerBody()
	}
	now := x.r.o.Now().UTC()
	ev := &hookhub.Event{
		ID: hookhub.NewID(hookhub.PrefixEvent), Type: e.EventType, Status: hookhub.EventAccepted, ReceivedAt: now,
		Headers: map[string][]string{"Content-Type": {"application/json"}}, Body: payload,
		Verification: hookhub.VerificationResult{Scheme: "workflow", Result: hookhub.VerifyNone,
			Reason: "made by workflow " + x.c.w.ID + ", run " + x.run.ID + ", node " + id},
	}
	// Its attempts continue the trace under this step's span.
	ev.TraceParent, ev.TraceState = tracing.Carry(ctx)
	d := routing.NewDelivery(ev, dest, hookhub.TriggerInitial, now)
	x.events = append(x.events, &hookhub.NewEvent{Event: ev, Deliveries: []*hookhub.Delivery{d}})
	return map[string]any{"event_id": ev.ID, "delivery_id": d.ID, "destination_id": dest.ID}, nil
}

// triggerBody is the trigger event's JSON body exactly as received, for a
// deliver node without a payload template (null when it has none).
func (x *execution) triggerBody() []byte {
	if x.trigger.Body == nil && !json.Valid(x.trigger.raw) {
		return []byte("null")
	}
	return x.trigger.raw
}

// incident opens, joins or resolves an incident of the workflow's source.
func (x *execution) incident(ctx context.Context, e Incident) (any, error) {
	if x.r.o.Incidents == nil {
		return nil, fmt.Errorf("incidents are not available")
	}
	a := hookhub.Alert{
		Title: e.Title, Severity: alert.NormalizeSeverity(e.Severity), Status: hookhub.AlertFiring,
		Fingerprint: e.Fingerprint, Labels: map[string]string{"workflow": x.c.w.ID},
	}
	if e.Action == ActionResolve {
		a.Status = hookhub.AlertResolved
	}
	out, err := x.r.o.Incidents(ctx, x.c.w.SourceID, x.trigger.EventID, a)
	if err != nil {
		return nil, fmt.Errorf("incident: %s", hookhub.ErrorMessage(err))
	}
	res := map[string]any{"action": e.Action, "fingerprint": e.Fingerprint, "incident_id": nil, "created": out.Created}
	if out.Incident != nil {
		res["incident_id"], res["status"] = out.Incident.ID, out.Incident.Status
	}
	return res, nil
}
