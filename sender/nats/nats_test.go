package nats_test

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/retry"
	"github.com/hookhub/hookhub/sender"
	natssender "github.com/hookhub/hookhub/sender/nats"
	"github.com/hookhub/hookhub/sender/sendertest"
)

// natsURL is the test broker, or the test is skipped.
func natsURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("HOOKHUB_TEST_NATS_URL")
	if u == "" {
		t.Skip("HOOKHUB_TEST_NATS_URL is not set; set it to a NATS server with JetStream (nats://127.0.0.1:4222) to run these tests")
	}
	return u
}

func jetStream(t *testing.T) jetstream.JetStream {
	t.Helper()
	nc, err := nats.Connect(natsURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// stream makes a stream of the test's own for subjects name.>.
func stream(t *testing.T, js jetstream.JetStream, name string) {
	t.Helper()
	ctx := context.Background()
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: name, Subjects: []string{name + ".>"},
		Storage: jetstream.MemoryStorage, Duplicates: time.Minute}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { js.DeleteStream(context.Background(), name) })
}

// received reads every message of the stream.
func received(t *testing.T, js jetstream.JetStream, name string) []*jetstream.RawStreamMsg {
	t.Helper()
	ctx := context.Background()
	st, err := js.Stream(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []*jetstream.RawStreamMsg
	for seq := info.State.FirstSeq; seq > 0 && seq <= info.State.LastSeq; seq++ {
		m, err := st.GetMsg(ctx, seq)
		if err != nil {
			continue
		}
		out = append(out, m)
	}
	return out
}

func destination(addr, name string) *hookhub.Destination {
	return &hookhub.Destination{Type: hookhub.DestinationNATS,
		NATS: &hookhub.NATSSettings{URL: "nats://" + addr, Subject: name + ".{{ event.type }}"}}
}

func TestEngine(t *testing.T) {
	u, err := url.Parse(natsURL(t))
	if err != nil {
		t.Fatal(err)
	}
	js := jetStream(t)
	sendertest.Run(t, sendertest.Broker{
		Addr:        u.Host,
		Destination: destination,
		Prepare:     func(t *testing.T, name string) { stream(t, js, name) },
		Received: func(t *testing.T, name string) []sendertest.Message {
			var out []sendertest.Message
			for _, m := range received(t, js, name) {
				attrs := map[string]string{}
				for _, k := range []string{sender.AttrEventID, sender.AttrEventType, sender.AttrDeliveryID, sender.AttrTraceParent} {
					attrs[k] = m.Header.Get(k)
				}
				out = append(out, sendertest.Message{Body: m.Data, Attrs: attrs})
			}
			return out
		},
	})
}

// message returns a message of one event to d.
func message(d *hookhub.Destination) *sender.Message {
	ev := &hookhub.Event{ID: hookhub.NewID(hookhub.PrefixEvent), Type: "ticket.created", SourceID: "src_1",
		Body: []byte(`{"ticket":{"id":42}}`), Headers: map[string][]string{"Content-Type": {"application/json"}}}
	return &sender.Message{Event: ev, Destination: d, Now: time.Now(), Timeout: 5 * time.Second,
		Delivery: &hookhub.Delivery{ID: hookhub.NewID(hookhub.PrefixDelivery), EventID: ev.ID}}
}

// Every field arrives, and a retried publish of the same delivery is stored
// once: Nats-Msg-Id is the delivery ID.
func TestPublishFieldsAndDuplicates(t *testing.T) {
	t.Parallel()
	u, _ := url.Parse(natsURL(t))
	js := jetStream(t)
	name := sendertest.Name(t)
	stream(t, js, name)
	s := natssender.New(sendertest.Env())
	defer s.(interface{ Close() error }).Close()
	d := destination(u.Host, name)
	d.NATS.Subject = name + ".{{ event.type }}.{{ event.payload.ticket.id }}"
	m := message(d)
	ctx := context.Background()
	res := s.Send(ctx, m)
	if res.Outcome != retry.Success || !strings.Contains(res.Response, "stream "+name) ||
		res.Target != "nats://"+u.Host+" subject "+name+".ticket.created.42" {
		t.Fatalf("first publish: %+v", res)
	}
	again := s.Send(ctx, m)
	if again.Outcome != retry.Success || !strings.Contains(again.Response, "duplicate") {
		t.Fatalf("retried publish: %+v", again)
	}
	msgs := received(t, js, name)
	if len(msgs) != 1 {
		t.Fatalf("%d messages stored, want 1", len(msgs))
	}
	got := msgs[0]
	want := map[string]string{"Nats-Msg-Id": m.Delivery.ID, sender.AttrDeliveryID: m.Delivery.ID, sender.AttrEventID: m.Event.ID,
		sender.AttrEventType: "ticket.created", sender.AttrSourceID: "src_1", "Content-Type": "application/json"}
	for k, v := range want {
		if got.Header.Get(k) != v {
			t.Errorf("header %s = %q, want %q", k, got.Header.Get(k), v)
		}
	}
	if got.Subject != name+".ticket.created.42" || string(got.Data) != string(m.Event.Body) {
		t.Errorf("stored %s %q", got.Subject, got.Data)
	}
}

// A subject no stream takes fails the attempt with the reason, to be retried.
func TestNoStream(t *testing.T) {
	t.Parallel()
	u, _ := url.Parse(natsURL(t))
	s := natssender.New(sendertest.Env())
	defer s.(interface{ Close() error }).Close()
	res := s.Send(context.Background(), message(destination(u.Host, sendertest.Name(t))))
	if res.Outcome != retry.Retry || !strings.Contains(res.Reason, "no JetStream stream takes subject") {
		t.Fatalf("publish without a stream: %+v", res)
	}
}

// A template that cannot be rendered for an event fails that delivery for
// good: retrying renders the same.
func TestSubjectTemplateFails(t *testing.T) {
	t.Parallel()
	s := natssender.New(sendertest.Env())
	d := destination("127.0.0.1:4222", "x")
	d.NATS.Subject = "x.{{ event.payload.missing.field }}"
	res := s.Send(context.Background(), message(d))
	if res.Outcome != retry.Fail || !strings.Contains(res.Reason, "subject") {
		t.Fatalf("unrenderable subject: %+v", res)
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	s := natssender.New(sendertest.Env()).(sender.Checker)
	guarded := natssender.New(sender.Env{Guard: sendertest.Guard()}).(sender.Checker)
	_ = guarded
	tests := []struct {
		url, subject, code string
	}{
		{"nats://127.0.0.1:4222", "hooks.{{ event.type }}", ""},
		{"nats://a.example.com,nats://b.example.com:4223", "hooks", ""},
		{"nats://10.0.0.1:4222", "hooks", hookhub.EFORBIDDEN},
		{"http://127.0.0.1:4222", "hooks", hookhub.EINVALID},
		{"nats://127.0.0.1:4222", "hooks.{{ event.nope }}", hookhub.EINVALID},
		{"nats://127.0.0.1:4222", "hooks.{{ event.type", hookhub.EINVALID},
	}
	for _, tt := range tests {
		d := destination("", "")
		d.NATS = &hookhub.NATSSettings{URL: tt.url, Subject: tt.subject}
		if err := s.Check(d); hookhub.ErrorCode(err) != tt.code {
			t.Errorf("Check(%s, %s) = %v, want code %q", tt.url, tt.subject, err, tt.code)
		}
	}
}
