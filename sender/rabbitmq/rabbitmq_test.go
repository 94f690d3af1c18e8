package rabbitmq_test

import (
	"context"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/retry"
	"github.com/hookhub/hookhub/sender"
	rabbitsender "github.com/hookhub/hookhub/sender/rabbitmq"
	"github.com/hookhub/hookhub/sender/sendertest"
)

func rabbitURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("HOOKHUB_TEST_RABBITMQ_URL")
	if u == "" {
		t.Skip("HOOKHUB_TEST_RABBITMQ_URL is not set; set it to a RabbitMQ URL (amqp://guest:guest@127.0.0.1:5672/) to run these tests")
	}
	return u
}

func channel(t *testing.T) *amqp.Channel {
	t.Helper()
	c, err := amqp.Dial(rabbitURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ch, err := c.Channel()
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

// bind declares a topic exchange and a queue of the test's own, bound for
// every routing key, deleted when the test ends.
func bind(t *testing.T, ch *amqp.Channel, name string) {
	t.Helper()
	if err := ch.ExchangeDeclare(name, "topic", false, true, false, false, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := ch.QueueDeclare(name, false, true, false, false, nil); err != nil {
		t.Fatal(err)
	}
	if err := ch.QueueBind(name, "#", name, false, nil); err != nil {
		t.Fatal(err)
	}
}

// inbox collects what the test's queues received.
type inbox struct {
	ch *amqp.Channel
	mu sync.Mutex
	m  map[string][]amqp.Delivery
}

func (in *inbox) read(t *testing.T, queue string) []amqp.Delivery {
	in.mu.Lock()
	defer in.mu.Unlock()
	for {
		d, ok, err := in.ch.Get(queue, true)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return in.m[queue]
		}
		in.m[queue] = append(in.m[queue], d)
	}
}

// destination publishes to the exchange named name; the URL keeps the
// test broker's credentials and vhost, with addr as its host.
func destination(t *testing.T) func(addr, name string) *hookhub.Destination {
	base, err := url.Parse(rabbitURL(t))
	if err != nil {
		t.Fatal(err)
	}
	return func(addr, name string) *hookhub.Destination {
		u := *base
		u.Host = addr
		return &hookhub.Destination{Type: hookhub.DestinationRabbitMQ,
			RabbitMQ: &hookhub.RabbitMQSettings{URL: u.String(), Exchange: name, RoutingKey: "{{ event.type }}"}}
	}
}

func TestEngine(t *testing.T) {
	ch := channel(t)
	in := &inbox{ch: ch, m: map[string][]amqp.Delivery{}}
	u, _ := url.Parse(rabbitURL(t))
	sendertest.Run(t, sendertest.Broker{
		Addr:        u.Host,
		Destination: destination(t),
		Prepare: func(t *testing.T, name string) {
			in.mu.Lock()
			defer in.mu.Unlock()
			bind(t, ch, name)
		},
		Received: func(t *testing.T, name string) []sendertest.Message {
			var out []sendertest.Message
			for _, d := range in.read(t, name) {
				attrs := map[string]string{}
				for k, v := range d.Headers {
					attrs[k], _ = v.(string)
				}
				out = append(out, sendertest.Message{Body: d.Body, Attrs: attrs})
			}
			return out
		},
	})
}

func message(d *hookhub.Destination) *sender.Message {
	ev := &hookhub.Event{ID: hookhub.NewID(hookhub.PrefixEvent), Type: "ticket.created", SourceID: "src_1", Body: []byte(`{"ticket":{"id":42}}`)}
	return &sender.Message{Event: ev, Destination: d, Now: time.Now(), Timeout: 5 * time.Second,
		Delivery: &hookhub.Delivery{ID: hookhub.NewID(hookhub.PrefixDelivery), EventID: ev.ID}}
}

func TestMessageProperties(t *testing.T) {
	t.Parallel()
	ch := channel(t)
	name := sendertest.Name(t)
	bind(t, ch, name)
	u, _ := url.Parse(rabbitURL(t))
	s := rabbitsender.New(sendertest.Env())
	defer s.(interface{ Close() error }).Close()
	m := message(destination(t)(u.Host, name))
	res := s.Send(context.Background(), m)
	if res.Outcome != retry.Success || res.Response != "confirmed by the broker" || strings.Contains(res.Target, ":guest@") ||
		!strings.HasSuffix(res.Target, `exchange "`+name+`" routing key ticket.created`) {
		t.Fatalf("publish: %+v", res)
	}
	in := &inbox{ch: ch, m: map[string][]amqp.Delivery{}}
	got := in.read(t, name)
	if len(got) != 1 {
		t.Fatalf("%d messages, want 1", len(got))
	}
	d := got[0]
	if d.MessageId != m.Delivery.ID || d.Type != "ticket.created" || d.DeliveryMode != amqp.Persistent ||
		d.ContentType != "application/json" || d.RoutingKey != "ticket.created" || d.AppId != "hookhub" ||
		string(d.Body) != string(m.Event.Body) || d.Timestamp.IsZero() {
		t.Errorf("message %+v", d)
	}
	want := map[string]string{sender.AttrEventID: m.Event.ID, sender.AttrEventType: "ticket.created",
		sender.AttrDeliveryID: m.Delivery.ID, sender.AttrSourceID: "src_1"}
	for k, v := range want {
		if d.Headers[k] != v {
			t.Errorf("header %s = %v, want %q", k, d.Headers[k], v)
		}
	}
}

// A message no queue takes is returned by the broker: a failed attempt,
// retried, that says why. A missing exchange fails too, and the sender
// recovers from the channel the broker closed.
func TestUnroutableAndMissingExchange(t *testing.T) {
	t.Parallel()
	ch := channel(t)
	name := sendertest.Name(t)
	if err := ch.ExchangeDeclare(name, "direct", false, true, false, false, nil); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(rabbitURL(t))
	s := rabbitsender.New(sendertest.Env())
	defer s.(interface{ Close() error }).Close()
	res := s.Send(context.Background(), message(destination(t)(u.Host, name)))
	if res.Outcome != retry.Retry || !strings.Contains(res.Reason, "unroutable") {
		t.Fatalf("unroutable publish: %+v", res)
	}
	res = s.Send(context.Background(), message(destination(t)(u.Host, name+"-missing")))
	if res.Outcome != retry.Retry || !strings.Contains(res.Reason, "NOT_FOUND") {
		t.Fatalf("publish to a missing exchange: %+v", res)
	}
	bound := sendertest.Name(t)
	bind(t, ch, bound)
	if res := s.Send(context.Background(), message(destination(t)(u.Host, bound))); res.Outcome != retry.Success {
		t.Fatalf("publish after a channel error: %+v", res)
	}
}
