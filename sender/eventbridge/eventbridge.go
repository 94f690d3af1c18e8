// Package eventbridge is the sender of Amazon EventBridge destinations: one
// PutEvents entry per delivery, mapped as Zendesk's guide (seed 004) maps a
// webhook: Source is the payload's "source" (default "webhook.custom"),
// DetailType its "type" (default "defaultDetailType"), Detail the payload.
package eventbridge

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	eb "github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/smithy-go"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/retry"
	"github.com/hookhub/hookhub/sender"
)

// The seed's defaults when the payload has no source or type.
const (
	DefaultSource     = "webhook.custom"
	DefaultDetailType = "defaultDetailType"
)

// maxEntryBytes is EventBridge's limit on one entry.
const maxEntryBytes = 256 << 10

// Sender puts events on EventBridge buses.
type Sender struct {
	env  sender.Env
	pool *sender.Pool[*eb.Client]
}

var (
	_ sender.Sender  = (*Sender)(nil)
	_ sender.Checker = (*Sender)(nil)
)

// New returns the EventBridge sender of an engine.
func New(env sender.Env) sender.Sender {
	s := &Sender{env: env}
	s.pool = sender.NewPool(s.open, func(*eb.Client) {}, func(*eb.Client) bool { return true })
	return s
}

// Close forgets every client.
func (s *Sender) Close() error { return s.pool.Close() }

// Check refuses an endpoint that is not an http(s) URL or whose host the
// guard refuses, and source and detail type templates that do not compile.
func (s *Sender) Check(d *hookhub.Destination) error {
	e := d.EventBridge
	if e.Endpoint != "" {
		if err := s.checkEndpoint(e.Endpoint); err != nil {
			return hookhub.Errorf(hookhub.ErrorCode(err), "endpoint: %s", hookhub.ErrorMessage(err))
		}
	}
	if region(e) == "" {
		return hookhub.Errorf(hookhub.EINVALID, "region is required unless event_bus is an ARN")
	}
	if err := s.checkTemplate("source", e.Source); err != nil {
		return err
	}
	return s.checkTemplate("detail_type", e.DetailType)
}

func (s *Sender) checkEndpoint(raw string) error {
	host, err := sender.BrokerHost(raw, "443", "https", "http")
	if err != nil {
		return err
	}
	return s.env.Guard.CheckHost(host)
}

func (s *Sender) checkTemplate(field, src string) error {
	if src == "" {
		return nil
	}
	return sender.CheckTemplate(field, src)
}

// region is the configured region, or the one in the bus ARN.
func region(e *hookhub.EventBridgeSettings) string {
	if e.Region != "" {
		return e.Region
	}
	if parts := strings.Split(e.EventBus, ":"); len(parts) >= 6 && parts[0] == "arn" {
		return parts[3]
	}
	return ""
}

// open makes a client. Its calls go through the outbound guard and are not
// retried by the SDK: the engine's schedule retries, and records each try.
// Credentials are the destination's, or else the SDK's default chain, which
// fetches them (from an instance role, say) with its own client: those
// addresses are AWS's, not the user's.
func (s *Sender) open(ctx context.Context, d *hookhub.Destination) (*eb.Client, error) {
	e := d.EventBridge
	opts := []func(*config.LoadOptions) error{config.WithRegion(region(e))}
	if e.AccessKeyID != "" {
		opts = append(opts, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(e.AccessKeyID, e.SecretAccessKey, e.SessionToken)))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, err
	}
	client := &http.Client{Transport: s.env.Transport}
	return eb.NewFromConfig(cfg, func(o *eb.Options) {
		o.HTTPClient = client
		o.Retryer = aws.NopRetryer{}
		if e.Endpoint != "" {
			o.BaseEndpoint = aws.String(e.Endpoint)
		}
	}), nil
}

