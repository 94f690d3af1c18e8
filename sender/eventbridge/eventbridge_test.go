package eventbridge_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/retry"
	"github.com/hookhub/hookhub/sender"
	ebsender "github.com/hookhub/hookhub/sender/eventbridge"
	"github.com/hookhub/hookhub/sender/eventbridge/ebtest"
	"github.com/hookhub/hookhub/sender/sendertest"
)

func destination(addr, bus string) *hookhub.Destination {
	return &hookhub.Destination{Type: hookhub.DestinationEventBridge, EventBridge: &hookhub.EventBridgeSettings{
		EventBus: "arn:aws:events:us-east-1:123456789012:event-bus/" + bus, AccessKeyID: ebtest.AccessKeyID,
		SecretAccessKey: ebtest.SecretAccessKey, Endpoint: "http://" + addr}}
}

func TestEngine(t *testing.T) {
	srv := ebtest.New(t)
	u, _ := url.Parse(srv.URL)
	sendertest.Run(t, sendertest.Broker{
		Addr:        u.Host,
		Destination: destination,
		NoAttrs:     true,
		Received: func(t *testing.T, name string) []sendertest.Message {
			var out []sendertest.Message
			for _, e := range srv.Entries() {
				if strings.HasSuffix(e.EventBusName, "/"+name) {
					out = append(out, sendertest.Message{Body: []byte(e.Detail)})
				}
			}
			return out
		},
	})
}

func message(d *hookhub.Destination, body string) *sender.Message {
	ev := &hookhub.Event{ID: hookhub.NewID(hookhub.PrefixEvent), Type: "ticket.created", Body: []byte(body)}
	return &sender.Message{Event: ev, Destination: d, Now: time.Now(), Timeout: 5 * time.Second,
		Delivery: &hookhub.Delivery{ID: hookhub.NewID(hookhub.PrefixDelivery), EventID: ev.ID}}
}

func newSender(t *testing.T) sender.Sender {
	s := ebsender.New(sendertest.Env())
	t.Cleanup(func() { s.(interface{ Close() error }).Close() })
	return s
}

// The seed's mapping: Source and DetailType from the payload, with the
// seed's defaults, or from templates when set; Detail is the payload.
func TestEntryMapping(t *testing.T) {
	t.Parallel()
	srv := ebtest.New(t)
	u, _ := url.Parse(srv.URL)
	s := newSender(t)
	d := destination(u.Host, "zendesk")
	tests := []struct {
		body, source, detailType string
		set                      func(*hookhub.EventBridgeSettings)
	}{
		{`{"source":"zendesk.tickets","type":"ticket.created","id":1}`, "zendesk.tickets", "ticket.created", nil},
		{`{"say":"hello"}`, ebsender.DefaultSource, ebsender.DefaultDetailType, nil},
		{`{"type":"x"}`, "hookhub.zendesk", "ticket.created", func(e *hookhub.EventBridgeSettings) {
			e.Source, e.DetailType = "hookhub.zendesk", "{{ event.type }}"
		}},
	}
	for i, tt := range tests {
		dd := *d
		eb := *d.EventBridge
		if tt.set != nil {
			tt.set(&eb)
		}
		dd.EventBridge = &eb
		res := s.Send(context.Background(), message(&dd, tt.body))
		if res.Outcome != retry.Success || !strings.HasPrefix(res.Response, "put as event ev-") {
			t.Fatalf("%d: %+v", i, res)
		}
		got := srv.Entries()[i]
		if got.Source != tt.source || got.DetailType != tt.detailType || got.Detail != tt.body || got.EventBusName != d.EventBridge.EventBus {
			t.Errorf("%d: entry %+v", i, got)
		}
	}
}

func TestFailures(t *testing.T) {
	t.Parallel()
	srv := ebtest.New(t)
	u, _ := url.Parse(srv.URL)
	s := newSender(t)
	d := destination(u.Host, "b")
	tests := []struct {
		fail    ebtest.Failure
		outcome retry.Outcome
		reason  string
	}{
		{ebtest.EntryError, retry.Fail, "InvalidArgument: Parameter Detail is not valid."},
		{ebtest.EntryThrottle, retry.Retry, "ThrottlingException"},
		{ebtest.CallThrottle, retry.Retry, "ThrottlingException: Rate exceeded"},
		{ebtest.ServerError, retry.Retry, "InternalException"},
	}
	for _, tt := range tests {
		srv.Fail(tt.fail)
		res := s.Send(context.Background(), message(d, `{"a":1}`))
		if res.Outcome != tt.outcome || !strings.Contains(res.Reason, tt.reason) || res.Error == "" {
			t.Errorf("failure %d: %+v", tt.fail, res)
		}
	}
	srv.Fail(ebtest.None)
	if res := s.Send(context.Background(), message(d, `not json`)); res.Outcome != retry.Fail || !strings.Contains(res.Reason, "JSON object") {
		t.Errorf("a body that is not a JSON object: %+v", res)
	}
	if len(srv.Entries()) != 0 {
		t.Errorf("entries stored despite failures: %v", srv.Entries())
	}
}

// Calls signed with the wrong secret are refused by the signature check,
// and the attempt says so; the secret never shows.
func TestWrongCredentials(t *testing.T) {
	t.Parallel()
	srv := ebtest.New(t)
	u, _ := url.Parse(srv.URL)
	d := destination(u.Host, "b")
	d.EventBridge.SecretAccessKey = "wrong-s3cret"
	res := newSender(t).Send(context.Background(), message(d, `{}`))
	if res.Outcome != retry.Retry || !strings.Contains(res.Reason, "InvalidSignatureException") || srv.Rejected() != 1 ||
		strings.Contains(res.Reason+res.Target, "wrong-s3cret") {
		t.Fatalf("wrong secret: %+v (rejected %d)", res, srv.Rejected())
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	s := newSender(t).(sender.Checker)
	ok := destination("127.0.0.1:4000", "b")
	noRegion := destination("", "b")
	noRegion.EventBridge.EventBus, noRegion.EventBridge.Endpoint = "plain-name", ""
	blocked := destination("10.1.2.3:443", "b")
	badTemplate := destination("127.0.0.1:4000", "b")
	badTemplate.EventBridge.Source = "{{ event.nope }}"
	for d, code := range map[*hookhub.Destination]string{ok: "", noRegion: hookhub.EINVALID, blocked: hookhub.EFORBIDDEN, badTemplate: hookhub.EINVALID} {
		if err := s.Check(d); hookhub.ErrorCode(err) != code {
			t.Errorf("Check(%+v) = %v, want %q", d.EventBridge, err, code)
		}
	}
}