// Send puts one entry on the bus.
func (s *Sender) Send(ctx context.Context, m *sender.Message) sender.Result {
	e := m.Destination.EventBridge
	target := "eventbridge " + region(e) + " bus " + e.EventBus
	entry, recorded, err := s.entry(ctx, m)
	if err != nil {
		return m.Failed(retry.Fail, target, recorded, err)
	}
	c, err := s.pool.Get(ctx, m.Destination)
	if err != nil {
		return m.Failed(retry.Retry, target, recorded, errors.New("setting up the AWS client: "+err.Error()))
	}
	out, err := c.PutEvents(ctx, &eb.PutEventsInput{Entries: []types.PutEventsRequestEntry{entry}})
	if err != nil {
		return m.Failed(retry.Retry, target, recorded, callError(err, m))
	}
	if out.FailedEntryCount > 0 || len(out.Entries) == 0 || out.Entries[0].ErrorCode != nil {
		o, err := entryError(out)
		return m.Failed(o, target, recorded, err)
	}
	return sender.Succeeded(target, recorded, "put as event "+aws.ToString(out.Entries[0].EventId))
}

// entry maps the delivery to its PutEvents entry, and what the attempt log
// shows of it.
func (s *Sender) entry(ctx context.Context, m *sender.Message) (types.PutEventsRequestEntry, map[string][]string, error) {
	e := m.Destination.EventBridge
	var payload map[string]any
	if err := json.Unmarshal(m.Event.Body, &payload); err != nil || payload == nil {
		return types.PutEventsRequestEntry{}, nil, errors.New("EventBridge takes a JSON object as Detail, and this event's body is not one")
	}
	src, err := field(ctx, m, "source", e.Source, payload["source"], DefaultSource)
	if err != nil {
		return types.PutEventsRequestEntry{}, nil, err
	}
	dt, err := field(ctx, m, "detail_type", e.DetailType, payload["type"], DefaultDetailType)
	if err != nil {
		return types.PutEventsRequestEntry{}, nil, err
	}
	// An entry has no room for the ids beside the seed's mapping (Detail is
	// the payload as it came); the attempt log keeps them, with the id the
	// bus gives the event.
	recorded := map[string][]string{"Source": {src}, "DetailType": {dt}, "EventBusName": {e.EventBus},
		"Hookhub-Event-Id": {m.Event.ID}, "Hookhub-Delivery-Id": {m.Delivery.ID}}
	if len(m.Event.Body)+len(src)+len(dt) > maxEntryBytes {
		return types.PutEventsRequestEntry{}, recorded, errors.New("the event is larger than the 256 KiB EventBridge takes in one entry")
	}
	return types.PutEventsRequestEntry{Source: aws.String(src), DetailType: aws.String(dt), Detail: aws.String(string(m.Event.Body)),
		EventBusName: aws.String(e.EventBus)}, recorded, nil
}

// field is the template's value when one is set, else the payload's string
// value, else the default.
func field(ctx context.Context, m *sender.Message, name, tmpl string, fromPayload any, def string) (string, error) {
	if tmpl != "" {
		return m.Render(ctx, name, tmpl)
	}
	if s, ok := fromPayload.(string); ok && s != "" {
		return s, nil
	}
	return def, nil
}

// entryError reads a failed entry: throttling and EventBridge's internal
// failures are retried; any other code (a malformed entry, no permission
// for the source) fails the delivery, with the code and message.
func entryError(out *eb.PutEventsOutput) (retry.Outcome, error) {
	if len(out.Entries) == 0 {
		return retry.Retry, errors.New("EventBridge answered without the entry")
	}
	code, msg := aws.ToString(out.Entries[0].ErrorCode), aws.ToString(out.Entries[0].ErrorMessage)
	o := retry.Fail
	if strings.Contains(code, "Throttl") || strings.Contains(code, "Internal") {
		o = retry.Retry
	}
	return o, errors.New("EventBridge refused the entry: " + code + ": " + msg)
}

// callError says why a PutEvents call failed: AWS's error code and message
// when it answered, else what kept the call from it.
func callError(err error, m *sender.Message) error {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return errors.New("EventBridge answered " + ae.ErrorCode() + ": " + ae.ErrorMessage())
	}
	return errors.New("calling EventBridge: " + sender.Describe(err, m.Timeout))
}
